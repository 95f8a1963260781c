import GridWorld

/// Sparse one-hot features of a world, the input of the learned fun models (predictors, discriminators).
///
/// A world is described by `activeCount` switched-on indices out of `dimension`: the agent's column and row,
/// what it carries (and its colour), where it faces, and the tile and thing of every cell of its egocentric view. Learners on
/// such input touch only the active rows of their first layer, so a step costs O(activeCount · hidden).
public struct FeatureSpace: Hashable, Sendable, Codable {
    public let width: Int
    public let height: Int
    public let viewSize: Int

    public init(width: Int, height: Int, viewSize: Int) {
        self.width = width
        self.height = height
        self.viewSize = viewSize
    }

    public init(scenario: Scenario) {
        self.init(width: scenario.map.width, height: scenario.map.height, viewSize: scenario.viewSize)
    }

    static let codes = 16
    var viewBase: Int { width + height + 2 * Self.codes + 4 }

    public var dimension: Int { viewBase + viewSize * viewSize * 2 * Self.codes }
    public var activeCount: Int { 5 + 2 * viewSize * viewSize }

    /// Indices that `writePosition` switches on, out of `positionDimension`.
    public static let positionCount = 2
    public var positionDimension: Int { width + height }

    /// Writes the agent's column and row (the first two indices `write` gives) into `out`: where the agent is and
    /// nothing else, which is what DIAYN's discriminator reads in a room. O(1).
    public func writePosition(_ world: World, into out: UnsafeMutableBufferPointer<Int32>) {
        writePosition(at: world.agentPosition, layout: .rowColumn, into: out)
    }

    /// The inputs a position layout reads on this map: width + height (row+column) or width × height (cell).
    public func positionDimension(_ layout: PositionLayout) -> Int {
        switch layout {
        case .rowColumn: width + height
        case .cell: width * height
        }
    }

    /// Writes where the agent is in `layout` (`layout.activeCount` indices) into `out`. O(1).
    public func writePosition(_ world: World, layout: PositionLayout, into out: UnsafeMutableBufferPointer<Int32>) {
        writePosition(at: world.agentPosition, layout: layout, into: out)
    }

    /// Writes what `writePosition(_:layout:into:)` would for an agent standing at `p`, with no world needed (to label
    /// cells before any agent walks them). O(1).
    public func writePosition(at p: GridPoint, layout: PositionLayout, into out: UnsafeMutableBufferPointer<Int32>) {
        let (x, y) = (min(max(p.x, 0), width - 1), min(max(p.y, 0), height - 1))
        switch layout {
        case .rowColumn:
            out[0] = Int32(x)
            out[1] = Int32(width + y)
        case .cell:
            out[0] = Int32(y * width + x)
        }
    }

    /// Writes the active indices of `world` into `out` (at least `activeCount`). O(viewSize²), no allocation.
    public func write(_ world: World, into out: UnsafeMutableBufferPointer<Int32>) {
        writePosition(world, into: out)
        let body = world.state.body
        out[2] = Int32(width + height + Int(body.carrying.rawValue) % Self.codes)
        out[3] = Int32(width + height + Self.codes + Int(Aux.color(body.carryingAux)))
        out[4] = Int32(width + height + 2 * Self.codes + Int(body.facing.rawValue))
        let radius = viewSize / 2
        let stride = world.rules.stride
        let base = viewBase
        world.state.cells.withUnsafeBufferPointer { cells in
            var k = 5
            var slot = base
            for dy in -radius...radius {
                let row = body.cell + dy * stride
                for dx in -radius...radius {
                    let c = (row + dx) * 3
                    let inside = c >= 0 && c + 1 < cells.count
                    let tile = inside ? Int(cells[c]) % Self.codes : 0
                    let thing = inside ? Int(cells[c + 1]) % Self.codes : 0
                    out[k] = Int32(slot + tile)
                    out[k + 1] = Int32(slot + Self.codes + thing)
                    k += 2
                    slot += 2 * Self.codes
                }
            }
        }
    }
}

/// How a position-only learner (DIAYN's discriminator in a room) sees where the agent is. Saved with the learner
/// under its raw value, which names a version: a layout whose indices change gets a new raw value, never a reused one.
///
/// `rowColumn` switches on the agent's column and its row (width + height inputs, 2 active): cells share weights
/// through their column and row, so a cell nobody visits inherits the guesses of the skills that own its column and
/// row. `cell` switches on one input per cell (width × height inputs, 1 active): a cell nobody visits keeps its
/// initial, near-uniform guess.
public enum PositionLayout: String, CaseIterable, Codable, Sendable {
    case rowColumn = "row-column-v1"
    case cell = "cell-v1"

    /// What a discriminator saved before layouts were recorded reads: all of them were trained on row+column.
    public static let legacy = PositionLayout.rowColumn

    /// The indices it switches on per state.
    public var activeCount: Int {
        switch self {
        case .rowColumn: 2
        case .cell: 1
        }
    }

    /// Its name on the command line (`--skill-features`).
    public var name: String {
        switch self {
        case .rowColumn: "row-column"
        case .cell: "cell"
        }
    }

    /// The layout named `name` on the command line, or saved as `name` (its raw value).
    public init?(name: String) {
        guard let found = Self.allCases.first(where: { $0.name == name || $0.rawValue == name }) else { return nil }
        self = found
    }
}
