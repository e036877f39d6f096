import Foundation
import KMSAPI
import Testing

struct AWSXMLReaderTests {
    private func parse(_ text: String) throws -> AWSXMLElement { try AWSXMLReader.parse(Data(text.utf8)) }

    @Test func readsAnSTSAnswerWithNamespaceDeclarationAndNesting() throws {
        let root = try parse("""
            <?xml version="1.0" encoding="UTF-8"?>
            <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <AssumeRoleResult>
                <Credentials>
                  <AccessKeyId>ASIAEXAMPLE</AccessKeyId>
                  <Expiration>2026-12-01T21:00:00Z</Expiration>
                </Credentials>
              </AssumeRoleResult>
              <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>
            </AssumeRoleResponse>
            """)
        #expect(root.name == "AssumeRoleResponse")
        #expect(root.attributes["xmlns"] == "https://sts.amazonaws.com/doc/2011-06-15/")
        let credentials = try #require(root.descendant(["AssumeRoleResult", "Credentials"]))
        #expect(credentials.childText("AccessKeyId") == "ASIAEXAMPLE")
        #expect(root.descendant(["ResponseMetadata", "RequestId"])?.text == "r-1")
        #expect(root.descendant(["AssumeRoleResult", "Missing"]) == nil)
    }

    @Test func decodesEntitiesCDATAAndDropsCommentsAndPrefixes() throws {
        let root = try parse("<s3:Key>a&amp;b&lt;&#x263A;&#65;<!-- no --><![CDATA[<raw>]]>&quot;&apos;</s3:Key>")
        #expect(root.name == "Key")
        #expect(root.text == "a&b<☺A<raw>\"'")
    }

    @Test func keepsRepeatedChildrenInOrderAndSelfClosingElements() throws {
        let root = try parse("<L><C><K>one</K></C><E/><C><K>two</K></C></L>")
        #expect(root.children(named: "C").compactMap { $0.childText("K") } == ["one", "two"])
        #expect(root.child("E")?.children.isEmpty == true)
    }

    @Test(arguments: [
        "", "<a>", "<a></b>", "<a>x</a>trailing", "<a b=c/>", "<a>&unknown;</a>",
        "<!DOCTYPE a [<!ENTITY x 'y'>]><a>&x;</a>", "<a>&amp</a>", "plain text",
    ])
    func rejectsMalformedDocuments(text: String) {
        let error = #expect(throws: KMSError.self) { try parse(text) }
        #expect(error?.code == .invalidResponse)
    }
}
