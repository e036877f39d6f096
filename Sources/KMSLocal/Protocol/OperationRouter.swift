import Foundation
import KMSAPI

/// The table from `X-Amz-Target` operation names to model calls, decoding requests and encoding
/// answers with the shared wire shapes.
struct OperationRouter: Sendable {
    /// The outcome of running one operation.
    struct Result: Sendable {
        var body: Swift.Result<Data, ServiceError>
        var target: String?
    }

    /// One routed operation.
    struct Route: Sendable {
        let isMutating: Bool
        let run: @Sendable (KMSModel, Data, String) -> Result
    }

    let routes: [String: Route]

    init() {
        var routes: [String: Route] = [:]
        func add(_ pair: (String, Route)) { routes[pair.0] = pair.1 }
        add(Self.route(CreateCustomKeyStore.self, target: { _ in nil }) { (model, input, _) throws(ServiceError) in try model.createCustomKeyStore(input) })
        add(Self.route(DescribeCustomKeyStores.self, target: { $0.customKeyStoreID ?? $0.customKeyStoreName }) { (model, input, _) throws(ServiceError) in try model.describeCustomKeyStores(input) })
        add(Self.route(ConnectCustomKeyStore.self, target: { $0.customKeyStoreID }) { (model, input, _) throws(ServiceError) in try model.connectCustomKeyStore(input) })
        add(Self.route(DisconnectCustomKeyStore.self, target: { $0.customKeyStoreID }) { (model, input, _) throws(ServiceError) in try model.disconnectCustomKeyStore(input) })
        add(Self.route(DeleteCustomKeyStore.self, target: { $0.customKeyStoreID }) { (model, input, _) throws(ServiceError) in try model.deleteCustomKeyStore(input) })
        add(Self.route(UpdateCustomKeyStore.self, target: { $0.customKeyStoreID }) { (model, input, _) throws(ServiceError) in try model.updateCustomKeyStore(input) })
        add(Self.route(CreateKey.self, target: { $0.customKeyStoreID }) { (model, input, _) throws(ServiceError) in try model.createKey(input) })
        add(Self.route(DescribeKey.self, target: { $0.keyID }) { (model, input, _) throws(ServiceError) in try model.describeKey(input) })
        add(Self.route(ListKeys.self, target: { _ in nil }) { (model, input, _) throws(ServiceError) in try model.listKeys(input) })
        add(Self.route(EnableKey.self, emptyBody: true, target: { $0.keyID }) { (model, input, _) throws(ServiceError) in try model.enableKey(input) })
        add(Self.route(DisableKey.self, emptyBody: true, target: { $0.keyID }) { (model, input, _) throws(ServiceError) in try model.disableKey(input) })
        add(Self.route(ScheduleKeyDeletion.self, target: { $0.keyID }) { (model, input, _) throws(ServiceError) in try model.scheduleKeyDeletion(input) })
        add(Self.route(CancelKeyDeletion.self, target: { $0.keyID }) { (model, input, _) throws(ServiceError) in try model.cancelKeyDeletion(input) })
        add(Self.route(CreateAlias.self, emptyBody: true, target: { $0.targetKeyID }) { (model, input, _) throws(ServiceError) in try model.createAlias(input) })
        add(Self.route(ListAliases.self, target: { $0.keyID }) { (model, input, _) throws(ServiceError) in try model.listAliases(input) })
        add(Self.route(CreateGrant.self, target: { $0.keyID }) { (model, input, _) throws(ServiceError) in try model.createGrant(input) })
        add(Self.route(ListGrants.self, target: { $0.keyID }) { (model, input, _) throws(ServiceError) in try model.listGrants(input) })
        add(Self.route(TagResource.self, emptyBody: true, target: { $0.keyID }) { (model, input, _) throws(ServiceError) in try model.tagResource(input) })
        add(Self.route(ListResourceTags.self, target: { $0.keyID }) { (model, input, _) throws(ServiceError) in try model.listResourceTags(input) })
        add(Self.route(GetKeyLastUsage.self, target: { $0.keyID }) { (model, input, _) throws(ServiceError) in try model.getKeyLastUsage(input) })
        add(Self.route(Encrypt.self, target: { $0.keyID }) { (model, input, requestID) throws(ServiceError) in
            try model.encrypt(input, requestID: requestID)
        })
        add(Self.route(GenerateDataKey.self, target: { $0.keyID }) { (model, input, requestID) throws(ServiceError) in
            try model.generateDataKey(input, requestID: requestID, withPlaintext: true)
        })
        add(Self.route(GenerateDataKeyWithoutPlaintext.self, target: { $0.keyID }) { (model, input, requestID) throws(ServiceError) in
            try model.generateDataKey(input, requestID: requestID, withPlaintext: false)
        })
        // A Decrypt without KeyId names its key inside the blob: CloudTrail records that key.
        add(Self.route(Decrypt.self, target: { $0.keyID ?? KMSModel.embeddedKeyID(in: $0.ciphertextBlob) }) { (model, input, requestID) throws(ServiceError) in
            try model.decrypt(input, requestID: requestID)
        })
        self.routes = routes
    }

    private static func route<O: KMSOperation>(
        _ operation: O.Type, emptyBody: Bool = false, target: @escaping @Sendable (O.Input) -> String?,
        _ perform: @escaping @Sendable (KMSModel, O.Input, String) throws(ServiceError) -> O.Output
    ) -> (String, Route) {
        let route = Route(isMutating: O.name.isMutating) { model, body, requestID in
            let input: O.Input
            do {
                input = try KMSJSON.decode(O.Input.self, from: body)
            } catch {
                return Result(body: .failure(Self.serviceError(for: error)), target: nil)
            }
            let name = target(input)
            do throws(ServiceError) {
                let output = try perform(model, input, requestID)
                if emptyBody { return Result(body: .success(Data()), target: name) }
                do {
                    return Result(body: .success(try KMSJSON.encode(output)), target: name)
                } catch {
                    return Result(body: .failure(.internalFailure), target: name)
                }
            } catch {
                return Result(body: .failure(error), target: name)
            }
        }
        return (O.name.rawValue, route)
    }

    /// Maps a decoding failure to AWS's answer: a missing or null member is a ValidationException,
    /// anything else (bad JSON, wrong types) a SerializationException.
    static func serviceError(for error: any Error) -> ServiceError {
        switch error {
        case DecodingError.keyNotFound(let key, _):
            return .missingMember(lowerFirst(key.stringValue))
        case DecodingError.valueNotFound(_, let context):
            return .missingMember(lowerFirst(context.codingPath.last?.stringValue ?? "body"))
        default:
            return ServiceError("SerializationException", "The request body could not be read as the JSON structure this operation expects.")
        }
    }

    private static func lowerFirst(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.lowercased() + text.dropFirst()
    }
}
