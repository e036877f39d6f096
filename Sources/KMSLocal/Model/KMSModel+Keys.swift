import Foundation
import KMSAPI

// MARK: - Key lifecycle operations (reference sections 2, 3 and 4).

extension KMSModel {
    func createKey(_ input: CreateKeyRequest) throws(ServiceError) -> KeyMetadataResponse {
        let id = freshID()
        return try withState { (state, now) throws(ServiceError) in
            var origin = input.origin ?? .awsKMS
            var storeID: String?
            if let requested = input.customKeyStoreID {
                let store = try state.store(requested)
                if input.origin == nil { origin = store.type == .external ? .externalKeyStore : .cloudHSM }
                let expected: KeyOrigin = store.type == .external ? .externalKeyStore : .cloudHSM
                guard origin == expected else {
                    throw ServiceError(
                        "UnsupportedOperationException",
                        "Origin \(origin.rawValue) does not match custom key store \(store.id) of type \(store.type.rawValue).")
                }
                if input.multiRegion == true {
                    throw ServiceError("UnsupportedOperationException", "Multi-Region keys cannot be created in a custom key store.")
                }
                if let spec = input.keySpec, spec != "SYMMETRIC_DEFAULT" {
                    throw ServiceError("UnsupportedOperationException", "Keys in a custom key store must have KeySpec SYMMETRIC_DEFAULT.")
                }
                guard store.connectionState == .connected else {
                    throw .storeInvalidState(id: store.id, state: store.connectionState, operation: "CreateKey")
                }
                storeID = store.id
            } else if origin == .cloudHSM || origin == .externalKeyStore {
                throw .missingMember("customKeyStoreId")
            }
            var xksKeyID: String?
            if origin == .externalKeyStore {
                guard let external = input.xksKeyID, !external.isEmpty else { throw .missingMember("xksKeyId") }
                if state.keys.values.contains(where: { $0.storeID == storeID && $0.xksKeyID == external }) {
                    throw ServiceError(
                        "XksKeyAlreadyInUseException",
                        "The external key \(external) is already associated with a KMS key in this external key store.")
                }
                xksKeyID = external
            }
            let key = KeyRecord(
                id: id, sequence: 0, storeID: storeID, origin: origin, baseState: .enabled,
                description: input.description ?? "", creationDate: now, xksKeyID: xksKeyID, tags: input.tags ?? [])
            state.insertKey(key)
            return KeyMetadataResponse(keyMetadata: state.metadata(of: id))
        }
    }

    func describeKey(_ input: KeyIDRequest) throws(ServiceError) -> KeyMetadataResponse {
        try withState { (state, _) throws(ServiceError) in
            let id = try state.resolveKeyID(input.keyID, allowAlias: true)
            return KeyMetadataResponse(keyMetadata: state.metadata(of: id))
        }
    }

    /// Lists keys in creation order; the marker holds a creation sequence, so a page costs
    /// O(log n + limit) whatever the number of keys.
    func listKeys(_ input: ListKeysRequest) throws(ServiceError) -> ListKeysResponse {
        try withState { (state, _) throws(ServiceError) in
            let limit = try PageMarker.limit(input.limit, range: 1...1000, default: 100)
            let start = try PageMarker.position(of: input.marker, kind: "keys").map(state.firstOrderIndex(atLeast:)) ?? 0
            let end = min(state.keyOrder.count, start + limit)
            let entries = state.keyOrder[start..<end].map { KeyListEntry(keyID: $0.id, keyArn: state.keyArn($0.id)) }
            let next = end < state.keyOrder.count ? PageMarker.make(kind: "keys", position: state.keyOrder[end].sequence) : nil
            return ListKeysResponse(keys: entries, nextMarker: next, truncated: next != nil)
        }
    }

    func enableKey(_ input: KeyIDRequest) throws(ServiceError) -> EmptyResponse {
        try setBaseState(input.keyID, to: .enabled, rule: .enableKey)
    }

    func disableKey(_ input: KeyIDRequest) throws(ServiceError) -> EmptyResponse {
        try setBaseState(input.keyID, to: .disabled, rule: .disableKey)
    }

