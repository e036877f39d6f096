import Foundation

/// Reads and writes plan files: the header is checked before the body is decoded, and writes are
/// atomic (temporary file, fsync, rename) with mode 0600.
public struct PlanFileStore: Sendable {
    public init() {}

    /// Reads and validates a plan file.
    /// - Throws: `DecommissionError` with `checkpoint.unreadable`, `checkpoint.invalid-plan` or
    ///   `checkpoint.unsupported-schema-version`. The fingerprint is not checked here.
    public func read(_ path: String) throws -> Plan {
        let data: Data?
        do {
            data = try AtomicFile.read(path)
        } catch let error as DecommissionError {
            throw DecommissionError(code: .unreadablePlan, message: error.message)
        }
        guard let data else {
            throw DecommissionError(code: .unreadablePlan, message: "Plan file '\(path)' does not exist; run 'decommission plan' first.")
        }
        return try decode(data, path: path)
    }

    /// Decodes plan JSON, checking the schema header first.
    public func decode(_ data: Data, path: String) throws -> Plan {
        let decoder = JSONCoding.makeDecoder()
        let header: SchemaHeader
        do {
            header = try decoder.decode(SchemaHeader.self, from: data)
        } catch {
            throw DecommissionError(
                code: .invalidPlan, message: "Plan file '\(path)' is not a plan: \(Self.describe(error))")
        }
        guard header.kind == Plan.kindName else {
            throw DecommissionError(
                code: .unsupportedSchemaVersion,
                message: "File '\(path)' has kind '\(header.kind ?? "none")'; this tool reads '\(Plan.kindName)'.")
        }
        guard header.schemaVersion == Plan.currentSchemaVersion else {
            throw DecommissionError(
                code: .unsupportedSchemaVersion,
                message: "File '\(path)' has schemaVersion \(header.schemaVersion.map(String.init) ?? "none"); this tool reads \(Plan.currentSchemaVersion).")
        }
        let plan: Plan
        do {
            plan = try decoder.decode(Plan.self, from: data)
        } catch {
            throw DecommissionError(code: .invalidPlan, message: "Plan file '\(path)' is invalid: \(Self.describe(error))")
        }
        do {
            try StepGraphBuilder.validate(plan.steps)
        } catch let error as DecommissionError {
            throw DecommissionError(code: .invalidPlan, message: "Plan file '\(path)' is invalid: \(error.message)")
        }
        return plan
    }

    /// Encodes a plan as the file's bytes (sorted keys, indented, trailing newline).
    public func encode(_ plan: Plan) throws -> Data {
        var data = try JSONCoding.makeEncoder().encode(plan)
        data.append(0x0A)
        return data
    }

    /// Writes a plan atomically with mode 0600.
    /// - Throws: `DecommissionError` with `io.failed`.
    public func write(_ plan: Plan, to path: String) throws {
        try AtomicFile.write(try encode(plan), to: path)
    }

    /// Whether a file exists at `path`.
    public func exists(_ path: String) -> Bool { AtomicFile.exists(path) }

    private struct SchemaHeader: Decodable {
        var schemaVersion: Int?
        var kind: String?
    }

    /// Describes a decoding error in one line, naming the JSON path.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let components = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return components.isEmpty ? "top level" : String(components.drop { $0 == "." })
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing field '\(key.stringValue)' at \(path(context))."
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "wrong type at \(path(context)): \(context.debugDescription)"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not valid JSON." : "bad value at \(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
