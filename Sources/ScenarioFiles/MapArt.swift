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
        ("+", MapSymbol(tile: .plate), "plate"),
        ("b", MapSymbol(tile: .bridge), "bridge"),
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

/// A legend symbol whose cells are drawn per MDP: a number of them, one of `counts`, take the symbol's look; the
/// others look like `otherwise`.
struct SymbolPick {
    var symbol: Character
    var counts: [Int]
    var otherwise: MapSymbol
    /// Where the legend entry is, for errors.
    var node: YAMLNode
}

/// Parses ASCII-art rows into a map template, locating each problem to its row and column in the file.
struct MapArt {
    let legend: [Character: MapSymbol]
    /// Symbols drawn per MDP, in legend order.
    let picks: [SymbolPick]
    /// Line of the first row in the file, and each row's starting column.
    let firstLine: Int
    let column: Int
    let file: String
    /// The map is a quoted (or plain) string whose rows share the line where it starts, not a `|` block.
    var quoted = false

    /// A problem at cell (x, y): there in the file, or for a quoted map at its start, naming the cell.
    func error(x: Int, y: Int, _ message: String) -> ScenarioFileError {
        quoted ? ScenarioFileError(file: file, line: firstLine, column: column, "\(message) (map row \(y + 1), column \(x + 1))")
            : ScenarioFileError(file: file, line: firstLine + y, column: column + x, message)
    }

    /// The map template (picked cells drawn as they look when not picked) and the distribution's picks.
    func parse(_ rows: [Substring]) throws(ScenarioFileError) -> (MapTemplate, [Pick]) {
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
        var agentSymbol: Character?
        var picked = Array(repeating: [Int](), count: picks.count)
        for (y, row) in rows.enumerated() {
            guard row.count == width else {
                throw error(x: min(row.count, width), y: y,
                            "map row \(y + 1) is \(row.count) wide; expected \(width) like the first row")
            }
            for (x, symbol) in row.enumerated() {
                guard let glyph = legend[symbol] else {
                    let known = String(legend.keys.sorted())
                    throw error(x: x, y: y, "unknown map symbol '\(symbol)'; expected one of \(known) or an entry in legend")
                }
                let pick = picks.firstIndex { $0.symbol == symbol }
                let look = pick.map { picks[$0].otherwise } ?? glyph
                map[x, y] = (look.tile, look.thing, look.aux)
                if let pick { picked[pick].append(y * width + x) }
                if let facing = glyph.agent {
                    // A picked agent symbol marks the cells the start is drawn from; the first stands in until then.
                    if agent != nil && (pick == nil || agentSymbol != symbol) {
                        throw error(x: x, y: y, "a second agent; a map has exactly one")
                    }
                    if agent == nil { agent = (GridPoint(x: x, y: y), facing) }
                    agentSymbol = symbol
                }
            }
        }
        guard let (start, facing) = agent else {
            throw ScenarioFileError(file: file, line: firstLine, column: column,
                                    "the map has no agent; mark its start with A (or ^ > v <)")
        }
        guard map[start.x, start.y].tile.isPassable else {
            throw error(x: start.x, y: start.y, "the agent starts on \(map[start.x, start.y].tile.name); it must start on passable ground")
        }
        map.agentStart = start
        map.agentFacing = facing
        var drawn: [Pick] = []
        for (pick, cells) in zip(picks, picked) {
            guard let most = pick.counts.max(), most <= cells.count else {
                throw pick.node.error("pick \(pick.counts.max() ?? 0) of the cells marked '\(pick.symbol)', but the map marks \(cells.count)")
            }
            let look = legend[pick.symbol] ?? MapSymbol()
            drawn.append(Pick(cells: cells, counts: pick.counts, tile: look.tile, thing: look.thing, aux: look.aux, agent: look.agent))
        }
        return (map, drawn)
    }
}
