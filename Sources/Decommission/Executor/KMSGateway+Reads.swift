import Foundation
import KMSAPI

extension KMSGateway {
    /// Returns the store with this id (`DescribeCustomKeyStores`); throws `.keyStoreNotFound`.
    public func describeStore(_ id: String) async throws -> CustomKeyStoresListEntry {
        let page = try await describeStores(DescribeCustomKeyStoresRequest(customKeyStoreID: id))
        guard let store = page.customKeyStores?.first(where: { $0.customKeyStoreID == id }) else {
            throw KMSError(
                code: .keyStoreNotFound, message: "Store \(id) was not found.", awsErrorType: "CustomKeyStoreNotFoundException")
        }
        return store
    }

    /// Reads a key, or nil once KMS answers `NotFoundException`.
    public func describeKeyIfPresent(_ keyID: String) async throws -> KeyMetadata? {
        do {
            return try await describeKey(keyID)
        } catch let error as KMSError where error.code == .keyNotFound {
            return nil
        }
    }

    /// Reads the store, or nil once KMS answers `CustomKeyStoreNotFoundException`.
    public func describeStoreIfPresent(_ id: String) async throws -> CustomKeyStoresListEntry? {
        do {
            return try await describeStore(id)
        } catch let error as KMSError where error.code == .keyStoreNotFound {
            return nil
        }
    }

    /// Walks a listing page by page, following `NextMarker` while `Truncated`, and hands each item
    /// to `body` as its page arrives.
    /// - Throws: `KMSError` from a call, or `kms.invalid-response` for a truncated page without a
    ///   marker or a marker seen before (never loops).
    public func forEachItem<Op: PaginatedKMSOperation>(
        _ operation: Op.Type, _ input: Op.Input, page: (Op.Input) async throws -> Op.Output,
        _ body: (Op.Item) async throws -> Void
    ) async throws {
        var request = input
        var seen: Set<String> = []
        while true {
            let output = try await page(request)
            for item in Op.items(in: output) { try await body(item) }
            guard Op.isTruncated(in: output) else { return }
            guard let marker = Op.nextMarker(in: output), !marker.isEmpty else {
                throw KMSError(
                    code: .invalidResponse, message: "\(Op.name) said more results follow but gave no NextMarker; the listing is incomplete.")
            }
            guard seen.insert(marker).inserted else {
                throw KMSError(
                    code: .invalidResponse, message: "\(Op.name) returned a NextMarker it had already returned; stopped paging to avoid a loop.")
            }
            request = Op.withMarker(input, marker)
        }
    }
}
