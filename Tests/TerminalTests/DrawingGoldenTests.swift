import Testing
@testable import Terminal

/// The drawing helpers views build on, compared as text with what a user would see.
@Suite struct DrawingGoldenTests {
    func panel(_ theme: Theme) -> Screen {
        var screen = Screen(width: 30, height: 8)
        let inner = screen.box(Rect(x: 0, y: 0, width: 30, height: 8), title: "Rewards", theme: theme)
        screen.bar(0.0, x: inner.x, y: inner.y, width: 10, theme: theme)
        screen.bar(0.33, x: inner.x, y: inner.y + 1, width: 10, theme: theme)
        screen.bar(0.5, x: inner.x, y: inner.y + 2, width: 10, theme: theme)
        screen.bar(1.0, x: inner.x, y: inner.y + 3, width: 10, theme: theme)
        screen.sparkline([0, 1, 2, 3, 4, 5, 6, 7, 3, .nan, 1], x: inner.x, y: inner.y + 4, width: 14, theme: theme)
        screen.write("a long text that is clipped", x: inner.x + 12, y: inner.y, clip: inner)
        return screen
    }

    @Test("a titled frame with eighth-block bars, a sparkline and clipped text")
    func unicodePanel() {
        #expect(panel(Fixtures.unicode).text == """
        ┌─ Rewards ──────────────────┐
        │··········  a long text that│
        │███▎······                  │
        │█████·····                  │
        │██████████                  │
        │   ▁▂▃▄▅▆▇█▄ ▂              │
        │                            │
        └────────────────────────────┘
        """)
    }

    @Test("the same panel in the ASCII theme")
    func asciiPanel() {
        #expect(panel(Fixtures.ascii).text == """
        +- Rewards ------------------+
        |..........  a long text that|
        |###-......                  |
        |#####.....                  |
        |##########                  |
        |   _.-~=+*#~ .              |
        |                            |
        +----------------------------+
        """)
    }

    @Test("bars round to the nearest eighth of a cell")
    func barEighths() {
        var screen = Screen(width: 4, height: 9)
        for eighth in 0...8 {
            screen.bar(Double(eighth) / 32, x: 0, y: eighth, width: 4, theme: Fixtures.unicode)
        }
        #expect(screen.text == """
        ····
        ▏···
        ▎···
        ▍···
        ▌···
        ▋···
        ▊···
        ▉···
        █···
        """)
    }

    @Test("bars clamp out-of-range and NaN fractions")
    func barClamps() {
        var screen = Screen(width: 3, height: 3)
        screen.bar(-1, x: 0, y: 0, width: 3, theme: Fixtures.ascii)
        screen.bar(7, x: 0, y: 1, width: 3, theme: Fixtures.ascii)
        screen.bar(.nan, x: 0, y: 2, width: 3, theme: Fixtures.ascii)
        #expect(screen.text == "...\n###\n...")
    }

    @Test("a flat sparkline sits in the middle; an explicit range scales it")
    func sparklineScaling() {
        var screen = Screen(width: 6, height: 2)
        screen.sparkline([2, 2, 2], x: 0, y: 0, width: 3, theme: Fixtures.unicode)
        screen.sparkline([0, 5, 10, 20], x: 0, y: 1, width: 6, range: 0...10, theme: Fixtures.unicode)
        #expect(screen.text == "▅▅▅\n  ▁▅██")
    }

    @Test("a two-series chart: bars with fractional tops and a line of points drawn over them")
    func twoSeriesChart() {
        var screen = Screen(width: 16, height: 5)
        screen.chart([
            ChartSeries(values: [0, 1, 2, 3, 4, 3, 2, 1, 0.5, 0.25], kind: .bars, style: .plain),
            ChartSeries(values: [4, 3, 2, 1, 0, 1, 2, 3, 4, 4], kind: .line, style: .plain),
        ], in: Rect(x: 1, y: 0, width: 12, height: 4), theme: Fixtures.unicode)
        #expect(screen.text == """
         ••  █  •••
           •███•
           █•█•█
          ███•███▄▂

        """)
    }

    @Test("a chart of rewards that are all zero draws no bars and its line on the bottom row")
    func chartOfZeros() {
        var screen = Screen(width: 4, height: 3)
        screen.chart([ChartSeries(values: [0, 0, 0], kind: .bars, style: .plain),
                      ChartSeries(values: [0, 0, 0], kind: .line, style: .plain)],
                     in: screen.bounds, theme: Fixtures.unicode)
        #expect(screen.text == "\n\n•••")
    }

    @Test("a chart shows only the newest values that fit its width")
    func chartKeepsNewest() {
        var screen = Screen(width: 3, height: 2)
        screen.chart([ChartSeries(values: [9, 9, 9, 0, 1, 2], kind: .bars, style: .plain)],
                     in: screen.bounds, range: 0...2, theme: Fixtures.ascii)
        #expect(screen.text == "  #\n ##")
    }

    @Test("heat overlay colours backgrounds along the theme ramp and keeps glyphs")
    func heatOverlay() {
        var screen = Screen(width: 3, height: 1, fill: Cell(Character("·")))
        screen.heatOverlay([0, 5, 10], in: screen.bounds, ramp: Fixtures.unicode.heat)
        #expect(screen.text == "···")
        #expect(screen[0, 0].background == Fixtures.unicode.heat.stops.first)
        #expect(screen[2, 0].background == Fixtures.unicode.heat.stops.last)
        #expect(screen[1, 0].background == Fixtures.unicode.heat.color(at: 0.5))
    }

    @Test("the heat ramp blends between stops and clamps")
    func heatRamp() {
        let ramp = HeatRamp(stops: [.rgb(0, 0, 0), .rgb(200, 100, 0)])
        #expect(ramp.color(at: 0.5) == .rgb(100, 50, 0))
        #expect(ramp.color(at: -3) == .rgb(0, 0, 0))
        #expect(ramp.color(at: 9) == .rgb(200, 100, 0))
        #expect(ramp.color(for: 15, in: 10...20) == .rgb(100, 50, 0))
    }

    @Test("aligned and wrapped text")
    func alignedAndWrapped() {
        var screen = Screen(width: 12, height: 5)
        screen.write("left", in: screen.bounds, row: 0)
        screen.write("mid", in: screen.bounds, row: 1, alignment: .center)
        screen.write("right", in: screen.bounds, row: 2, alignment: .right)
        let rows = screen.writeWrapped("wrap these words please", in: Rect(x: 0, y: 3, width: 12, height: 2))
        #expect(rows == 2)
        #expect(screen.text == """
        left
            mid
               right
        wrap these
        words please
        """)
    }
}
