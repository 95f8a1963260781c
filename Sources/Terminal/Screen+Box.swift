extension Screen {
    /// Draws a frame around `rect` with the theme's `frame-*` glyphs and an optional title in the top edge.
    ///
    /// The title is set as " Title " two columns in from the left corner, in the `frame-title` style, and
    /// clipped so the corners stay. Returns the interior (`rect.inset(by: 1)`) for the panel's content.
    @discardableResult
    public mutating func box(_ rect: Rect, title: String? = nil, theme: Theme, style: Style? = nil) -> Rect {
        guard rect.width >= 2, rect.height >= 2 else { return rect.inset(by: 1) }
        let frameStyle = style ?? theme.style("frame-horizontal")
        let horizontal = theme.glyph("frame-horizontal"), vertical = theme.glyph("frame-vertical")
        for x in rect.x + 1..<rect.maxX - 1 {
            put(horizontal, x: x, y: rect.y, style: frameStyle)
            put(horizontal, x: x, y: rect.maxY - 1, style: frameStyle)
        }
        for y in rect.y + 1..<rect.maxY - 1 {
            put(vertical, x: rect.x, y: y, style: frameStyle)
            put(vertical, x: rect.maxX - 1, y: y, style: frameStyle)
        }
        put(theme.glyph("frame-top-left"), x: rect.x, y: rect.y, style: frameStyle)
        put(theme.glyph("frame-top-right"), x: rect.maxX - 1, y: rect.y, style: frameStyle)
        put(theme.glyph("frame-bottom-left"), x: rect.x, y: rect.maxY - 1, style: frameStyle)
        put(theme.glyph("frame-bottom-right"), x: rect.maxX - 1, y: rect.maxY - 1, style: frameStyle)
        if let title, !title.isEmpty, rect.width > 4 {
            let titleArea = Rect(x: rect.x + 1, y: rect.y, width: rect.width - 2, height: 1)
            write(" \(title) ", x: rect.x + 2, y: rect.y, style: theme.style("frame-title"), clip: titleArea)
        }
        return rect.inset(by: 1)
    }

    /// Draws a horizontal rule across `rect`'s row `y` with the `frame-horizontal` glyph.
    public mutating func rule(x: Int, y: Int, width: Int, theme: Theme) {
        let glyph = theme.glyph("frame-horizontal"), style = theme.style("frame-horizontal")
        for column in x..<x + max(0, width) { put(glyph, x: column, y: y, style: style) }
    }
}
