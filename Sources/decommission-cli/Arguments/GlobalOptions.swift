/// How results and errors are printed.
enum OutputFormat: String, Sendable, CaseIterable {
    case text, json
}

/// The options every command takes, before or after the subcommand (AWS CLI meaning).
struct GlobalOptions: Sendable, Equatable {
    var region: String?
    var profile: String?
    var endpointURL: String?
    var output: OutputFormat = .text
    var noColor = false
    var verbose = false

    /// The declared global options, shared by the parser and every help text.
    static let specs: [OptionSpec] = [
        .value("--region", "REGION", "AWS Region (else AWS_REGION, AWS_DEFAULT_REGION or the profile)."),
        .value("--profile", "NAME", "Named profile from the shared config and credentials files."),
        .value("--endpoint-url", "URL", "Send KMS calls to this endpoint (for example kms-local)."),
        .value("--output", "text|json", "Print text for people or one JSON object for programs.", default: "text"),
        .flag("--no-color", "Never colour the output (also when NO_COLOR is set)."),
        .flag("--verbose", "Log each KMS call (operation, attempt, status, request id, duration) to stderr."),
        .flag("--help", "Show help for the command.", short: "-h"),
    ]
}
