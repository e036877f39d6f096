import Foundation

// Convenience calls returning outputs; each wraps `send`, and each throws `KMSError`.
extension KMSClient {
    /// Describes custom key stores, optionally one by ID or by name (first page only; see `pages`).
    public func describeCustomKeyStores(id: String? = nil, name: String? = nil) async throws -> DescribeCustomKeyStoresResponse {
        try await send(DescribeCustomKeyStores.self, DescribeCustomKeyStoresRequest(customKeyStoreID: id, customKeyStoreName: name)).output
    }

    /// Describes a key by ID, ARN or alias.
    public func describeKey(_ keyID: String) async throws -> KeyMetadataResponse {
        try await send(DescribeKey.self, KeyIDRequest(keyID: keyID)).output
    }

    /// Schedules a key's deletion after a waiting period (KMS's default is 30 days).
    public func scheduleKeyDeletion(_ keyID: String, pendingWindowInDays: Int? = nil) async throws -> ScheduleKeyDeletionResponse {
        try await send(ScheduleKeyDeletion.self, ScheduleKeyDeletionRequest(keyID: keyID, pendingWindowInDays: pendingWindowInDays)).output
    }

    /// Cancels a scheduled deletion; the key becomes Disabled.
    public func cancelKeyDeletion(_ keyID: String) async throws -> CancelKeyDeletionResponse {
        try await send(CancelKeyDeletion.self, KeyIDRequest(keyID: keyID)).output
    }

    /// Enables a key.
    public func enableKey(_ keyID: String) async throws {
        _ = try await send(EnableKey.self, KeyIDRequest(keyID: keyID))
    }

    /// Disables a key.
    public func disableKey(_ keyID: String) async throws {
        _ = try await send(DisableKey.self, KeyIDRequest(keyID: keyID))
    }

    /// Reports a key's last successful cryptographic use.
    public func getKeyLastUsage(_ keyID: String) async throws -> GetKeyLastUsageResponse {
        try await send(GetKeyLastUsage.self, KeyIDRequest(keyID: keyID)).output
    }

    /// Starts connecting a custom key store.
    public func connectCustomKeyStore(_ customKeyStoreID: String) async throws {
        _ = try await send(ConnectCustomKeyStore.self, CustomKeyStoreIDRequest(customKeyStoreID: customKeyStoreID))
    }

    /// Starts disconnecting a custom key store.
    public func disconnectCustomKeyStore(_ customKeyStoreID: String) async throws {
        _ = try await send(DisconnectCustomKeyStore.self, CustomKeyStoreIDRequest(customKeyStoreID: customKeyStoreID))
    }

    /// Deletes a disconnected, empty custom key store.
    public func deleteCustomKeyStore(_ customKeyStoreID: String) async throws {
        _ = try await send(DeleteCustomKeyStore.self, CustomKeyStoreIDRequest(customKeyStoreID: customKeyStoreID))
    }

    /// Creates a custom key store.
    public func createCustomKeyStore(_ request: CreateCustomKeyStoreRequest) async throws -> CreateCustomKeyStoreResponse {
        try await send(CreateCustomKeyStore.self, request).output
    }

    /// Creates a key.
    public func createKey(_ request: CreateKeyRequest = CreateKeyRequest()) async throws -> KeyMetadataResponse {
        try await send(CreateKey.self, request).output
    }

    /// Creates an alias for a key.
    public func createAlias(_ aliasName: String, targetKeyID: String) async throws {
        _ = try await send(CreateAlias.self, CreateAliasRequest(aliasName: aliasName, targetKeyID: targetKeyID))
    }

    /// Creates a grant.
    public func createGrant(_ request: CreateGrantRequest) async throws -> CreateGrantResponse {
        try await send(CreateGrant.self, request).output
    }

    /// Adds or replaces tags on a key.
    public func tagResource(_ keyID: String, tags: [Tag]) async throws {
        _ = try await send(TagResource.self, TagResourceRequest(keyID: keyID, tags: tags))
    }

    /// Encrypts up to 4 KiB of plaintext under a key.
    public func encrypt(_ plaintext: Data, keyID: String, encryptionContext: [String: String]? = nil) async throws -> EncryptResponse {
        try await send(Encrypt.self, EncryptRequest(keyID: keyID, plaintext: plaintext, encryptionContext: encryptionContext)).output
    }

    /// Decrypts a ciphertext blob.
    public func decrypt(_ ciphertextBlob: Data, keyID: String? = nil, encryptionContext: [String: String]? = nil) async throws -> DecryptResponse {
        try await send(Decrypt.self, DecryptRequest(ciphertextBlob: ciphertextBlob, keyID: keyID, encryptionContext: encryptionContext)).output
    }

    /// Generates a data key under a key: its plaintext and its ciphertext.
    public func generateDataKey(_ request: GenerateDataKeyRequest) async throws -> GenerateDataKeyResponse {
        try await send(GenerateDataKey.self, request).output
    }
}
