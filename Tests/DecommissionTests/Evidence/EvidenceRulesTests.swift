import Foundation
import KMSAPI
import Testing
@testable import Decommission

struct EvidenceRulesTests {
    let rules = EvidenceRules(tool: ToolIdentity(accessKeyIDs: [EvidenceFixtures.toolKey]))

    @Test(arguments: [
        ("Decrypt", "DisabledException", KeyUseKind.attemptedUse),
        ("GenerateDataKeyWithoutPlaintext", "KMSInvalidStateException", .attemptedUse),
        ("ReEncrypt", "AccessDeniedException", .attemptedUse),
        ("CreateGrant", "DisabledException", .attemptedUse),
        ("Sign", nil, .use),
        ("Encrypt", nil, .use),
        ("VerifyMac", nil, .use),
    ] as [(String, String?, KeyUseKind)])
    func cryptographicAndGrantCallsAreEvidence(name: String, error: String?, kind: KeyUseKind) {
        #expect(rules.classify(EvidenceFixtures.record(name, error: error)) == kind)
    }

    @Test(arguments: ["DescribeKey", "ListGrants", "DisableKey", "ScheduleKeyDeletion", "TagResource", "DeleteKey"])
    func otherOperationsAreNeverEvidenceEvenWhenTheyFail(name: String) {
        #expect(rules.classify(EvidenceFixtures.record(name)) == nil)
        #expect(rules.classify(EvidenceFixtures.record(name, error: "KMSInvalidStateException")) == nil)
    }

    @Test func theToolsOwnCallsAreNotEvidenceButADecryptWithItsKeyIs() {
        let ownRead = EvidenceFixtures.record("GetKeyLastUsage", accessKey: EvidenceFixtures.toolKey)
        #expect(rules.tool.isOwnCall(ownRead))
        #expect(rules.classify(ownRead) == nil)
        let sharedKeyDecrypt = EvidenceFixtures.record("Decrypt", error: "DisabledException", accessKey: EvidenceFixtures.toolKey)
        #expect(!rules.tool.isOwnCall(sharedKeyDecrypt))
        #expect(rules.classify(sharedKeyDecrypt) == .attemptedUse)
    }

    @Test func theToolIsAlsoKnownByItsPrincipal() {
        let tool = ToolIdentity(principalARNs: ["arn:aws:iam::111122223333:role/decommission"])
        let cancel = EvidenceFixtures.record("CancelKeyDeletion", role: "arn:aws:iam::111122223333:role/decommission")
        #expect(tool.isOwnCall(cancel))
        #expect(!tool.isOwnCall(EvidenceFixtures.record("CancelKeyDeletion")))
        #expect(ToolIdentity.toolOperations.isSuperset(of: ToolIdentity.readOnlyOperations))
        #expect(ToolIdentity.toolOperations.isDisjoint(with: EvidenceRules.cryptographicOperations))
    }

    @Test func keyStateRefusalsAreTheDisabledAndPendingErrors() {
        #expect(EvidenceRules.isKeyStateRefusal(EvidenceFixtures.record("Decrypt", error: "DisabledException")))
        #expect(EvidenceRules.isKeyStateRefusal(EvidenceFixtures.record("Decrypt", error: "KMSInvalidStateException")))
        #expect(!EvidenceRules.isKeyStateRefusal(EvidenceFixtures.record("Decrypt", error: "AccessDeniedException")))
        #expect(!EvidenceRules.isKeyStateRefusal(EvidenceFixtures.record("Decrypt")))
    }

    @Test func aSessionIsNamedByItsRole() {
        #expect(EvidenceRules.principal(of: EvidenceFixtures.record("Decrypt")) == EvidenceFixtures.appRole)
        let user = CloudTrailRecord(principalARN: "arn:aws:iam::111122223333:user/ops")
        #expect(EvidenceRules.principal(of: user) == "arn:aws:iam::111122223333:user/ops")
    }
}
