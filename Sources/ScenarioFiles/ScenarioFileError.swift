import Spelling

/// A problem in a scenario file, located to its line and column (both from 1; 0 when no place in a file applies,
/// as for a scenario name that names no file).
public struct ScenarioFileError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, _ message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:column: message`, the form editors and terminals turn into links; on one line, as a value quoted
    /// from the file (a folded block, a key holding "\n" or an ESC) has its control characters written as escapes.
    public var description: String {
        oneLine(line > 0 ? "\(file):\(line):\(column): \(message)" : "\(file): \(message)")
    }
}
