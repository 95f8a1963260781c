import Foundation
import Terminal
import Views

/// The diagnostic screen: state (keys seen, help shown) and a pure draw function.
struct TermCheck {
    static let minimum = Size(width: 60, height: 20)

    let theme: Theme
    let isUTF8: Bool
    let colorDepth: ColorDepth
    var keys: [Key] = []
    var showsHelp = false

    /// Records `key`; returns false when the user asked to quit.
    mutating func handle(_ key: Key) -> Bool {
        keys.append(key)
        switch KeyMap.command(for: key, in: .watch) {
        case .quit: return false
        case .help: showsHelp.toggle()
        case .dismiss: showsHelp = false
        default: break
        }
        return true
    }

    func name(of key: Key) -> String { theme.isUnicode ? key.description : key.asciiDescription }

    func draw(into screen: inout Screen) {
        screen.clear()
        guard screen.size.contains(TermCheck.minimum) else {
            TooSmallView.draw(into: &screen, minimum: TermCheck.minimum, theme: theme)
            return
        }
        let inner = screen.box(screen.bounds, title: "PlayGrid terminal check", theme: theme)
        let times = theme.isUnicode ? "×" : "x"
        let facts = "theme \(theme.name)   UTF-8 \(isUTF8 ? "yes" : "no")   colours \(colorDepth.rawValue)   size \(screen.width)\(times)\(screen.height)"
        screen.write(facts, in: inner, row: 0, style: theme.style("text"))

        // Glyphs: every world name with its glyph, in as many columns as fit.
        let names = Theme.worldNames
        let entryWidth = 14
        let perRow = max(1, inner.width / entryWidth)
        let glyphRows = (names.count + perRow - 1) / perRow
        screen.write("Glyphs", x: inner.x, y: inner.y + 2, style: theme.style("title"))
        for (index, name) in names.enumerated() {
            let x = inner.x + (index % perRow) * entryWidth, y = inner.y + 3 + index / perRow
            screen.put(theme.glyph(name), x: x, y: y, style: theme.style(name), clip: inner)
            screen.write(name, x: x + 2, y: y, style: theme.style("text-dim"), clip: inner)
        }

        // Colours: the 16 ANSI colours, a sweep of the 256-colour cube, and the heat ramp.
        var y = inner.y + 4 + glyphRows
        screen.write("Colours", x: inner.x, y: y, style: theme.style("title"))
        for index in 0..<16 {
            screen.tint(Rect(x: inner.x + 9 + index * 2, y: y, width: 2, height: 1), background: .indexed(UInt8(index)))
        }
        let sweep = inner.width - 9
        for column in 0..<max(0, sweep) {
            let hue = Double(column) / Double(max(1, sweep - 1))
            screen.tint(Rect(x: inner.x + 9 + column, y: y + 1, width: 1, height: 1), background: TermCheck.rainbow(hue))
            screen.tint(Rect(x: inner.x + 9 + column, y: y + 2, width: 1, height: 1), background: theme.heat.color(at: hue))
        }
        screen.write("cube", x: inner.x + 2, y: y + 1, style: theme.style("text-dim"))
        screen.write("heat", x: inner.x + 2, y: y + 2, style: theme.style("text-dim"))

        // Bars, a sparkline and a chart.
        y += 4
        screen.write("Bars", x: inner.x, y: y, style: theme.style("title"))
        let barWidth = max(4, min(24, (inner.width - 10) / 2 - 8))
        for (row, fraction) in [0.125, 0.5, 0.9375].enumerated() {
            screen.write(String(format: "%5.1f%%", fraction * 100), x: inner.x + 2, y: y + 1 + row, style: theme.style("text-dim"))
            screen.bar(fraction, x: inner.x + 10, y: y + 1 + row, width: barWidth, theme: theme)
        }
        let wave = (0..<64).map { sin(Double($0) / 4) }
        screen.sparkline(wave, x: inner.x + 10, y: y + 4, width: barWidth, theme: theme, style: theme.style("fun"))
        let chartX = inner.x + 12 + barWidth
        let chartRect = Rect(x: chartX, y: y, width: inner.maxX - chartX, height: 5)
        let taskValues: [Double] = (0..<64).map { max(0, sin(Double($0) / 5)) }
        let funValues: [Double] = (0..<64).map { 0.5 + 0.4 * cos(Double($0) / 3) }
        screen.chart([
            ChartSeries(values: taskValues, kind: .bars, style: theme.style("task")),
            ChartSeries(values: funValues, kind: .line, style: theme.style("fun")),
        ], in: chartRect, range: 0...1, theme: theme)

        // Keys: the last one large, then the history.
        y += 6
        let last = keys.last.map(name(of:)) ?? "none yet"
        screen.write("Last key: ", x: inner.x, y: y, style: theme.style("title"))
        screen.write(last, x: inner.x + 10, y: y, style: theme.style("key-label"))
        let history = keys.suffix(12).map(name(of:)).joined(separator: " ")
        screen.write("Keys: \(history)", in: inner, row: y + 1 - inner.y, style: theme.style("text-dim"))
        screen.write("q quits   ? PlayGrid keys   resize the window to test redrawing", in: inner,
                     row: inner.height - 1, alignment: .center, style: theme.style("text-dim"))
        if showsHelp { HelpView.draw(into: &screen, mode: .watch, theme: theme) }
    }

    /// A bright hue sweep from red through green and blue, to show how the terminal maps 24-bit colours.
    static func rainbow(_ t: Double) -> Color {
        let h = t * 6
        let x = 1 - abs(h.truncatingRemainder(dividingBy: 2) - 1)
        let (r, g, b): (Double, Double, Double)
        switch Int(h) {
        case 0: (r, g, b) = (1, x, 0)
        case 1: (r, g, b) = (x, 1, 0)
        case 2: (r, g, b) = (0, 1, x)
        case 3: (r, g, b) = (0, x, 1)
        case 4: (r, g, b) = (x, 0, 1)
        default: (r, g, b) = (1, 0, x)
        }
        return .rgb(UInt8(r * 255), UInt8(g * 255), UInt8(b * 255))
    }
}
