import Testing
@testable import Terminal

/// The too-small note as a user sees it, at the sizes PlayGrid must support.
@Suite struct TooSmallViewGoldenTests {
    @Test("too-small note at 100x32 names the current and the needed size")
    func tooSmallAt100x32() {
        var screen = Screen(width: 100, height: 32)
        TooSmallView.draw(into: &screen, minimum: Size(width: 120, height: 40), theme: Fixtures.unicode)
        #expect(screen.text == """













                                    ┌──────────────────────────────────────────┐
                                    │    Terminal too small: 100×32, needs     │
                                    │  120×40. Enlarge the window, or press q  │
                                    │                 to quit.                 │
                                    └──────────────────────────────────────────┘














        """)
    }

    @Test("too-small note at 60x20")
    func tooSmallAt60x20() {
        var screen = Screen(width: 60, height: 20, fill: Cell(Character("x")))
        TooSmallView.draw(into: &screen, minimum: Size(width: 120, height: 40), theme: Fixtures.unicode)
        #expect(screen.text == """








                ┌──────────────────────────────────────────┐
                │ Terminal too small: 60×20, needs 120×40. │
                │ Enlarge the window, or press q to quit.  │
                └──────────────────────────────────────────┘








        """)
    }

    @Test("too-small note degrades to bare wrapped text on a tiny terminal")
    func tooSmallOnTinyTerminal() {
        var screen = Screen(width: 10, height: 3)
        TooSmallView.draw(into: &screen, minimum: Size(width: 80, height: 24), theme: Fixtures.ascii)
        #expect(screen.text == """
        Terminal
        too small:
        10x3,
        """)
    }
}
