import Foundation

/// Splits a `credential_process` command line into arguments the way the AWS CLI does (POSIX `shlex.split`).
enum CommandLineSplitter {
    /// Why a command line could not be split.
    enum Failure: Error, Equatable {
        case unterminatedQuote
        case danglingEscape
    }

    /// Splits on unquoted whitespace; single quotes are literal, double quotes allow `\"` `\\` `\$` and `` \` ``.
    static func split(_ line: String) throws(Failure) -> [String] {
        enum Mode { case plain, single, double }
        var arguments: [String] = []
        var current = ""
        var hasArgument = false
        var mode = Mode.plain
        var iterator = line.makeIterator()
        while let character = iterator.next() {
            switch mode {
            case .plain:
                if character == " " || character == "\t" || character == "\n" {
                    if hasArgument { arguments.append(current) }
                    current = ""
                    hasArgument = false
                } else if character == "'" {
                    mode = .single
                    hasArgument = true
                } else if character == "\"" {
                    mode = .double
                    hasArgument = true
                } else if character == "\\" {
                    guard let next = iterator.next() else { throw .danglingEscape }
                    current.append(next)
                    hasArgument = true
                } else {
                    current.append(character)
                    hasArgument = true
                }
            case .single:
                if character == "'" { mode = .plain } else { current.append(character) }
            case .double:
                if character == "\"" {
                    mode = .plain
                } else if character == "\\" {
                    guard let next = iterator.next() else { throw .unterminatedQuote }
                    if next != "\"" && next != "\\" && next != "$" && next != "`" { current.append("\\") }
                    current.append(next)
                } else {
                    current.append(character)
                }
            }
        }
        guard mode == .plain else { throw .unterminatedQuote }
        if hasArgument { arguments.append(current) }
        return arguments
    }
}
