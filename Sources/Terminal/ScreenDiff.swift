/// Which cells changed between two screens: what a backend must rewrite to present the new one.
///
/// Kept as a pure function so that "write only what changed" (no flicker, little output) is tested
/// without a terminal.
public enum ScreenDiff {
    /// A horizontal stretch of changed cells on one row.
    public struct Run: Hashable, Sendable {
        public var y: Int
        public var x: Int
        public var count: Int

        public init(y: Int, x: Int, count: Int) {
            self.y = y
            self.x = x
            self.count = count
        }
    }

    /// The changed cells as row runs, in reading order. With no previous screen, or one of another size,
    /// every row is one full-width run. A run never starts on the right half of a wide glyph: it is
    /// widened to include the glyph's left half, which is what draws it. O(width × height).
    public static func runs(from old: Screen?, to new: Screen) -> [Run] {
        var result: [Run] = []
        ScreenDiff.runs(from: old, to: new, into: &result)
        return result
    }

    /// As `runs(from:to:)`, reusing `runs`' storage so a backend allocates nothing per frame.
    public static func runs(from old: Screen?, to new: Screen, into runs: inout [Run]) {
        runs.removeAll(keepingCapacity: true)
        let width = new.width
        guard let old, old.width == width, old.height == new.height else {
            if width > 0 { for y in 0..<new.height { runs.append(Run(y: y, x: 0, count: width)) } }
            return
        }
        old.cells.withUnsafeBufferPointer { before in
            new.cells.withUnsafeBufferPointer { after in
                for y in 0..<new.height {
                    let row = y * width
                    var x = 0
                    while x < width {
                        guard before[row + x] != after[row + x] else { x += 1; continue }
                        var start = x
                        if after[row + start].glyph.isContinuation && start > 0 { start -= 1 }
                        var end = x + 1
                        while end < width && before[row + end] != after[row + end] { end += 1 }
                        // By index rather than `runs.last`, which a debug build allocates to read.
                        let last = runs.count - 1
                        if last >= 0, runs[last].y == y, runs[last].x + runs[last].count >= start {
                            runs[last].count = end - runs[last].x
                        } else {
                            runs.append(Run(y: y, x: start, count: end - start))
                        }
                        x = end
                    }
                }
            }
        }
    }

    /// The positions of all changed cells (expanded from the runs), for tests and tools.
    public static func changedCells(from old: Screen?, to new: Screen) -> [(x: Int, y: Int)] {
        runs(from: old, to: new).flatMap { run in (run.x..<run.x + run.count).map { (x: $0, y: run.y) } }
    }
}
