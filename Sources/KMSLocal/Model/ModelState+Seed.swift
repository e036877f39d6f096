import Foundation
import KMSAPI

// MARK: - Building the state from a seed, and exporting it back (for --state).

extension ModelState {
    /// Builds a state from a seed; `now` fills missing dates and starts seeded transitions.
    /// - Throws: `KMSLocalError` with `kms-local.invalid-seed` naming the offending entry.
    static func make(
        from seed: SeedFile, defaultAccountID: String, defaultRegion: String, now: Date,
        clock: EmulatorClock, deletionLagSeconds: TimeInterval
    ) throws -> ModelState {
        guard seed.seedVersion == SeedFile.currentVersion else {
            throw invalid("The seed has seedVersion \(seed.seedVersion); this kms-local reads \(SeedFile.currentVersion).")
        }
        var state = ModelState(
            accountID: seed.accountID ?? defaultAccountID, region: seed.region ?? defaultRegion,
            trackingStartDate: seed.trackingStartDate ?? now)
        for entry in seed.stores ?? [] {
            let store = try makeStore(entry, now: now, clock: clock)
            guard state.stores[store.id] == nil else { throw invalid("The seed lists store '\(store.id)' twice.") }
            state.stores[store.id] = store
        }
        for entry in seed.keys ?? [] {
            try state.addSeedKey(entry, now: now, clock: clock, deletionLagSeconds: deletionLagSeconds)
        }
        let generated = seed.generatedKeys ?? 0
        guard generated >= 0 else { throw invalid("The seed's generatedKeys must not be negative.") }
        state.keys.reserveCapacity(state.keys.count + generated)
        state.keyOrder.reserveCapacity(state.keyOrder.count + generated)
        for index in 0..<generated {
            let id = generatedKeyID(index)
            guard state.keys[id] == nil else { continue }
            state.insertKey(
                KeyRecord(
                    id: id, sequence: 0, origin: .awsKMS, baseState: .enabled, description: "generated key \(index)",
                    creationDate: state.trackingStartDate))
        }
        return state
    }

    /// The deterministic id of the n-th generated key (`00000000-0000-4000-8000-<12 hex digits>`).
    static func generatedKeyID(_ index: Int) -> String {
        let hex = String(index, radix: 16)
        return "00000000-0000-4000-8000-" + String(repeating: "0", count: max(0, 12 - hex.count)) + hex
    }

    private static func invalid(_ message: String) -> KMSLocalError {
        KMSLocalError(code: .invalidSeed, message: message)
    }

    private static func makeStore(_ entry: SeedStore, now: Date, clock: EmulatorClock) throws -> StoreRecord {
        let type = CustomKeyStoreType(rawValue: entry.type)
        guard type == .cloudHSM || type == .external else {
            throw invalid("Store '\(entry.id)' has type '\(entry.type)'; use AWS_CLOUDHSM or EXTERNAL_KEY_STORE.")
        }
        let isXKS = type == .external
        let connection = ConnectionState(rawValue: entry.connectionState ?? ConnectionState.disconnected.rawValue)
        let known: Set<ConnectionState> = [.connected, .connecting, .failed, .disconnected, .disconnecting]
        guard known.contains(connection) else {
            throw invalid("Store '\(entry.id)' has connectionState '\(connection.rawValue)', which is not a KMS connection state.")
        }
        var store = StoreRecord(
            id: entry.id, name: entry.name, type: type, creationDate: entry.creationDate ?? now,
            connectionState: connection,
            connectionErrorCode: entry.connectionErrorCode.map(ConnectionErrorCode.init(rawValue:)),
            clusterID: entry.clusterID, trustAnchorCertificate: entry.trustAnchorCertificate,
            connectSeconds: entry.connectSeconds
                ?? (isXKS ? StoreRecord.defaultXKSConnectSeconds : StoreRecord.defaultCloudHSMConnectSeconds),
            disconnectSeconds: entry.disconnectSeconds
                ?? (isXKS ? StoreRecord.defaultXKSDisconnectSeconds : StoreRecord.defaultCloudHSMDisconnectSeconds),
            nextConnectFailure: entry.nextConnectFailure.map(ConnectionErrorCode.init(rawValue:)))
        if connection == .failed, store.connectionErrorCode == nil { store.connectionErrorCode = .internalError }
        if isXKS {
            store.xksProxy = XksProxyConfiguration(
                connectivity: XksProxyConnectivity(rawValue: entry.xksProxyConnectivity ?? "PUBLIC_ENDPOINT"),
                accessKeyID: entry.xksProxyAccessKeyID, uriEndpoint: entry.xksProxyUriEndpoint,
                uriPath: entry.xksProxyUriPath, vpcEndpointServiceName: entry.xksProxyVpcEndpointServiceName)
        }
        if connection == .connecting || connection == .disconnecting {
            let seconds = connection == .connecting ? store.connectSeconds : store.disconnectSeconds
            store.transitionDue = entry.transitionDue ?? now.addingTimeInterval(clock.scaled(seconds))
        }
        return store
    }

