import Foundation
import Terminal
import TerminalNCurses
import Testing
import TestSupport

/// What the screen model assumes about glyph widths, checked against the C library the backend draws with.
@Suite struct GlyphWidthTests {
    static let themes = Repository.root.appendingPathComponent("assets/themes")

    @Test("every glyph of every shipped theme is one column wide, by our table and by the C library")
    func glyphsAreSingleWidth() throws {
        setlocale(LC_CTYPE, "C.UTF-8")
        for name in ["unicode", "ascii"] {
            let theme = try Theme.load(file: Self.themes.appendingPathComponent("\(name).json"))
            let glyphs = theme.entries.values.compactMap(\.glyph) + theme.barLevels + theme.sparkLevels
            for glyph in glyphs {
                #expect(glyph.width == 1, "\(theme.name): \(glyph)")
                #expect(TerminalEnvironment.systemWidth(of: glyph) == 1, "\(theme.name): wcwidth(\(glyph))")
            }
        }
    }
}
