import Testing
@testable import Terminal
import TestSupport

/// What the live backend rewrites between two frames.
@Suite struct ScreenDiffTests {
    @Test("identical screens need no writes")
    func identical() {
        var screen = Screen(width: 8, height: 3)
        screen.write("same", x: 1, y: 1)
        #expect(ScreenDiff.runs(from: screen, to: screen).isEmpty)
    }

    @Test("the first frame, or a resized one, is a full repaint")
    func fullRepaint() {
        let screen = Screen(width: 4, height: 2)
        #expect(ScreenDiff.runs(from: nil, to: screen) == [
            .init(y: 0, x: 0, count: 4), .init(y: 1, x: 0, count: 4),
        ])
        #expect(ScreenDiff.runs(from: Screen(width: 5, height: 2), to: screen).count == 2)
    }

    @Test("changed cells are grouped into runs per row, in reading order")
    func runs() {
        let old = Screen(width: 10, height: 3)
        var new = old
        new.write("ab", x: 1, y: 0)
        new.write("x", x: 5, y: 0)
        new.write("z", x: 9, y: 2)
        #expect(ScreenDiff.runs(from: old, to: new) == [
            .init(y: 0, x: 1, count: 2), .init(y: 0, x: 5, count: 1), .init(y: 2, x: 9, count: 1),
        ])
        #expect(ScreenDiff.changedCells(from: old, to: new).map { [$0.x, $0.y] } == [[1, 0], [2, 0], [5, 0], [9, 2]])
    }

    @Test("a style change alone is a change")
    func styleOnly() {
        let old = Screen(width: 3, height: 1)
        var new = old
        new.setStyle(Style(attributes: .bold), x: 2, y: 0)
        #expect(ScreenDiff.runs(from: old, to: new) == [.init(y: 0, x: 2, count: 1)])
    }

    @Test("a run that starts on a wide glyph's right half includes its left half")
    func wideGlyphRun() {
        var old = Screen(width: 4, height: 1)
        old.write("中", x: 0, y: 0)
        var new = old
        new[1, 0] = Cell(Glyph.continuation, style: Style(foreground: .red))
        #expect(ScreenDiff.runs(from: old, to: new) == [.init(y: 0, x: 0, count: 2)])
    }

    @Test("reusing a run buffer gives the same answer")
    func reuse() {
        let old = Screen(width: 6, height: 2)
        var new = old
        new.write("hello", x: 0, y: 1)
        var buffer: [ScreenDiff.Run] = [.init(y: 9, x: 9, count: 9)]
        ScreenDiff.runs(from: old, to: new, into: &buffer)
        #expect(buffer == ScreenDiff.runs(from: old, to: new))
        #expect(buffer == [.init(y: 1, x: 0, count: 5)])
    }

    @Test("diffing frames into kept storage allocates nothing", .enabled(if: HeapAllocations.areCounted, "allocations are counted only with glibc"))
    func reusedStorageAllocatesNothing() {
        var frames = [Screen(width: 120, height: 40), Screen(width: 120, height: 40)]
        for i in 0..<300 {
            _ = frames[i % 2].put(Glyph(Character(i % 3 == 0 ? "é" : "#")), x: i * 7 % 120, y: i * 13 % 40, style: .plain)
        }
        _ = frames[1].put(Glyph(Character("界")), x: 10, y: 5)
        var runs: [ScreenDiff.Run] = []
        ScreenDiff.runs(from: frames[0], to: frames[1], into: &runs)
        ScreenDiff.runs(from: frames[1], to: frames[0], into: &runs)
        let count = HeapAllocations.count {
            for i in 0..<1000 { ScreenDiff.runs(from: frames[i % 2], to: frames[1 - i % 2], into: &runs) }
        }
        #expect(count == 0)
        #expect(!runs.isEmpty)
    }
}
