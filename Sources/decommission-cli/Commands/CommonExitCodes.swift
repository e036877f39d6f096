/// Exit code lines shared by the command help texts.
enum CommonExitCodes {
    static let usage: (code: Int32, meaning: String) = (2, "usage error, or an unreadable, invalid or tampered plan")
    static let failed: (code: Int32, meaning: String) = (1, "failed: a KMS or file error remained after retries")
    static let done: (code: Int32, meaning: String) = (0, "done")
}
