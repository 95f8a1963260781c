import GridWorld

/// What one map symbol stands for.
public struct Glyph: Hashable, Sendable {
    public var tile: Tile
    public var thing: Thing
    public var aux: UInt8
    /// The agent starts here, facing this way.
    public var agent: Direction?

    public init(tile: Tile = .floor, thing: Thing = .none, aux: UInt8 = 0, agent: Direction? = nil) {
        self.tile = tile
        self.thing = thing
        self.aux = aux
        self.agent = agent
    }

    /// The symbols every map may use without a legend.
    public static let defaults: [(Character, Glyph, String)] = [
        (".", Glyph(), "floor"),
        ("#", Glyph(tile: .wall), "wall"),
        (":", Glyph(tile: .sand), "sand"),
        ("~", Glyph(tile: .water), "water"),
        (",", Glyph(tile: .grass), "grass"),
        ("h", Glyph(tile: .hole), "hole"),
        ("_", Glyph(tile: .pad), "pad"),
        ("o", Glyph(thing: .rock), "rock"),
        ("*", Glyph(thing: .ball), "ball"),
        ("k", Glyph(thing: .key), "key (yellow)"),
        ("D", Glyph(thing: .door), "locked door (yellow)"),
        ("d", Glyph(thing: .door, aux: Aux.onBit), "open door"),
        ("G", Glyph(thing: .goal), "goal"),
        ("f", Glyph(thing: .fruit), "fruit"),
        ("B", Glyph(thing: .bell), "bell"),
        ("S", Glyph(thing: .lightSwitch), "light switch"),
        ("L", Glyph(thing: .lamp), "lamp"),
        ("=", Glyph(thing: .block), "block"),
        ("l", Glyph(thing: .lever), "lever"),
        ("A", Glyph(agent: .up), "agent facing up"),
        ("^", Glyph(agent: .up), "agent facing up"),
        (">", Glyph(agent: .right), "agent facing right"),
        ("v", Glyph(agent: .down), "agent facing down"),
        ("<", Glyph(agent: .left), "agent facing left"),
    ]
}

/// Largest map side accepted: observations, tapes and screens assume maps of moderate size.
public let maximumMapSide = 255

/// Parses ASCII-art rows into a map template, locating each problem to its row and column in the file.
struct MapArt {
    let legend: [Character: Glyph]
    /// Line of the first row in the file, and each row's starting column.
    let firstLine: Int
    let column: Int
    let file: String

    func parse(_ rows: [Substring]) throws(ScenarioFileError) -> MapTemplate {
        guard let first = rows.first, !first.isEmpty else {
            throw ScenarioFileError(file: file, line: firstLine, column: column, "the map is empty: expected rows of map symbols")
        }
        let width = first.count
        guard rows.count <= maximumMapSide, width <= maximumMapSide else {
            throw ScenarioFileError(file: file, line: firstLine, column: column,
                                    "the map is \(width)×\(rows.count); at most \(maximumMapSide)×\(maximumMapSide) is supported")
        }
        var map = MapTemplate(width: width, height: rows.count)
        var agent: (GridPoint, Direction)?
        for (y, row) in rows.enumerated() {
            guard row.count == width else {
                throw ScenarioFileError(file: file, line: firstLine + y, column: column + min(row.count, width),
                                        "map row \(y + 1) is \(row.count) wide; expected \(width) like the first row")
            }
            for (x, symbol) in row.enumerated() {
                guard let glyph = legend[symbol] else {
                    let known = String(legend.keys.sorted())
                    throw ScenarioFileError(file: file, line: firstLine + y, column: column + x,
                                            "unknown map symbol '\(symbol)'; expected one of \(known) or an entry in legend")
                }
                map[x, y] = (glyph.tile, glyph.thing, glyph.aux)
                if let facing = glyph.agent {
                    if agent != nil {
                        throw ScenarioFileError(file: file, line: firstLine + y, column: column + x,
                                                "a second agent; a map has exactly one")
                    }
                    agent = (GridPoint(x: x, y: y), facing)
                }
            }
        }
        guard let (start, facing) = agent else {
            throw ScenarioFileError(file: file, line: firstLine, column: column,
                                    "the map has no agent; mark its start with A (or ^ > v <)")
        }
        guard map[start.x, start.y].tile.isPassable else {
            throw ScenarioFileError(file: file, line: firstLine + start.y, column: column + start.x,
                                    "the agent starts on \(map[start.x, start.y].tile.name); it must start on passable ground")
        }
        map.agentStart = start
        map.agentFacing = facing
        return map
    }
}
