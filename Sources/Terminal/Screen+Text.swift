/// Horizontal placement of text inside a rectangle.
public enum Alignment: Sendable {
    case left
    case center
    case right
}

extension Screen {
    /// Columns `text` takes on screen (wide glyphs count 2, combining marks and controls 0).
    public static func columns(of text: some StringProtocol) -> Int {
        var total = 0
        for character in text { total += Glyph(character).width }
        return total
    }

    /// Writes `text` on one row starting at (x, y), clipped to `clip` (default: the whole screen).
    ///
    /// Each grapheme takes its column width; control characters are skipped. Returns the column after
    /// the last character, whether or not it was visible, so callers can continue a line.
    @discardableResult
    public mutating func write(_ text: some StringProtocol, x: Int, y: Int, style: Style = .plain, clip: Rect? = nil) -> Int {
        let area = clip.map { $0.intersection(bounds) } ?? bounds
        guard y >= area.y, y < area.maxY else { return x + Screen.columns(of: text) }
        var column = x
        for character in text {
            let glyph = Glyph(character)
            if column >= area.maxX {
                column += glyph.width
                continue
            }
            column += put(glyph, x: column, y: y, style: style, clip: area)
        }
        return column
    }

    /// Writes one line of `text` in the row `y` of `rect`, aligned and clipped to it.
    public mutating func write(_ text: some StringProtocol, in rect: Rect, row y: Int = 0, alignment: Alignment = .left, style: Style = .plain) {
        let columns = Screen.columns(of: text)
        let start: Int
        switch alignment {
        case .left: start = rect.x
        case .center: start = rect.x + max(0, (rect.width - columns) / 2)
        case .right: start = rect.x + max(0, rect.width - columns)
        }
        write(text, x: start, y: rect.y + y, style: style, clip: rect)
    }

    /// Word-wraps `text` into `rect`, one row per line, and returns the number of rows used.
    ///
    /// Explicit newlines start new lines; words longer than the width are cut. Rows past the bottom
    /// of `rect` are counted but not drawn.
    @discardableResult
    public mutating func writeWrapped(_ text: String, in rect: Rect, alignment: Alignment = .left, style: Style = .plain) -> Int {
        let lines = Screen.wrap(text, width: rect.width)
        for (row, line) in lines.enumerated() where row < rect.height {
            write(line, in: rect, row: row, alignment: alignment, style: style)
        }
        return lines.count
    }

    /// Splits `text` into lines of at most `width` columns, breaking at spaces where it can.
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            var lineColumns = 0
            var pending = true
            for word in paragraph.split(separator: " ") {
                var word = Substring(word)
                let wordColumns = columns(of: word)
                if lineColumns > 0 && lineColumns + 1 + wordColumns <= width {
                    line += " " + word
                    lineColumns += 1 + wordColumns
                    continue
                }
                if lineColumns > 0 { lines.append(line) }
                while columns(of: word) > width {
                    var cut = word.startIndex, used = 0
                    while cut < word.endIndex, used + Glyph(word[cut]).width <= width {
                        used += Glyph(word[cut]).width
                        cut = word.index(after: cut)
                    }
                    if cut == word.startIndex { cut = word.index(after: cut) }
                    lines.append(String(word[..<cut]))
                    word = word[cut...]
                }
                line = String(word)
                lineColumns = columns(of: word)
                pending = !word.isEmpty
            }
            if pending { lines.append(line) }
        }
        return lines
    }
}