    private mutating func addSeedKey(_ entry: SeedKey, now: Date, clock: EmulatorClock, deletionLagSeconds: TimeInterval) throws {
        guard !entry.id.isEmpty, keys[entry.id] == nil else { throw Self.invalid("The seed lists key '\(entry.id)' twice or without an id.") }
        var origin = KeyOrigin.awsKMS
        if let storeID = entry.storeID {
            guard let store = stores[storeID] else { throw Self.invalid("Key '\(entry.id)' names unknown store '\(storeID)'.") }
            origin = store.type == .external ? .externalKeyStore : .cloudHSM
        }
        // Unavailable is derived from the store, so a seeded Unavailable key is Enabled underneath.
        var base = KeyState(rawValue: entry.state ?? KeyState.enabled.rawValue)
        if base == .unavailable { base = .enabled }
        guard [.enabled, .disabled, .pendingDeletion].contains(base) else {
            throw Self.invalid("Key '\(entry.id)' has state '\(base.rawValue)'; use Enabled, Disabled, PendingDeletion or Unavailable.")
        }
        let creation = entry.creationDate ?? now
        var key = KeyRecord(
            id: entry.id, sequence: 0, storeID: entry.storeID, origin: origin, baseState: base,
            description: entry.description ?? "", creationDate: creation, xksKeyID: entry.xksKeyID,
            tags: (entry.tags ?? []).map { Tag(tagKey: $0.key, tagValue: $0.value) })
        if base == .pendingDeletion {
            let window = entry.pendingWindowInDays ?? 30
            let deletion = entry.deletionDate ?? now.addingTimeInterval(clock.scaled(Double(window) * 86_400))
            key.deletionDate = deletion
            key.pendingWindowInDays = window
            key.removalDate = entry.removalDate ?? deletion.addingTimeInterval(clock.scaled(deletionLagSeconds))
        }
        key.grants = (entry.grants ?? []).enumerated().map { index, grant in
            GrantRecord(
                grantID: grant.grantID ?? String((String(repeating: "0", count: 64) + String(index + 1, radix: 16)).suffix(64)), name: grant.name,
                granteePrincipal: grant.granteePrincipal, retiringPrincipal: grant.retiringPrincipal,
                operations: grant.operations, creationDate: grant.creationDate ?? creation)
        }
        key.lastUsage = entry.lastUsage.map { UsageRecord(operation: $0.operation, timestamp: $0.timestamp, requestID: $0.requestID) }
        for alias in entry.aliases ?? [] {
            guard alias.hasPrefix("alias/"), aliases[alias] == nil else {
                throw Self.invalid("Alias '\(alias)' of key '\(entry.id)' must start with alias/ and be unique.")
            }
            aliases[alias] = AliasRecord(name: alias, targetKeyID: entry.id, creationDate: creation)
        }
        insertKey(key)
    }

    /// Exports the whole state as a seed (every key explicit, generated ones included).
    func exportSeed() -> SeedFile {
        var aliasesByKey: [String: [String]] = [:]
        for alias in aliases.values { aliasesByKey[alias.targetKeyID, default: []].append(alias.name) }
        let storeEntries = stores.values.sorted { $0.id < $1.id }.map { store in
            SeedStore(
                id: store.id, name: store.name, type: store.type.rawValue, clusterID: store.clusterID,
                trustAnchorCertificate: store.trustAnchorCertificate, xksProxyUriEndpoint: store.xksProxy?.uriEndpoint,
                xksProxyUriPath: store.xksProxy?.uriPath, xksProxyConnectivity: store.xksProxy?.connectivity?.rawValue,
                xksProxyAccessKeyID: store.xksProxy?.accessKeyID,
                xksProxyVpcEndpointServiceName: store.xksProxy?.vpcEndpointServiceName,
                connectionState: store.connectionState.rawValue, connectionErrorCode: store.connectionErrorCode?.rawValue,
                creationDate: store.creationDate, connectSeconds: store.connectSeconds,
                disconnectSeconds: store.disconnectSeconds, nextConnectFailure: store.nextConnectFailure?.rawValue,
                transitionDue: store.transitionDue)
        }
        let keyEntries = keyOrder.compactMap { keys[$0.id] }.map { key in
            SeedKey(
                id: key.id, storeID: key.storeID, state: key.baseState.rawValue, description: key.description,
                creationDate: key.creationDate, deletionDate: key.deletionDate, pendingWindowInDays: key.pendingWindowInDays,
                removalDate: key.removalDate, xksKeyID: key.xksKeyID, aliases: aliasesByKey[key.id]?.sorted(),
                grants: key.grants.map {
                    SeedGrant(
                        grantID: $0.grantID, name: $0.name, granteePrincipal: $0.granteePrincipal,
                        retiringPrincipal: $0.retiringPrincipal, operations: $0.operations, creationDate: $0.creationDate)
                },
                tags: key.tags.map { SeedTag(key: $0.tagKey, value: $0.tagValue) },
                lastUsage: key.lastUsage.map { SeedUsage(operation: $0.operation, timestamp: $0.timestamp, requestID: $0.requestID) })
        }
        return SeedFile(
            seedVersion: SeedFile.currentVersion, accountID: accountID, region: region,
            trackingStartDate: trackingStartDate, stores: storeEntries, keys: keyEntries)
    }
}
