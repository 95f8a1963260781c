import ArgumentParser
import Foundation
import Spelling

extension ParsableCommand {
    /// Parses the arguments and runs the command, reporting bad input as one line on stderr (`NAME: what was
    /// wrong; see NAME --help`) with a status from 1 to 127, instead of the parser's error, usage and hint lines;
    /// help and version requests print to stdout and exit 0.
    public static func mainReportingOneLine(_ arguments: [String]? = nil) -> Never {
        let name = configuration.commandName ?? String(describing: Self.self)
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            Foundation.exit(0)
        } catch {
            let code = exitCode(for: error)
            let given = arguments ?? Array(CommandLine.arguments.dropFirst())
            let parsed = message(for: error)
            let text = escapingArguments(given, in: negativeNumberMessage(for: parsed, in: given) ?? parsed)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            if !text.isEmpty {
                let line = text.split(whereSeparator: \.isNewline).map { oneLine(String($0)) }.joined(separator: " ")
                let hint = code == .validationFailure ? " (see '\(helpCommand(in: fullMessage(for: error)) ?? name + " --help")')" : ""
                writeToStandardError("\(name): \(line)\(hint)\n")
            }
            Foundation.exit(code.rawValue)
        }
    }

    /// `message` with every argument that holds a control character (a newline, an ESC) written with escapes where the
    /// parser quotes it back ("The value 'a\nb' is invalid"), so that the line shows what was typed and none of it
    /// reaches the terminal as a command.
    static func escapingArguments(_ arguments: [String], in message: String) -> String {
        arguments.filter { oneLine($0) != $0 }.reduce(message) { $0.replacingOccurrences(of: $1, with: oneLine($1)) }
    }

    /// The parser reads "-3" after an option as another option and reports the option's value as missing. No
    /// option here takes a negative number, so the line says that, with the value given, instead.
    static func negativeNumberMessage(for message: String, in arguments: [String]) -> String? {
        let missing = "Missing value for '"
        guard message.hasPrefix(missing + "--"), let option = message.dropFirst(missing.count).split(separator: " ").first,
              let at = arguments.firstIndex(of: String(option)), at + 1 < arguments.count else { return nil }
        let value = arguments[at + 1]
        guard value.hasPrefix("-"), Double(value) != nil else { return nil }
        return "\(option) takes no negative number, found '\(value)'"
    }

    /// The parser's "See 'playgrid run --help' for more information." names the subcommand's help.
    static func helpCommand(in fullMessage: String) -> String? {
        guard let start = fullMessage.range(of: "See '"), let end = fullMessage[start.upperBound...].firstIndex(of: "'") else {
            return nil
        }
        return String(fullMessage[start.upperBound..<end])
    }
}
