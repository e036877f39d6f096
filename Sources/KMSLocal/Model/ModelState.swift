import Foundation
import KMSAPI

/// Everything the emulator knows, guarded by `KMSModel`'s mutex.
///
/// Keys live in a dictionary plus an ordered `(sequence, id)` index so ListKeys costs O(log n +
/// page); keys pending deletion are also kept in a set so lazy deletion never scans all keys.
struct ModelState: Sendable {
    var accountID: String
    var region: String
    var trackingStartDate: Date
    var stores: [String: StoreRecord] = [:]
    var keys: [String: KeyRecord] = [:]
    var keyOrder: [(sequence: Int, id: String)] = []
    var pendingDeletion: Set<String> = []
    var aliases: [String: AliasRecord] = [:]
    var nextSequence = 0

    init(accountID: String, region: String, trackingStartDate: Date) {
        self.accountID = accountID
        self.region = region
        self.trackingStartDate = trackingStartDate
    }

    // MARK: - Names

    func keyArn(_ id: String) -> String { "arn:aws:kms:\(region):\(accountID):key/\(id)" }
    func aliasArn(_ name: String) -> String { "arn:aws:kms:\(region):\(accountID):\(name)" }

    /// The state a key shows: Unavailable while its store is not CONNECTED, unless pending deletion.
    func displayedState(_ key: KeyRecord) -> KeyState {
        if key.baseState == .pendingDeletion { return .pendingDeletion }
        if let storeID = key.storeID, stores[storeID]?.connectionState != .connected { return .unavailable }
        return key.baseState
    }

    // MARK: - Lookup

    /// Resolves a KeyId parameter (id, key ARN, and where allowed alias name or alias ARN).
    func resolveKeyID(_ raw: String, allowAlias: Bool) throws(ServiceError) -> String {
        if raw.isEmpty { throw .emptyString("keyId") }
        var reference = raw
        if raw.hasPrefix("arn:") {
            let parts = raw.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
            guard parts.count == 6, parts[2] == "kms" else { throw .invalidArn(raw) }
            let resource = String(parts[5])
            guard resource.hasPrefix("key/") || resource.hasPrefix("alias/") else { throw .invalidArn(raw) }
            // An ARN from another account or Region names a key this emulator does not hold.
            guard parts[3] == region, parts[4] == accountID else {
                throw ServiceError("NotFoundException", "Key '\(raw)' does not exist")
            }
            reference = resource.hasPrefix("key/") ? String(resource.dropFirst(4)) : resource
        }
        if reference.hasPrefix("alias/") {
            guard allowAlias else { throw .invalidKeyID(raw) }
            guard let alias = aliases[reference], keys[alias.targetKeyID] != nil else {
                throw .aliasNotFound(aliasArn: aliasArn(reference))
            }
            return alias.targetKeyID
        }
        guard keys[reference] != nil else { throw .keyNotFound(arn: keyArn(reference)) }
        return reference
    }

    /// Looks up a store by id.
    func store(_ id: String) throws(ServiceError) -> StoreRecord {
        if id.isEmpty { throw .emptyString("customKeyStoreId") }
        guard let store = stores[id] else { throw .storeNotFound(id) }
        return store
    }

    // MARK: - Lazy time

    /// Applies every transition due by `now`: connect/disconnect completions and key deletions.
    /// Returns whether anything changed (so the caller can persist).
    mutating func settle(at now: Date) -> Bool {
        var changed = false
        for id in stores.keys where stores[id]?.transitionDue != nil {
            if stores[id]?.settle(at: now) == true { changed = true }
        }
        if !pendingDeletion.isEmpty {
            let due = pendingDeletion.filter { id in
                guard let removal = keys[id]?.removalDate else { return false }
                return removal <= now
            }
            for id in due { removeKey(id) }
            changed = changed || !due.isEmpty
        }
        return changed
    }

    // MARK: - Mutation helpers

    /// Adds a key and indexes it in creation order.
    mutating func insertKey(_ key: KeyRecord) {
        var key = key
        key.sequence = nextSequence
        nextSequence += 1
        keys[key.id] = key
        keyOrder.append((key.sequence, key.id))
        if key.baseState == .pendingDeletion { pendingDeletion.insert(key.id) }
    }

    /// Deletes a key with its aliases (grants, tags and usage go with the record).
    mutating func removeKey(_ id: String) {
        guard let key = keys.removeValue(forKey: id) else { return }
        pendingDeletion.remove(id)
        if let index = orderIndex(ofSequence: key.sequence), keyOrder[index].id == id {
            keyOrder.remove(at: index)
        }
        for (name, alias) in aliases where alias.targetKeyID == id {
            aliases.removeValue(forKey: name)
        }
    }

    /// Binary-searches the first position in `keyOrder` whose sequence is ≥ `sequence`.
    func firstOrderIndex(atLeast sequence: Int) -> Int {
        var low = 0
        var high = keyOrder.count
        while low < high {
            let mid = (low + high) / 2
            if keyOrder[mid].sequence < sequence { low = mid + 1 } else { high = mid }
        }
        return low
    }

    private func orderIndex(ofSequence sequence: Int) -> Int? {
        let index = firstOrderIndex(atLeast: sequence)
        return index < keyOrder.count && keyOrder[index].sequence == sequence ? index : nil
    }
}
