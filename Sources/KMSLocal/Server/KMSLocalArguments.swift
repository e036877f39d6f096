import Foundation

/// The `kms-local` command line: parsing into a configuration, and the help text.
public enum KMSLocalArguments {
    /// What the command line asks for.
    public enum Parsed: Sendable, Equatable {
        /// Serve with this configuration.
        case run(KMSLocalConfiguration)
        /// Print the help text and exit.
        case help
        /// Print the `--quotas aws` table as JSON (`QuotaTable`) and exit.
        case printQuotas
    }

    /// Parses the arguments (without the program name).
    /// - Throws: `KMSLocalError` with `kms-local.unknown-option` or `kms-local.invalid-value`; the message is one line.
    public static func parse(_ arguments: [String]) throws -> Parsed {
        var configuration = KMSLocalConfiguration()
        var credentials: [String: String] = [:]
        var index = 0
        var printsQuotas = false
        func value(_ flag: String) throws -> String {
            index += 1
            guard index < arguments.count else { throw invalid("\(flag) needs a value.") }
            return arguments[index]
        }
        func number(_ flag: String, _ text: String, minimum: Double) throws -> Double {
            guard let number = Double(text), number.isFinite, number >= minimum else {
                throw invalid("\(flag) takes a number ≥ \(minimum), not '\(text)'.")
            }
            return number
        }
        while index < arguments.count {
            let flag = arguments[index]
            switch flag {
            case "--help", "-h": return .help
            case "--print-quotas": printsQuotas = true
            case "--host": configuration.host = try value(flag)
            case "--port":
                let text = try value(flag)
                guard let port = Int(text), (0...65535).contains(port) else { throw invalid("--port takes 0 to 65535, not '\(text)'.") }
                configuration.port = port
            case "--seed": configuration.seedFile = try value(flag)
            case "--state": configuration.stateFile = try value(flag)
            case "--time-scale":
                let scale = try number(flag, try value(flag), minimum: 0)
                guard scale > 0 else { throw invalid("--time-scale must be greater than 0.") }
                configuration.timeScale = scale
            case "--quotas":
                let text = try value(flag)
                guard let policy = QuotaPolicy(argument: text) else { throw invalid("--quotas takes none, aws or aws×M, not '\(text)'.") }
                configuration.quotas = policy
            case "--fault-rate":
                let rate = try number(flag, try value(flag), minimum: 0)
                guard rate <= 1 else { throw invalid("--fault-rate takes a fraction from 0 to 1.") }
                configuration.faultRate = rate
            case "--fault-seed":
                let text = try value(flag)
                guard let seed = UInt64(text) else { throw invalid("--fault-seed takes a non-negative integer, not '\(text)'.") }
                configuration.faultSeed = seed
            case "--latency": configuration.latencyMilliseconds = Int(try number(flag, try value(flag), minimum: 0))
            case "--deletion-lag": configuration.deletionLagSeconds = try number(flag, try value(flag), minimum: 0)
            case "--credentials":
                // AKID:SECRET, or AKID:SECRET:TOKEN for temporary credentials (the token is then required).
                let parts = try value(flag).split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
                guard (2...3).contains(parts.count), !parts.contains(where: \.isEmpty) else {
                    throw invalid("--credentials takes AKID:SECRET or AKID:SECRET:TOKEN.")
                }
                credentials[parts[0]] = parts[1]
                if parts.count == 3 { configuration.sessionTokens[parts[0]] = parts[2] }
            case "--account-id":
                let text = try value(flag)
                guard text.count == 12, text.allSatisfy(\.isNumber) else { throw invalid("--account-id takes 12 digits, not '\(text)'.") }
                configuration.accountID = text
            case "--region": configuration.region = try value(flag)
            case "--principal":
                let text = try value(flag)
                guard let equals = text.firstIndex(of: "="), equals != text.startIndex,
                    text[text.index(after: equals)...].hasPrefix("arn:")
                else { throw invalid("--principal takes AKID=ARN, such as AKID=arn:aws:iam::111122223333:role/app.") }
                configuration.principals[String(text[..<equals])] = String(text[text.index(after: equals)...])
            case "--cloudtrail-lag": configuration.cloudTrailLagSeconds = try number(flag, try value(flag), minimum: 0)
            default:
                throw KMSLocalError(code: .unknownOption, message: "Unknown option '\(flag)'; see kms-local --help.")
            }
            index += 1
        }
        if printsQuotas { return .printQuotas }
        if !credentials.isEmpty { configuration.credentials = credentials }
        return .run(configuration)
    }

