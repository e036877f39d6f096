import Foundation
import KMSAPI

// MARK: - Custom key store operations (reference section 1).

extension KMSModel {
    static let maximumStores = 10

    func createCustomKeyStore(_ input: CreateCustomKeyStoreRequest) throws(ServiceError) -> CreateCustomKeyStoreResponse {
        let newID = freshStoreID()
        return try withState { (state, now) throws(ServiceError) in
            if input.customKeyStoreName.isEmpty { throw .emptyString("customKeyStoreName") }
            let type = input.customKeyStoreType ?? .cloudHSM
            if let existing = state.stores.values.first(where: { $0.name == input.customKeyStoreName }) {
                // Re-sending the same CloudHSM request for a disconnected store returns its id [HSM-CREATE].
                if type == .cloudHSM, existing.type == .cloudHSM, existing.clusterID == input.cloudHsmClusterID,
                    existing.connectionState == .disconnected
                {
                    return CreateCustomKeyStoreResponse(customKeyStoreID: existing.id)
                }
                throw ServiceError(
                    "CustomKeyStoreNameInUseException",
                    "Custom key store name '\(input.customKeyStoreName)' is already in use in this account and Region.")
            }
            if state.stores.count >= Self.maximumStores {
                throw ServiceError(
                    "LimitExceededException",
                    "You have reached the limit of \(Self.maximumStores) custom key stores in this account and Region.")
            }
            var store = StoreRecord(
                id: newID, name: input.customKeyStoreName, type: type, creationDate: now,
                connectionState: .disconnected, connectSeconds: StoreRecord.defaultCloudHSMConnectSeconds,
                disconnectSeconds: StoreRecord.defaultCloudHSMDisconnectSeconds)
            switch type {
            case .cloudHSM:
                guard let cluster = input.cloudHsmClusterID else { throw .missingMember("cloudHsmClusterId") }
                guard let anchor = input.trustAnchorCertificate else { throw .missingMember("trustAnchorCertificate") }
                guard input.keyStorePassword != nil else { throw .missingMember("keyStorePassword") }
                if state.stores.values.contains(where: { $0.clusterID == cluster }) {
                    throw ServiceError(
                        "CloudHsmClusterInUseException",
                        "CloudHSM cluster \(cluster) is already associated with a custom key store.")
                }
                store.clusterID = cluster
                store.trustAnchorCertificate = anchor
            case .external:
                store.xksProxy = try Self.makeProxyConfiguration(input, stores: state.stores)
                store.connectSeconds = StoreRecord.defaultXKSConnectSeconds
                store.disconnectSeconds = StoreRecord.defaultXKSDisconnectSeconds
            default:
                throw .validation(
                    "Value '\(type.rawValue)' at 'customKeyStoreType' failed to satisfy constraint: Member must satisfy enum value set: [EXTERNAL_KEY_STORE, AWS_CLOUDHSM]")
            }
            state.stores[store.id] = store
            return CreateCustomKeyStoreResponse(customKeyStoreID: store.id)
        }
    }

    private static func makeProxyConfiguration(
        _ input: CreateCustomKeyStoreRequest, stores: [String: StoreRecord]
    ) throws(ServiceError) -> XksProxyConfiguration {
        guard let endpoint = input.xksProxyURIEndpoint else { throw .missingMember("xksProxyUriEndpoint") }
        guard let path = input.xksProxyURIPath else { throw .missingMember("xksProxyUriPath") }
        guard let credential = input.xksProxyAuthenticationCredential else {
            throw .missingMember("xksProxyAuthenticationCredential")
        }
        guard let connectivity = input.xksProxyConnectivity else { throw .missingMember("xksProxyConnectivity") }
        if connectivity == .vpcEndpointService, input.xksProxyVpcEndpointServiceName == nil {
            throw .missingMember("xksProxyVpcEndpointServiceName")
        }
        if stores.values.contains(where: { $0.xksProxy?.uriEndpoint == endpoint && $0.xksProxy?.uriPath == path }) {
            throw ServiceError(
                "XksProxyUriInUseException",
                "The proxy URI \(endpoint)\(path) is already used by another external key store.")
        }
        return XksProxyConfiguration(
            connectivity: connectivity, accessKeyID: credential.accessKeyID, uriEndpoint: endpoint, uriPath: path,
            vpcEndpointServiceName: input.xksProxyVpcEndpointServiceName,
            vpcEndpointServiceOwner: input.xksProxyVpcEndpointServiceOwner)
    }

