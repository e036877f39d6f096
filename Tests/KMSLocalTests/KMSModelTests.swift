import Foundation
import KMSAPI
import Testing
@testable import KMSLocal

/// Store lifecycle (table 1.3), key availability, deletion and GetKeyLastUsage on the model.
struct KMSModelTests {
    typealias F = ModelFixtures
    static let states = ["DISCONNECTED", "CONNECTING", "CONNECTED", "FAILED", "DISCONNECTING"]

    /// Table 1.3: expected error type per call and connection state (nil = OK).
    static let storeTable: [(call: String, expected: [String?])] = [
        ("connect", [nil, nil, nil, "CustomKeyStoreInvalidStateException", "CustomKeyStoreInvalidStateException"]),
        ("disconnect", ["CustomKeyStoreInvalidStateException", nil, nil, nil, "CustomKeyStoreInvalidStateException"]),
        ("delete-empty", [nil, "CustomKeyStoreInvalidStateException", "CustomKeyStoreInvalidStateException",
            "CustomKeyStoreInvalidStateException", "CustomKeyStoreInvalidStateException"]),
        ("update-name", [nil, "CustomKeyStoreInvalidStateException", nil, "CustomKeyStoreInvalidStateException",
            "CustomKeyStoreInvalidStateException"]),
        ("update-cluster", [nil, "CustomKeyStoreInvalidStateException", "CustomKeyStoreInvalidStateException",
            "CustomKeyStoreInvalidStateException", "CustomKeyStoreInvalidStateException"]),
        ("create-key", ["CustomKeyStoreInvalidStateException", "CustomKeyStoreInvalidStateException", nil,
            "CustomKeyStoreInvalidStateException", "CustomKeyStoreInvalidStateException"]),
        ("describe", [nil, nil, nil, nil, nil]),
    ]

    @Test(arguments: storeTable.indices, 0..<5)
    func storeCallsFollowTheConnectionStateTable(row: Int, column: Int) throws {
        var seed = F.storesSeed(state: Self.states[column])
        if Self.storeTable[row].call == "delete-empty" { seed.keys = [] }
        let model = try F.makeModel(seed: seed)
        let id = F.cloudHSMStoreID
        let type: String? = switch Self.storeTable[row].call {
        case "connect": F.errorType { try model.connectCustomKeyStore(.init(customKeyStoreID: id)) }
        case "disconnect": F.errorType { try model.disconnectCustomKeyStore(.init(customKeyStoreID: id)) }
        case "delete-empty": F.errorType { try model.deleteCustomKeyStore(.init(customKeyStoreID: id)) }
        case "update-name": F.errorType { try model.updateCustomKeyStore(.init(customKeyStoreID: id, newCustomKeyStoreName: "n")) }
        case "update-cluster": F.errorType { try model.updateCustomKeyStore(.init(customKeyStoreID: id, cloudHsmClusterID: "cluster-2")) }
        case "create-key": F.errorType { try model.createKey(.init(origin: .cloudHSM, customKeyStoreID: id)) }
        default: F.errorType { try model.describeCustomKeyStores(.init(customKeyStoreID: id)) }
        }
        #expect(type == Self.storeTable[row].expected[column], "\(Self.storeTable[row].call) in \(Self.states[column])")
    }

    @Test func connectAndDisconnectTakeTheirTimeScaled() throws {
        let model = try F.makeModel(seed: F.storesSeed(state: "DISCONNECTED"), timeScale: 10)
        let id = F.cloudHSMStoreID
        _ = try model.connectCustomKeyStore(.init(customKeyStoreID: id))
        func state() throws -> ConnectionState? { try model.describeCustomKeyStores(.init(customKeyStoreID: id)).customKeyStores?.first?.connectionState }
        #expect(try state() == .connecting)
        model.clock.advance(by: 59)
        #expect(try state() == .connecting)
        model.clock.advance(by: 1)  // 600 s / 10
        #expect(try state() == .connected)
        _ = try model.disconnectCustomKeyStore(.init(customKeyStoreID: id))
        #expect(try state() == .disconnecting)
        model.clock.advance(by: 12)  // 120 s / 10
        #expect(try state() == .disconnected)
    }

    @Test func seededConnectFailureEndsInFailedWithTheCode() throws {
        var seed = F.storesSeed(state: "DISCONNECTED")
        seed.stores?[0].nextConnectFailure = "USER_LOGGED_IN"
        let model = try F.makeModel(seed: seed)
        _ = try model.connectCustomKeyStore(.init(customKeyStoreID: F.cloudHSMStoreID))
        model.clock.advance(by: 600)
        let entry = try #require(try model.describeCustomKeyStores(.init(customKeyStoreID: F.cloudHSMStoreID)).customKeyStores?.first)
        #expect(entry.connectionState == .failed)
        #expect(entry.connectionErrorCode == .userLoggedIn)
    }

