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
    /// Multiplies every per-operation request rate of the client's pacing (`--rate-scale`).
    var rateScale: Double = 1

    /// The largest `--rate-scale`: far beyond any raised KMS quota, and still a finite pacing.
    static let maximumRateScale: Double = 1_000_000

    /// The declared global options, shared by the parser and every help text.
    static let specs: [OptionSpec] = [
        .value("--region", "REGION", "AWS Region (else AWS_REGION, AWS_DEFAULT_REGION or the profile)."),
        .value("--profile", "NAME", "Named profile (keys, role, SSO, web identity, process); skips environment keys."),
        .value(
            "--endpoint-url", "URL",
            "Send KMS calls to this endpoint (for example kms-local); CloudTrail goes there too unless its endpoint is configured or this is an AWS host."),
        .value("--output", "text|json", "Print text for people or one JSON object for programs.", default: "text"),
        .flag("--no-color", "Never colour the output (also when NO_COLOR is set)."),
        .flag("--verbose", "Log each AWS call and credential refresh to stderr (never secrets or tokens)."),
        .value(
            "--rate-scale", "M",
            "Pace each KMS operation at M times its default quota (raised quotas; 0.5 to leave room for others).",
            default: "1"),
        .flag("--help", "Show help for the command.", short: "-h"),
    ]
}
