/// One series of a chart: values oldest first, drawn as bars or as a line of points.
public struct ChartSeries: Sendable {
    public enum Kind: Sendable {
        /// Columns rising from the bottom of the chart, with fractional tops.
        case bars
        /// One `chart-point` glyph per column at the value's height.
        case line
    }

    public var values: [Double]
    public var kind: Kind
    public var style: Style

    public init(values: [Double], kind: Kind, style: Style) {
        self.values = values
        self.kind = kind
        self.style = style
    }
}

extension Screen {
    /// Draws a horizontal bar of `fraction` (0...1, clamped) in `width` cells starting at (x, y).
    ///
    /// Full cells use `bar-fill`, the last partial cell the nearest of the theme's `barLevels`
    /// (eighths in the Unicode theme, halves in ASCII), and the rest `bar-empty`.
    public mutating func bar(_ fraction: Double, x: Int, y: Int, width: Int, theme: Theme, style: Style? = nil, clip: Rect? = nil) {
        guard width > 0 else { return }
        let fillStyle = style ?? theme.style("bar-fill")
        let steps = theme.barLevels.count + 1
        let f = fraction.isNaN ? 0 : min(1, max(0, fraction))
        let units = Int((f * Double(width * steps)).rounded())
        let full = units / steps, partial = units % steps
        let fill = theme.glyph("bar-fill"), empty = theme.glyph("bar-empty"), emptyStyle = theme.style("bar-empty")
        for column in 0..<width {
            if column < full {
                put(fill, x: x + column, y: y, style: fillStyle, clip: clip)
            } else if column == full && partial > 0 {
                put(theme.barLevels[partial - 1], x: x + column, y: y, style: fillStyle, clip: clip)
            } else {
                put(empty, x: x + column, y: y, style: emptyStyle, clip: clip)
            }
        }
    }

    /// Draws the last `width` of `values` as a one-row sparkline from (x, y), newest at the right.
    ///
    /// Heights use the theme's `sparkLevels` scaled to `range` (default: the shown values' min...max;
    /// a flat series sits in the middle). Non-finite values leave a blank. Fewer values than `width`
    /// leave the left blank.
    public mutating func sparkline(_ values: [Double], x: Int, y: Int, width: Int, range: ClosedRange<Double>? = nil, theme: Theme, style: Style? = nil) {
        guard width > 0 else { return }
        let shown = values.suffix(width)
        let bounds = range ?? Screen.finiteRange(shown)
        let levels = theme.sparkLevels
        let lineStyle = style ?? theme.style("text")
        let offset = width - shown.count
        for (column, value) in shown.enumerated() {
            guard value.isFinite, let bounds else {
                put(.space, x: x + offset + column, y: y, style: lineStyle)
                continue
            }
            let span = bounds.upperBound - bounds.lowerBound
            let t = span > 0 ? min(1, max(0, (value - bounds.lowerBound) / span)) : 0.5
            let level = Int((t * Double(levels.count - 1)).rounded())
            put(levels[level], x: x + offset + column, y: y, style: lineStyle)
        }
    }

    /// Draws up to two (or more) series in `rect`, one column per value (the newest `rect.width`), on a
    /// shared vertical scale `range` (default: all shown finite values, widened to include 0).
    ///
    /// Bars rise from the bottom edge with fractional tops from `sparkLevels`; line series put
    /// `chart-point` at the value's row. Later series draw over earlier ones. A scale with no span (every value 0,
    /// since the default scale includes 0) draws values at the bottom: no bar, points on the last row.
    public mutating func chart(_ series: [ChartSeries], in rect: Rect, range: ClosedRange<Double>? = nil, theme: Theme) {
        guard rect.width > 0, rect.height > 0 else { return }
        let shownSeries = series.map { $0.values.suffix(rect.width) }
        var scale = range
        if scale == nil, let found = Screen.finiteRange(shownSeries.joined()) {
            scale = min(found.lowerBound, 0)...max(found.upperBound, 0)
        }
        guard let scale else { return }
        let span = scale.upperBound - scale.lowerBound
        let levels = theme.sparkLevels
        let rows = Double(rect.height)
        let point = theme.glyph("chart-point")
        for (item, shown) in zip(series, shownSeries) {
            for (column, value) in shown.enumerated() where value.isFinite {
                let x = rect.x + column
                let height = span > 0 ? min(1, max(0, (value - scale.lowerBound) / span)) * rows : 0
                switch item.kind {
                case .bars:
                    let full = Int(height)
                    for row in 0..<min(full, rect.height) {
                        put(levels[levels.count - 1], x: x, y: rect.maxY - 1 - row, style: item.style)
                    }
                    let remainder = height - Double(full)
                    let level = Int((remainder * Double(levels.count)).rounded(.down))
                    if full < rect.height && level > 0 {
                        put(levels[level - 1], x: x, y: rect.maxY - 1 - full, style: item.style)
                    }
                case .line:
                    let row = min(rect.height - 1, Int(height))
                    put(point, x: x, y: rect.maxY - 1 - row, style: item.style)
                }
            }
        }
    }

    /// Sets the background of each cell of `rect` from `values` (row-major, `rect.width × rect.height`)
    /// through the theme's heat ramp; non-finite values leave the cell alone. For map overlays.
    public mutating func heatOverlay(_ values: [Double], in rect: Rect, range: ClosedRange<Double>? = nil, ramp: HeatRamp) {
        precondition(values.count == rect.width * rect.height, "heat values must cover the rectangle")
        guard let bounds = range ?? Screen.finiteRange(values) else { return }
        for row in 0..<rect.height {
            for column in 0..<rect.width {
                let value = values[row * rect.width + column]
                guard value.isFinite else { continue }
                let x = rect.x + column, y = rect.y + row
                guard x >= 0, x < width, y >= 0, y < height else { continue }
                var cell = self[x, y]
                cell.background = ramp.color(for: value, in: bounds)
                self[x, y] = cell
            }
        }
    }

    static func finiteRange(_ values: some Sequence<Double>) -> ClosedRange<Double>? {
        var low = Double.infinity, high = -Double.infinity
        for value in values where value.isFinite {
            low = min(low, value)
            high = max(high, value)
        }
        return low <= high ? low...high : nil
    }
}