    private static func invalid(_ message: String) -> KMSLocalError {
        KMSLocalError(code: .invalidValue, message: message)
    }

    /// The `--help` text.
    public static let helpText = """
        kms-local: a local AWS KMS emulator with custom key stores (JSON 1.1 + SigV4 on loopback).

        usage: kms-local [--host 127.0.0.1] [--port 4599|0] [--seed FILE] [--state FILE] [--time-scale K]
                         [--quotas none|aws|aws×M] [--fault-rate P] [--fault-seed S] [--latency MS]
                         [--deletion-lag SECONDS] [--credentials AKID:SECRET[:TOKEN]]... [--account-id ID] [--region R]
                         [--principal AKID=ARN]... [--cloudtrail-lag SECONDS]
               kms-local --print-quotas

          --host ADDR            IPv4 address to bind (default 127.0.0.1; others print a warning)
          --port N               TCP port (default 4599; 0 picks a free port)
          --seed FILE            initial stores and keys (format below)
          --state FILE           load if present; saved after every change and at exit (mode 0600)
          --time-scale K         divide every duration (waiting periods, connect/disconnect, lag) by K
          --quotas POLICY        none (default), aws, or aws×M (also awsxM, aws*M): AWS request quotas × M
          --fault-rate P         fraction of requests failing: KMSInternalException, or applied then dropped
          --fault-seed S         seed of the fault generator (default 0)
          --latency MS           delay before each answer
          --deletion-lag SECONDS extra time after DeletionDate before a key vanishes (default 0)
          --credentials ID:KEY[:TOKEN]  accepted access key (repeatable; with TOKEN, requests must carry it); default AKIDKMSLOCAL:kms-local-secret
          --account-id ID        account in ARNs (default 111122223333)
          --region R             Region in ARNs (default us-east-1)
          --principal AKID=ARN   CloudTrail identity of an access key (repeatable; default arn:aws:iam::ACCOUNT:user/AKID)
          --cloudtrail-lag S     seconds before a call's CloudTrail event is visible (default 0; not time-scaled)
          --print-quotas         print the --quotas aws rates as JSON on stdout and exit:
                                 {"kind": "kms-local-quotas", "schemaVersion": 1, "unit": "requests-per-second",
                                  "requestsPerSecond": {"DescribeKey": 2000, ...}}; aws×M multiplies each

        CloudTrail: every KMS call becomes an event, read with LookupEvents on the same port
        (X-Amz-Target com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents, SigV4 cloudtrail).

        Test endpoints (unsigned): GET /_kms_local/health, GET /_kms_local/calls[?since=SEQ],
        POST /_kms_local/advance {"seconds": N}.

        Seed file (JSON, see Sources/KMSLocal/SEED-FORMAT.md):
          {"seedVersion": 1, "accountId": "111122223333", "region": "us-east-1",
           "trackingStartDate": "2025-01-01T00:00:00Z", "generatedKeys": 1000,
           "stores": [{"id": "cks-1234567890abcdef0", "name": "hsm", "type": "AWS_CLOUDHSM",
                       "clusterId": "cluster-1a23b4cdefg", "connectionState": "CONNECTED",
                       "connectSeconds": 600, "disconnectSeconds": 120, "nextConnectFailure": "NETWORK_ERRORS"}],
           "keys": [{"id": "1234abcd-12ab-34cd-56ef-1234567890ab", "storeId": "cks-1234567890abcdef0",
                     "state": "Enabled", "aliases": ["alias/app"], "tags": [{"key": "team", "value": "a"}],
                     "grants": [{"granteePrincipal": "arn:aws:iam::111122223333:role/app", "operations": ["Decrypt"]}],
                     "lastUsage": {"operation": "Decrypt", "timestamp": "2025-02-01T00:00:00Z"}}]}
        """
}
