import Clocks
import Terminal

/// Measures the screen model's hot paths against a baseline taken in the same run, for
/// `playgrid-termcheck --bench`.
///
/// The baseline is copying a screen and touching one cell (what any frame costs at least), so the
/// figures are ratios that mean the same on a fast and a slow machine. Times come from `clock`.
public enum TerminalBenchmark {
    /// One measured operation.
    public struct Result: Sendable, CustomStringConvertible {
        public var name: String
        public var nanosecondsPerOperation: Double
        /// Time relative to the baseline of the same run.
        public var ratioToBaseline: Double

        public var description: String {
            let micro = nanosecondsPerOperation / 1_000
            return "\(name): \(Self.format(micro)) µs/op (\(Self.format(ratioToBaseline))× baseline)"
        }

        static func format(_ value: Double) -> String {
            let scaled = (value * 100).rounded() / 100
            return "\(scaled)"
        }
    }

    /// The full screen the benchmark composes: a 40×24 map with a heat overlay, a HUD with bars and
    /// sparklines, and a chart, on `size` (100×32 by default).
    public static func compose(into screen: inout Screen, theme: Theme, frame: Int, palette: ContiguousArray<Cell>) {
        screen.clear()
        let (mapArea, side) = screen.bounds.splitLeft(42)
        let mapInner = screen.box(mapArea.splitTop(26).0, title: "map", theme: theme)
        let mapWidth = mapInner.width, mapHeight = mapInner.height
        for y in 0..<mapHeight {
            for x in 0..<mapWidth {
                let border = x == 0 || y == 0 || x == mapWidth - 1 || y == mapHeight - 1
                let index = border ? 1 : (x * 7 + y * 13 + (x * y) % 5) % palette.count
                screen[mapInner.x + x, mapInner.y + y] = palette[index]
            }
        }
        let agentX = mapInner.x + 1 + frame % (mapWidth - 2), agentY = mapInner.y + 1 + (frame / 3) % (mapHeight - 2)
        screen.put(theme.glyph("agent-right"), x: agentX, y: agentY, style: theme.style("agent-right"))
        let (hud, chartArea) = side.splitTop(16)
        let hudInner = screen.box(hud, title: "step \(frame)", theme: theme)
        for row in 0..<6 {
            let p = Double((frame + row * 17) % 100) / 100
            screen.write("action \(row)", x: hudInner.x, y: hudInner.y + row, style: theme.style("text"))
            screen.bar(p, x: hudInner.x + 10, y: hudInner.y + row, width: hudInner.width - 18, theme: theme)
            screen.write("\(Int(p * 100))%", x: hudInner.maxX - 6, y: hudInner.y + row, style: theme.style("text-dim"))
        }
        let history = (0..<80).map { Double(($0 + frame) % 23) }
        screen.sparkline(history, x: hudInner.x, y: hudInner.y + 8, width: hudInner.width, theme: theme, style: theme.style("task"))
        screen.sparkline(history.reversed(), x: hudInner.x, y: hudInner.y + 9, width: hudInner.width, theme: theme, style: theme.style("fun"))
        let chartInner = screen.box(chartArea, title: "task vs fun", theme: theme)
        screen.chart([
            ChartSeries(values: history, kind: .bars, style: theme.style("task")),
            ChartSeries(values: history.map { 22 - $0 }, kind: .line, style: theme.style("fun")),
        ], in: chartInner, theme: theme)
    }

    /// Runs every measurement `iterations` times and returns the baseline first.
    public static func run(theme: Theme, size: Size = Size(width: 100, height: 32), iterations: Int = 2_000,
                           clock: any MonotonicClock = SystemClock()) -> [Result] {
        let palette = theme.cells(for: Theme.worldNames)
        var screen = Screen(size: size)
        var previous = Screen(size: size)
        compose(into: &previous, theme: theme, frame: 0, palette: palette)
        var runs: [ScreenDiff.Run] = []
        var sink = 0

        func measure(_ body: (Int) -> Void) -> Double {
            body(0)
            let start = clock.now
            for index in 0..<iterations { body(index) }
            let elapsed = clock.now - start
            let (seconds, attoseconds) = elapsed.components
            return (Double(seconds) * 1e9 + Double(attoseconds) / 1e9) / Double(iterations)
        }

        let baseline = measure { index in
            var copy = previous
            copy[index % size.width, 0] = Cell(Glyph(Unicode.Scalar(UInt8(65 + index % 26))))
            sink &+= Int(copy[index % size.width, 0].glyph.first)
        }
        let composeTime = measure { index in
            compose(into: &screen, theme: theme, frame: index + 1, palette: palette)
            sink &+= Int(screen[1, 1].glyph.first)
        }
        compose(into: &screen, theme: theme, frame: 1, palette: palette)
        let diffTime = measure { _ in
            ScreenDiff.runs(from: previous, to: screen, into: &runs)
            sink &+= runs.count
        }
        let identicalTime = measure { _ in
            ScreenDiff.runs(from: previous, to: previous, into: &runs)
            sink &+= runs.count
        }
        precondition(sink != Int.min, "keeps the measured work alive")
        let base = max(baseline, 1)
        return [
            Result(name: "baseline: copy a \(size) screen and touch a cell", nanosecondsPerOperation: baseline, ratioToBaseline: 1),
            Result(name: "compose a full \(size) frame (map, HUD, chart)", nanosecondsPerOperation: composeTime, ratioToBaseline: composeTime / base),
            Result(name: "diff two consecutive frames", nanosecondsPerOperation: diffTime, ratioToBaseline: diffTime / base),
            Result(name: "diff two identical frames", nanosecondsPerOperation: identicalTime, ratioToBaseline: identicalTime / base),
        ]
    }
}
