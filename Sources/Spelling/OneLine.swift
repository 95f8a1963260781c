/// `text` with its control characters written as escapes ("\n", "\u{1B}"): an error quoting what a person typed or
/// wrote in a file (a folded YAML block, an argument holding a newline or an ESC) stays one line, and none of it
/// reaches the terminal as a command.
public func oneLine(_ text: String) -> String {
    text.unicodeScalars.map { $0.properties.generalCategory == .control ? $0.escaped(asASCII: false) : String($0) }.joined()
}