    @Test func disconnectMakesKeysUnavailableAndReconnectRestoresThem() throws {
        var seed = F.storesSeed(state: "CONNECTED")
        seed.keys?.append(SeedKey(id: "33333333-3333-3333-3333-333333333333", storeID: F.cloudHSMStoreID, state: "Disabled"))
        seed.keys?.append(SeedKey(id: "44444444-4444-4444-4444-444444444444", storeID: F.cloudHSMStoreID, state: "PendingDeletion"))
        let model = try F.makeModel(seed: seed)
        func state(_ id: String) throws -> KeyState? { try model.describeKey(.init(keyID: id)).keyMetadata?.keyState }
        _ = try model.disconnectCustomKeyStore(.init(customKeyStoreID: F.cloudHSMStoreID))
        #expect(try state(F.hsmKey) == .unavailable)
        #expect(try state("33333333-3333-3333-3333-333333333333") == .unavailable)
        #expect(try state("44444444-4444-4444-4444-444444444444") == .pendingDeletion)
        #expect(F.error { try model.encrypt(.init(keyID: F.hsmKey, plaintext: Data("x".utf8)), requestID: "r") }
            == .unavailable(arn: F.arn(F.hsmKey)))
        // Enable/DisableKey on an Unavailable key succeed and apply on reconnect.
        _ = try model.disableKey(.init(keyID: F.hsmKey))
        _ = try model.enableKey(.init(keyID: "33333333-3333-3333-3333-333333333333"))
        #expect(try state(F.hsmKey) == .unavailable)
        model.clock.advance(by: 120)
        _ = try model.connectCustomKeyStore(.init(customKeyStoreID: F.cloudHSMStoreID))
        model.clock.advance(by: 600)
        #expect(try state(F.hsmKey) == .disabled)
        #expect(try state("33333333-3333-3333-3333-333333333333") == .enabled)
        #expect(try state("44444444-4444-4444-4444-444444444444") == .pendingDeletion)
    }

    @Test func scheduledKeyVanishesAtDeletionDateEverywhere() throws {
        let model = try F.makeModel(seed: F.storesSeed(state: "CONNECTED"), timeScale: 86_400, deletionLag: 86_400)
        _ = try model.createAlias(.init(aliasName: "alias/extra", targetKeyID: F.hsmKey))
        let scheduled = try model.scheduleKeyDeletion(.init(keyID: F.hsmKey, pendingWindowInDays: 7))
        #expect(scheduled.keyID == F.arn(F.hsmKey))
        #expect(scheduled.keyState == .pendingDeletion)
        #expect(scheduled.pendingWindowInDays == 7)
        #expect(scheduled.deletionDate == F.start.addingTimeInterval(7))
        #expect(F.error { try model.scheduleKeyDeletion(.init(keyID: F.hsmKey)) } == .pendingDeletion(arn: F.arn(F.hsmKey)))
        model.clock.advance(by: 7.5)  // past DeletionDate, inside the 1 s scaled lag
        #expect(try model.describeKey(.init(keyID: F.hsmKey)).keyMetadata?.keyState == .pendingDeletion)
        model.clock.advance(by: 0.5)
        let notFound = ServiceError.keyNotFound(arn: F.arn(F.hsmKey))
        #expect(F.error { try model.describeKey(.init(keyID: F.hsmKey)) } == notFound)
        #expect(F.error { try model.listResourceTags(.init(keyID: F.hsmKey)) } == notFound)
        #expect(F.error { try model.listGrants(.init(keyID: F.hsmKey)) } == notFound)
        #expect(F.error { try model.getKeyLastUsage(.init(keyID: F.hsmKey)) } == notFound)
        #expect(F.error { try model.cancelKeyDeletion(.init(keyID: F.hsmKey)) } == notFound)
        #expect(try model.listKeys(.init()).keys?.map(\.keyID) == [F.xksKey])
        #expect(try model.listAliases(.init()).aliases?.allSatisfy { $0.targetKeyID == nil } == true)
    }

    @Test func unfilteredListAliasesIncludesThePredefinedAWSAliasesWithoutTargets() throws {
        let model = try F.makeModel(seed: F.storesSeed(state: "CONNECTED"))
        _ = try model.createAlias(.init(aliasName: "alias/mine", targetKeyID: F.hsmKey))
        let aliases = try #require(try model.listAliases(.init(limit: 100)).aliases)
        #expect(aliases.contains { $0.aliasName == "alias/mine" && $0.targetKeyID == F.hsmKey })
        let predefined = aliases.filter { $0.aliasName?.hasPrefix("alias/aws/") == true }
        #expect(predefined.count == KMSModel.predefinedAliasNames.count)
        #expect(predefined.allSatisfy { $0.targetKeyID == nil && $0.aliasArn?.hasSuffix($0.aliasName ?? "?") == true })
        #expect(try model.listAliases(.init(keyID: F.hsmKey)).aliases?.contains { $0.aliasName?.hasPrefix("alias/aws/") == true } == false)
    }

    @Test(arguments: [6, 31])
    func scheduleRejectsWindowsOutsideSevenToThirty(days: Int) throws {
        let model = try F.makeModel(seed: F.storesSeed(state: "CONNECTED"))
        #expect(F.errorType { try model.scheduleKeyDeletion(.init(keyID: F.hsmKey, pendingWindowInDays: days)) } == "ValidationException")
    }

    @Test func cancelLeavesTheKeyDisabled() throws {
        let model = try F.makeModel(seed: F.storesSeed(state: "CONNECTED"))
        _ = try model.scheduleKeyDeletion(.init(keyID: F.hsmKey))
        #expect(try model.cancelKeyDeletion(.init(keyID: F.hsmKey)).keyID == F.arn(F.hsmKey))
        #expect(try model.describeKey(.init(keyID: F.hsmKey)).keyMetadata?.keyState == .disabled)
    }

    @Test func deleteStoreNeedsNoKeysIncludingPendingOnes() throws {
        let model = try F.makeModel(seed: F.storesSeed(state: "CONNECTED"), timeScale: 86_400)
        _ = try model.scheduleKeyDeletion(.init(keyID: F.hsmKey, pendingWindowInDays: 7))
        _ = try model.disconnectCustomKeyStore(.init(customKeyStoreID: F.cloudHSMStoreID))
        model.clock.advance(by: 1)
        #expect(F.errorType { try model.deleteCustomKeyStore(.init(customKeyStoreID: F.cloudHSMStoreID)) } == "CustomKeyStoreHasCMKsException")
        model.clock.advance(by: 7)
        _ = try model.deleteCustomKeyStore(.init(customKeyStoreID: F.cloudHSMStoreID))
        #expect(F.errorType { try model.describeCustomKeyStores(.init(customKeyStoreID: F.cloudHSMStoreID)) } == "CustomKeyStoreNotFoundException")
    }

    @Test func createKeyInXKSStoreRejectsAnExternalKeyInUse() throws {
        let model = try F.makeModel(seed: F.storesSeed(state: "CONNECTED"))
        let request = CreateKeyRequest(origin: .externalKeyStore, customKeyStoreID: F.xksStoreID, xksKeyID: "ext-1")
        #expect(F.errorType { try model.createKey(request) } == "XksKeyAlreadyInUseException")
        let created = try model.createKey(.init(origin: .externalKeyStore, customKeyStoreID: F.xksStoreID, xksKeyID: "ext-2"))
        #expect(created.keyMetadata?.xksKeyConfiguration?.id == "ext-2")
        #expect(created.keyMetadata?.origin == .externalKeyStore)
    }

    @Test func keysResolveByArnAliasAndAliasArnWhereAllowed() throws {
        let model = try F.makeModel(seed: F.storesSeed(state: "CONNECTED"))
        for reference in [F.hsmKey, F.arn(F.hsmKey), "alias/hsm", "arn:aws:kms:us-east-1:111122223333:alias/hsm"] {
            #expect(try model.describeKey(.init(keyID: reference)).keyMetadata?.keyID == F.hsmKey)
        }
        #expect(F.errorType { try model.getKeyLastUsage(.init(keyID: "alias/hsm")) } == "NotFoundException")
        #expect(F.errorType { try model.describeKey(.init(keyID: "arn:aws:s3:::bucket")) } == "InvalidArnException")
    }

    @Test func lastUsageRecordsSuccessfulCryptoOnly() throws {
        let model = try F.makeModel(seed: F.storesSeed(state: "CONNECTED"))
        let before = try model.getKeyLastUsage(.init(keyID: F.hsmKey))
        #expect(before.keyLastUsage == KeyLastUsage())
        #expect(before.trackingStartDate == F.start)  // creation (start) is later than tracking start
        let encrypted = try model.encrypt(.init(keyID: "alias/hsm", plaintext: Data("secret".utf8), encryptionContext: ["a": "b"]), requestID: "req-1")
        let blob = try #require(encrypted.ciphertextBlob)
        #expect(F.errorType { try model.decrypt(.init(ciphertextBlob: blob), requestID: "req-2") } == "InvalidCiphertextException")
        let decrypted = try model.decrypt(.init(ciphertextBlob: blob, encryptionContext: ["a": "b"]), requestID: "req-3")
        #expect(decrypted.plaintext == Data("secret".utf8))
        let after = try model.getKeyLastUsage(.init(keyID: F.hsmKey)).keyLastUsage
        #expect(after?.operation == "Decrypt")
        #expect(after?.kmsRequestID == "req-3")
        _ = try model.disableKey(.init(keyID: F.hsmKey))
        #expect(F.error { try model.decrypt(.init(ciphertextBlob: blob, encryptionContext: ["a": "b"]), requestID: "req-4") } == .disabled(arn: F.arn(F.hsmKey)))
        #expect(try model.getKeyLastUsage(.init(keyID: F.hsmKey)).keyLastUsage?.kmsRequestID == "req-3")
    }

    @Test func trackingStartIsTheLaterOfGlobalStartAndCreation() throws {
        var seed = F.storesSeed(state: "CONNECTED")
        seed.keys?[0].creationDate = F.start.addingTimeInterval(-10 * 86_400)
        let model = try F.makeModel(seed: seed)
        let answer = try model.getKeyLastUsage(.init(keyID: F.hsmKey))
        #expect(answer.trackingStartDate == F.start.addingTimeInterval(-86_400))
        #expect(answer.keyCreationDate == F.start.addingTimeInterval(-10 * 86_400))
    }
}
