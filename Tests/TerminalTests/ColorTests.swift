import Testing
@testable import Terminal

/// Colours map to the nearest one the terminal can show.
@Suite struct ColorTests {
    @Test("parsing names, hex, indices and default")
    func parsing() {
        #expect(Color(parsing: "default") == .default)
        #expect(Color(parsing: "bright-blue") == .brightBlue)
        #expect(Color(parsing: "Gray") == .brightBlack)
        #expect(Color(parsing: "#0a0B0c") == .rgb(10, 11, 12))
        #expect(Color(parsing: "200") == .indexed(200))
        #expect(Color(parsing: "256") == nil)
        #expect(Color(parsing: "#12345") == nil)
        #expect(Color.rgb(10, 11, 12).description == "#0a0b0c")
    }

    @Test("on 256-colour terminals RGB maps into the cube or the grey ramp")
    func xterm256() {
        #expect(Color.rgb(255, 0, 0).terminalIndex(for: .xterm256) == 196)
        #expect(Color.rgb(0, 95, 135).terminalIndex(for: .xterm256) == 24)
        #expect(Color.rgb(128, 128, 128).terminalIndex(for: .xterm256) == 244)
        #expect(Color.indexed(42).terminalIndex(for: .xterm256) == 42)
        #expect(Color.default.terminalIndex(for: .xterm256) == -1)
    }

    @Test("on 8-colour terminals everything maps to the ANSI eight")
    func ansi8() {
        #expect(Color.rgb(250, 10, 10).terminalIndex(for: .ansi8) == 1)
        #expect(Color.rgb(10, 10, 230).terminalIndex(for: .ansi8) == 4)
        #expect(Color.brightGreen.terminalIndex(for: .ansi8) == 2)
        #expect(Color.indexed(226).terminalIndex(for: .ansi8) == 3)
        #expect(Color.rgb(240, 240, 240).terminalIndex(for: .ansi8) == 7)
    }

    @Test("monochrome terminals get the default colour")
    func monochrome() {
        #expect(Color.red.terminalIndex(for: .monochrome) == -1)
        #expect(ColorDepth(colors: 0) == .monochrome)
        #expect(ColorDepth(colors: 8) == .ansi8)
        #expect(ColorDepth(colors: 256) == .xterm256)
        #expect(ColorDepth(colors: 16_777_216) == .xterm256)
    }
}