    func describeCustomKeyStores(_ input: DescribeCustomKeyStoresRequest) throws(ServiceError) -> DescribeCustomKeyStoresResponse {
        try withState { (state, _) throws(ServiceError) in
            let limit = try PageMarker.limit(input.limit, range: 1...1000, default: 1000)
            if input.customKeyStoreID != nil, input.customKeyStoreName != nil {
                throw ServiceError(
                    "ValidationException", "Specify either CustomKeyStoreId or CustomKeyStoreName, not both.")
            }
            var stores = state.stores.values.sorted { ($0.creationDate, $0.id) < ($1.creationDate, $1.id) }
            if let id = input.customKeyStoreID {
                stores = stores.filter { $0.id == id }
                if stores.isEmpty { throw .storeNotFound(id) }
            } else if let name = input.customKeyStoreName {
                stores = stores.filter { $0.name == name }
                if stores.isEmpty { throw .storeNotFound(name) }
            }
            let page = try PageMarker.page(stores, kind: "stores", marker: input.marker, limit: limit)
            return DescribeCustomKeyStoresResponse(
                customKeyStores: page.items.map(\.listEntry), nextMarker: page.nextMarker,
                truncated: page.nextMarker != nil)
        }
    }

    /// Starts a connect; CONNECTING and CONNECTED are a no-op (open question 1: the exception doc
    /// names only FAILED and DISCONNECTING as invalid).
    func connectCustomKeyStore(_ input: CustomKeyStoreIDRequest) throws(ServiceError) -> EmptyResponse {
        try withState { (state, now) throws(ServiceError) in
            var store = try state.store(input.customKeyStoreID)
            switch store.connectionState {
            case .disconnected:
                store.connectionState = .connecting
                store.connectionErrorCode = nil
                store.transitionDue = now.addingTimeInterval(clock.scaled(store.connectSeconds))
                state.stores[store.id] = store
            case .connecting, .connected:
                break
            default:
                throw .storeInvalidState(id: store.id, state: store.connectionState, operation: "ConnectCustomKeyStore")
            }
            return EmptyResponse()
        }
    }

    func disconnectCustomKeyStore(_ input: CustomKeyStoreIDRequest) throws(ServiceError) -> EmptyResponse {
        try withState { (state, now) throws(ServiceError) in
            var store = try state.store(input.customKeyStoreID)
            switch store.connectionState {
            case .connecting, .connected, .failed:
                store.connectionState = .disconnecting
                store.connectionErrorCode = nil
                store.transitionDue = now.addingTimeInterval(clock.scaled(store.disconnectSeconds))
                state.stores[store.id] = store
            default:
                throw .storeInvalidState(id: store.id, state: store.connectionState, operation: "DisconnectCustomKeyStore")
            }
            return EmptyResponse()
        }
    }

    /// Deletes a store. Open question 3 (check order): the connection state is checked first, so a
    /// connected store that still holds keys answers CustomKeyStoreInvalidStateException; the
    /// documented procedure disconnects before deleting, so a caller fixes the state first anyway.
    func deleteCustomKeyStore(_ input: CustomKeyStoreIDRequest) throws(ServiceError) -> EmptyResponse {
        try withState { (state, _) throws(ServiceError) in
            let store = try state.store(input.customKeyStoreID)
            guard store.connectionState == .disconnected else {
                throw .storeInvalidState(id: store.id, state: store.connectionState, operation: "DeleteCustomKeyStore")
            }
            // Keys pending deletion still count [HSM-DEL][XKS-DEL].
            if state.keys.values.contains(where: { $0.storeID == store.id }) {
                throw .storeHasKeys(id: store.id)
            }
            state.stores.removeValue(forKey: store.id)
            return EmptyResponse()
        }
    }

    /// Updates a store. While CONNECTED only the name may change (open question 2: the stricter
    /// reading of the exception doc); other non-DISCONNECTED states reject every change.
    func updateCustomKeyStore(_ input: UpdateCustomKeyStoreRequest) throws(ServiceError) -> EmptyResponse {
        try withState { (state, _) throws(ServiceError) in
            var store = try state.store(input.customKeyStoreID)
            let changesMoreThanName = input.keyStorePassword != nil || input.cloudHsmClusterID != nil
                || input.xksProxyURIEndpoint != nil || input.xksProxyURIPath != nil
                || input.xksProxyAuthenticationCredential != nil
            let allowed = store.connectionState == .disconnected
                || (store.connectionState == .connected && !changesMoreThanName)
            guard allowed else {
                throw .storeInvalidState(id: store.id, state: store.connectionState, operation: "UpdateCustomKeyStore")
            }
            if let name = input.newCustomKeyStoreName {
                if name.isEmpty { throw .emptyString("newCustomKeyStoreName") }
                if state.stores.values.contains(where: { $0.name == name && $0.id != store.id }) {
                    throw ServiceError(
                        "CustomKeyStoreNameInUseException",
                        "Custom key store name '\(name)' is already in use in this account and Region.")
                }
                store.name = name
            }
            if let cluster = input.cloudHsmClusterID { store.clusterID = cluster }
            if store.type == .external {
                if let endpoint = input.xksProxyURIEndpoint { store.xksProxy?.uriEndpoint = endpoint }
                if let path = input.xksProxyURIPath { store.xksProxy?.uriPath = path }
                if let credential = input.xksProxyAuthenticationCredential {
                    store.xksProxy?.accessKeyID = credential.accessKeyID
                }
            }
            state.stores[store.id] = store
            return EmptyResponse()
        }
    }
}
