import Testing
@testable import Terminal

/// The screen model: flat cells, clipping, wide glyphs and the text rendering golden tests rely on.
@Suite struct ScreenTests {
    @Test("text trims trailing spaces per line and joins rows with newlines")
    func textTrims() {
        var screen = Screen(width: 5, height: 3)
        screen.write("ab", x: 1, y: 0)
        screen.write("c", x: 4, y: 2)
        #expect(screen.text == " ab\n\n    c")
    }

    @Test("writes are clipped to the clip rectangle and to the screen")
    func clipping() {
        var screen = Screen(width: 6, height: 2)
        let end = screen.write("abcdefgh", x: -2, y: 0)
        screen.write("xyz", x: 1, y: 1, clip: Rect(x: 0, y: 1, width: 3, height: 1))
        screen.write("never", x: 0, y: 5)
        #expect(end == 6)
        #expect(screen.text == "cdefgh\n xy")
    }

    @Test("a wide glyph takes two cells; overwriting half of it blanks the other half")
    func wideGlyphs() {
        var screen = Screen(width: 6, height: 1)
        let end = screen.write("a中b", x: 0, y: 0)
        #expect(end == 4)
        #expect(screen[2, 0].glyph.isContinuation)
        #expect(screen.text == "a中b")
        screen.put(Glyph(Character("x")), x: 2, y: 0)
        #expect(screen.text == "a xb")
        screen.write("中", x: 4, y: 0)
        screen.put(Glyph(Character("y")), x: 4, y: 0)
        #expect(screen.text == "a xby")
        #expect(!screen[5, 0].glyph.isContinuation)
    }

    @Test("a wide glyph whose right half is clipped becomes a space")
    func wideGlyphAtEdge() {
        var screen = Screen(width: 3, height: 1)
        screen.write("ab中", x: 0, y: 0)
        #expect(screen.text == "ab")
        #expect(screen.cells.allSatisfy { !$0.glyph.isContinuation })
    }

    @Test("combining marks stay with their base character")
    func combining() {
        var screen = Screen(width: 3, height: 1)
        screen.write("e\u{301}x", x: 0, y: 0)
        #expect(screen[0, 0].glyph.second == 0x301)
        #expect(screen.text == "e\u{301}x")
    }

    @Test("fill and tint cover exactly the on-screen part of a rectangle")
    func fillAndTint() {
        var screen = Screen(width: 4, height: 3)
        screen.fill(Rect(x: 2, y: 1, width: 5, height: 5), with: Cell(Character("#")))
        screen.tint(Rect(x: -1, y: 0, width: 2, height: 1), background: .red)
        #expect(screen.text == "\n  ##\n  ##")
        #expect(screen[0, 0].background == .red)
        #expect(screen[1, 0].background == .default)
    }

    @Test("filling over half of a wide glyph blanks the other half")
    func fillCutsWideGlyph() {
        var screen = Screen(width: 4, height: 1)
        screen.write("中中", x: 0, y: 0)
        screen.fill(Rect(x: 1, y: 0, width: 2, height: 1), with: Cell(Character("-")))
        #expect(screen.text == " --")
    }

    @Test("column widths follow wcwidth's tables")
    func columns() {
        #expect(Screen.columns(of: "abc") == 3)
        #expect(Screen.columns(of: "中文") == 4)
        #expect(Screen.columns(of: "★●▲") == 3)
        #expect(Screen.columns(of: "⭐") == 2)
        #expect(Screen.columns(of: "e\u{301}") == 1)
    }

    @Test("wrapping breaks at spaces and cuts words longer than the width")
    func wrapping() {
        #expect(Screen.wrap("one two three", width: 7) == ["one two", "three"])
        #expect(Screen.wrap("abcdefghij", width: 4) == ["abcd", "efgh", "ij"])
        #expect(Screen.wrap("a\nb", width: 4) == ["a", "b"])
        #expect(Screen.wrap("中", width: 1) == ["中"])
    }

    @Test("rectangles split, inset, intersect and centre")
    func rects() {
        let rect = Rect(x: 0, y: 0, width: 10, height: 6)
        let (left, right) = rect.splitLeft(4, gap: 1)
        #expect(left == Rect(x: 0, y: 0, width: 4, height: 6))
        #expect(right == Rect(x: 5, y: 0, width: 5, height: 6))
        let (top, bottom) = rect.splitTop(2)
        #expect(top.height == 2 && bottom == Rect(x: 0, y: 2, width: 10, height: 4))
        #expect(rect.inset(by: 1) == Rect(x: 1, y: 1, width: 8, height: 4))
        #expect(rect.intersection(Rect(x: 8, y: 5, width: 5, height: 5)) == Rect(x: 8, y: 5, width: 2, height: 1))
        #expect(rect.intersection(Rect(x: 20, y: 0, width: 1, height: 1)).isEmpty)
        #expect(rect.centered(Size(width: 4, height: 2)) == Rect(x: 3, y: 2, width: 4, height: 2))
    }
}
