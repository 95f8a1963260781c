import GridWorld

/// What one map symbol stands for.
public struct MapSymbol: Hashable, Sendable {
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
    public static let defaults: [(Character, MapSymbol, String)] = [
        (".", MapSymbol(), "floor"),
        ("#", MapSymbol(tile: .wall), "wall"),
        (":", MapSymbol(tile: .sand), "sand"),
        ("~", MapSymbol(tile: .water), "water"),
        (",", MapSymbol(tile: .grass), "grass"),
        ("h", MapSymbol(tile: .hole), "hole"),
        ("_", MapSymbol(tile: .pad), "pad"),
        ("o", MapSymbol(thing: .rock), "rock"),
        ("*", MapSymbol(thing: .ball), "ball"),
        ("k", MapSymbol(thing: .key), "key (yellow)"),
        ("D", MapSymbol(thing: .door), "locked door (yellow)"),
        ("d", MapSymbol(thing: .door, aux: Aux.onBit), "open door"),
        ("G", MapSymbol(thing: .goal), "goal"),
        ("f", MapSymbol(thing: .fruit), "fruit"),
        ("B", MapSymbol(thing: .bell), "bell"),
        ("S", MapSymbol(thing: .lightSwitch), "light switch"),
        ("L", MapSymbol(thing: .lamp), "lamp"),
        ("=", MapSymbol(thing: .block), "block"),
        ("l", MapSymbol(thing: .lever), "lever"),
        ("A", MapSymbol(agent: .up), "agent facing up"),
        ("^", MapSymbol(agent: .up), "agent facing up"),
        (">", MapSymbol(agent: .right), "agent facing right"),
        ("v", MapSymbol(agent: .down), "agent facing down"),
        ("<", MapSymbol(agent: .left), "agent facing left"),
    ]
}

/// Largest map side accepted: observations, tapes and screens assume maps of moderate size.
public let maximumMapSide = 255

/// Parses ASCII-art rows into a map template, locating each problem to its row and column in the file.
struct MapArt {
    let legend: [Character: MapSymbol]
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
