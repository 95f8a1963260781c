/// Why a theme could not be loaded: names the file, and the entry when one is at fault.
public struct ThemeError: Error, Equatable, CustomStringConvertible {
    /// The theme file (or the assets folder when no file was found).
    public var file: String
    /// What was wrong and what was expected.
    public var message: String

    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): \(message)" }
}
