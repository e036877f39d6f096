import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes a new plan to its output path, refusing to replace a plan that has started.
public struct PlanWriter: Sendable {
    private let store: PlanFileStore

    /// Creates a writer using `store` for the atomic, mode-0600 write.
    public init(store: PlanFileStore = PlanFileStore()) { self.store = store }

    /// The default output path, `plans/<store-id>.json` (relative to the working directory).
    public static func defaultPath(for keyStoreID: String, directory: String = "plans") -> String {
        "\(directory)/\(keyStoreID).json"
    }

    /// Writes `plan` to `path`, creating its folder if missing. An existing plan that has not
    /// started is replaced; one that has started (or has a journal beside it, or is not a readable
    /// plan) is kept unless `force`. A failed write leaves no partial file.
    /// - Throws: `DecommissionError` with `plan.exists` or `plan.unwritable-output`.
    public func write(_ plan: Plan, to path: String, force: Bool = false) throws {
        if !force, store.exists(path) {
            try checkReplaceable(path)
        }
        let directory = (path as NSString).deletingLastPathComponent
        do {
            if !directory.isEmpty { try Self.makeDirectories(directory) }
            try store.write(plan, to: path)
        } catch let error as DecommissionError {
            throw DecommissionError(
                code: .unwritableOutput, message: "Cannot write the plan to '\(path)': \(error.message) Choose another --out path.",
                underlying: error)
        }
    }

    private func checkReplaceable(_ path: String) throws {
        let existing: Plan
        do {
            existing = try store.read(path)
        } catch let error as DecommissionError {
            throw DecommissionError(
                code: .planExists,
                message: "'\(path)' exists and is not a readable plan (\(error.message)); move it away, choose another --out, or pass --force.",
                underlying: error)
        }
        let journal = Journal.path(forPlan: path)
        if existing.hasStarted || Self.isNonEmptyFile(journal) {
            throw DecommissionError(
                code: .planExists,
                message: "Plan '\(path)' has started; continue it with 'decommission apply \(path) --resume', or pass --force to replace it.")
        }
    }

    private static func isNonEmptyFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_size > 0
    }

    /// Creates `directory` and any missing parents (mode 0700: plans name keys and accounts).
    static func makeDirectories(_ directory: String) throws {
        var info = stat()
        if stat(directory, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else {
                throw DecommissionError(code: .fileSystem, message: "'\(directory)' is not a folder.")
            }
            return
        }
        let parent = (directory as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != directory { try makeDirectories(parent) }
        if mkdir(directory, 0o700) != 0, errno != EEXIST {
            throw DecommissionError(code: .fileSystem, message: "Could not create folder '\(directory)': \(String(cString: strerror(errno))).")
        }
    }
}
