/// A terminal screen as a value: `width × height` cells in one flat row-major buffer.
///
/// Views draw into a `Screen`; a backend presents it. Because it is a plain `Equatable` value, every view
/// is a pure function that tests compare as text (`text`) without a terminal.
public struct Screen: Equatable, Sendable {
    public let width: Int
    public let height: Int
    /// Row-major cells: the cell at (x, y) is `cells[y * width + x]`.
    public private(set) var cells: ContiguousArray<Cell>

    /// A screen filled with `cell` (negative sizes count as 0).
    public init(width: Int, height: Int, fill cell: Cell = .blank) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = ContiguousArray(repeating: cell, count: self.width * self.height)
    }

    public init(size: Size, fill cell: Cell = .blank) {
        self.init(width: size.width, height: size.height, fill: cell)
    }

    public var size: Size { Size(width: width, height: height) }
    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// The cell at (x, y), which must be on the screen. A raw store: it does not keep wide glyphs whole,
    /// so write glyphs that may be double-width with `put` or `write`.
    public subscript(x: Int, y: Int) -> Cell {
        get {
            precondition(x >= 0 && x < width && y >= 0 && y < height, "cell (\(x), \(y)) is off a \(size) screen")
            return cells[y * width + x]
        }
        set {
            precondition(x >= 0 && x < width && y >= 0 && y < height, "cell (\(x), \(y)) is off a \(size) screen")
            cells[y * width + x] = newValue
        }
    }

    /// Resets every cell to `cell`.
    public mutating func clear(_ cell: Cell = .blank) {
        cells.withUnsafeMutableBufferPointer { buffer in
            for index in buffer.indices { buffer[index] = cell }
        }
    }

    /// Fills the part of `rect` that lies on the screen with `cell`. O(area).
    public mutating func fill(_ rect: Rect, with cell: Cell) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        let width = self.width
        cells.withUnsafeMutableBufferPointer { buffer in
            for y in area.y..<area.maxY {
                let row = y * width
                for x in area.x..<area.maxX { buffer[row + x] = cell }
            }
        }
        repairWideEdges(rows: area.y..<area.maxY, columns: [area.x, area.maxX])
    }

    /// Puts one glyph at (x, y), clipped to `clip` (and the screen).
    ///
    /// A double-width glyph takes (x, y) and (x + 1, y) and is dropped (shown as a space) when its right
    /// half would fall outside the clip. Overwriting either half of a wide glyph blanks the other half,
    /// so the screen never holds half a glyph. Returns the columns advanced (0, 1 or 2).
    @discardableResult
    public mutating func put(_ glyph: Glyph, x: Int, y: Int, style: Style = .plain, clip: Rect? = nil) -> Int {
        let area = clip.map { $0.intersection(bounds) } ?? bounds
        let columns = glyph.width
        guard columns > 0 else { return 0 }
        guard area.contains(x: x, y: y) else { return columns }
        if columns == 2 && !area.contains(x: x + 1, y: y) {
            setNarrow(Cell(Glyph.space, style: style), x: x, y: y)
            return 2
        }
        setNarrow(Cell(glyph, style: style), x: x, y: y)
        if columns == 2 {
            setNarrow(Cell(.continuation, style: style), x: x + 1, y: y)
        }
        return columns
    }

    /// Changes the style of the cell at (x, y) and keeps its glyph; off-screen positions are ignored.
    public mutating func setStyle(_ style: Style, x: Int, y: Int) {
        guard x >= 0, x < width, y >= 0, y < height else { return }
        cells[y * width + x].style = style
    }

    /// Sets the background of every cell of `rect` (on screen), keeping glyphs: used for overlays.
    public mutating func tint(_ rect: Rect, background: Color) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        let width = self.width
        cells.withUnsafeMutableBufferPointer { buffer in
            for y in area.y..<area.maxY {
                for x in area.x..<area.maxX { buffer[y * width + x].background = background }
            }
        }
    }

    /// Copies `cell` into (x, y), blanking the other half of any wide glyph it cuts through.
    @inline(__always)
    mutating func setNarrow(_ cell: Cell, x: Int, y: Int) {
        let index = y * width + x
        let old = cells[index].glyph
        if old.isContinuation, x > 0, !cell.glyph.isContinuation {
            cells[index - 1].glyph = .space
        } else if old.width == 2, x + 1 < width, cells[index + 1].glyph.isContinuation {
            cells[index + 1].glyph = .space
        }
        cells[index] = cell
    }

    /// After a block write, blanks wide glyphs cut at the block's left or right edge.
    mutating func repairWideEdges(rows: Range<Int>, columns: [Int]) {
        for y in rows {
            for x in columns where x > 0 && x < width {
                let left = y * width + x - 1
                if cells[left].glyph.width == 2 && !cells[left + 1].glyph.isContinuation { cells[left].glyph = .space }
                if cells[left + 1].glyph.isContinuation && cells[left].glyph.width != 2 { cells[left + 1].glyph = .space }
            }
            let first = y * width
            if width > 0, cells[first].glyph.isContinuation { cells[first].glyph = .space }
            if width > 0, cells[first + width - 1].glyph.width == 2 { cells[first + width - 1].glyph = .space }
        }
    }

    /// The characters as lines joined by "\n", trailing spaces trimmed per line: for golden tests.
    public var text: String {
        text(in: bounds)
    }

    /// The characters of `rect` as lines, trailing spaces trimmed per line.
    public func text(in rect: Rect) -> String {
        let area = rect.intersection(bounds)
        var lines: [String] = []
        lines.reserveCapacity(area.height)
        for y in area.y..<area.maxY {
            var line = String.UnicodeScalarView()
            for x in area.x..<area.maxX {
                let glyph = cells[y * width + x].glyph
                if glyph.isContinuation { continue }
                if let scalar = Unicode.Scalar(glyph.first) { line.append(scalar) }
                if glyph.second != 0, let scalar = Unicode.Scalar(glyph.second) { line.append(scalar) }
            }
            while let last = line.last, last == " " { line.removeLast() }
            lines.append(String(line))
        }
        return lines.joined(separator: "\n")
    }
}
