import Foundation
import KMSAPI

/// `decommission list-key-stores`: the custom key stores in the account and Region (all pages).
struct ListKeyStoresCommand: Command {
    static let spec = CommandSpec(
        name: "list-key-stores", usage: "list-key-stores [OPTIONS]",
        abstract: "List the custom key stores in the account and Region.",
        discussion: "Calls DescribeCustomKeyStores (every page) and prints each store's id, name, type, connection state and cluster or proxy.",
        examples: ["decommission list-key-stores --region eu-west-1", "decommission list-key-stores --output json"],
        exitCodes: [CommonExitCodes.done, CommonExitCodes.failed, CommonExitCodes.usage])

    init(_ parsed: ParsedCommandLine) throws(CLIError) {}

    func run(_ context: CommandContext) async throws -> ExitCode {
        let session = try context.makeSession()
        var stores: [CustomKeyStoresListEntry] = []
        for try await page in session.client.pages(DescribeCustomKeyStores.self, DescribeCustomKeyStoresRequest()) {
            stores += page.customKeyStores ?? []
        }
        let output = context.output
        if output.format == .json {
            output.json(Result(customKeyStores: stores))
            return .done
        }
        if stores.isEmpty {
            output.line("No custom key stores in \(session.region).")
            return .done
        }
        let rows = stores.map { store -> [String] in
            let where_ = store.cloudHsmClusterID ?? store.xksProxyConfiguration?.uriEndpoint
                ?? store.xksProxyConfiguration?.vpcEndpointServiceName ?? "-"
            var state = store.connectionState?.rawValue ?? "-"
            if let error = store.connectionErrorCode { state += " (\(error.rawValue))" }
            return [
                store.customKeyStoreID ?? "-", store.customKeyStoreName ?? "-", store.customKeyStoreType?.rawValue ?? "AWS_CLOUDHSM",
                state, where_,
            ]
        }
        output.line(TextTable.render(header: ["ID", "NAME", "TYPE", "STATE", "CLUSTER/PROXY"], rows: rows, output: output))
        return .done
    }

    /// The JSON result: the DescribeCustomKeyStores entries with their AWS member names.
    struct Result: Encodable {
        var customKeyStores: [CustomKeyStoresListEntry]
    }
}