    /// Enable/DisableKey change the base state; an Unavailable key keeps showing Unavailable and
    /// takes the new state on reconnect [KS footnote 12].
    private func setBaseState(_ raw: String, to target: KeyState, rule: KeyStateRules.Operation) throws(ServiceError) -> EmptyResponse {
        try withState { (state, _) throws(ServiceError) in
            let id = try state.resolveKeyID(raw, allowAlias: false)
            try state.check(rule, keyID: id)
            state.keys[id]?.baseState = target
            return EmptyResponse()
        }
    }

    /// Schedules deletion. Open question 13: a window outside the documented 7–30 days is rejected
    /// with ValidationException (the safe reading; the model shape alone would allow 1–365).
    func scheduleKeyDeletion(_ input: ScheduleKeyDeletionRequest) throws(ServiceError) -> ScheduleKeyDeletionResponse {
        try withState { (state, now) throws(ServiceError) in
            let id = try state.resolveKeyID(input.keyID, allowAlias: false)
            let days = input.pendingWindowInDays ?? 30
            if days < 7 { throw .tooSmall("pendingWindowInDays", value: days, minimum: 7) }
            if days > 30 { throw .tooLarge("pendingWindowInDays", value: days, maximum: 30) }
            try state.check(.scheduleKeyDeletion, keyID: id)
            let deletionDate = now.addingTimeInterval(clock.scaled(Double(days) * 86_400))
            state.keys[id]?.baseState = .pendingDeletion
            state.keys[id]?.deletionDate = deletionDate
            state.keys[id]?.pendingWindowInDays = days
            state.keys[id]?.removalDate = deletionDate.addingTimeInterval(clock.scaled(deletionLagSeconds))
            state.pendingDeletion.insert(id)
            return ScheduleKeyDeletionResponse(
                keyID: state.keyArn(id), deletionDate: deletionDate, keyState: .pendingDeletion, pendingWindowInDays: days)
        }
    }

    /// Cancels deletion; the key becomes Disabled (shown Unavailable while its store is disconnected,
    /// open question 5).
    func cancelKeyDeletion(_ input: KeyIDRequest) throws(ServiceError) -> CancelKeyDeletionResponse {
        try withState { (state, _) throws(ServiceError) in
            let id = try state.resolveKeyID(input.keyID, allowAlias: false)
            try state.check(.cancelKeyDeletion, keyID: id)
            state.keys[id]?.baseState = .disabled
            state.keys[id]?.deletionDate = nil
            state.keys[id]?.pendingWindowInDays = nil
            state.keys[id]?.removalDate = nil
            state.pendingDeletion.remove(id)
            return CancelKeyDeletionResponse(keyID: state.keyArn(id))
        }
    }
}

extension ModelState {
    /// Throws the error table 2.2 gives for this operation in the key's displayed state.
    func check(_ operation: KeyStateRules.Operation, keyID: String) throws(ServiceError) {
        guard let key = keys[keyID] else { throw .keyNotFound(arn: keyArn(keyID)) }
        if let error = KeyStateRules.check(operation, state: displayedState(key), arn: keyArn(keyID)) { throw error }
    }

    /// Builds DescribeKey's metadata for a key.
    func metadata(of id: String) -> KeyMetadata? {
        guard let key = keys[id] else { return nil }
        let displayed = displayedState(key)
        let store = key.storeID.flatMap { stores[$0] }
        let hasMaterialID = key.origin == .awsKMS || key.origin == .external
        return KeyMetadata(
            keyID: id, awsAccountID: accountID, arn: keyArn(id), creationDate: key.creationDate,
            enabled: displayed == .enabled, description: key.description, keyUsage: "ENCRYPT_DECRYPT",
            keyState: displayed, deletionDate: displayed == .pendingDeletion ? key.deletionDate : nil,
            origin: key.origin, customKeyStoreID: key.storeID, cloudHsmClusterID: store?.clusterID,
            keyManager: "CUSTOMER", customerMasterKeySpec: "SYMMETRIC_DEFAULT", keySpec: "SYMMETRIC_DEFAULT",
            encryptionAlgorithms: ["SYMMETRIC_DEFAULT"], multiRegion: false,
            pendingDeletionWindowInDays: displayed == .pendingDeletion ? key.pendingWindowInDays : nil,
            xksKeyConfiguration: key.xksKeyID.map { XksKeyConfiguration(id: $0) },
            currentKeyMaterialID: hasMaterialID ? String(repeating: "0", count: 32) + id.filter { $0 != "-" } : nil)
    }
}
