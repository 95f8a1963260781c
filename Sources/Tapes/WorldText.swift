import GridWorld
import ScenarioFiles

/// A plain-text picture of a world, one ASCII character per cell, in the symbols scenario maps use
/// (`MapSymbol.defaults`): what asciicast exports show, and anything else that needs a map without a terminal.
public enum WorldText {
    /// Symbols of the tiles, by raw value; tiles no map symbol stands for get one of their own.
    static let tiles: [Character] = Tile.allCases.map { tile in
        if let (symbol, _, _) = MapSymbol.defaults.first(where: { $0.1.agent == nil && $0.1.thing == .none && $0.1.tile == tile }) {
            return symbol
        }
        switch tile {
        case .void: return " "
        case .sunkRock: return "%"
        default: return "?"
        }
    }

    /// Symbols of the things, by raw value (doors: closed).
    static let things: [Character] = Thing.allCases.map { thing in
        MapSymbol.defaults.first(where: { $0.1.agent == nil && $0.1.thing == thing && !Aux.isOn($0.1.aux) })?.0 ?? "?"
    }

    static let openDoor: Character = MapSymbol.defaults.first(where: { $0.1.thing == .door && Aux.isOn($0.1.aux) })?.0 ?? "d"

    /// The agent by heading, indexed by `Direction.rawValue`.
    static let agent: [Character] = Direction.allCases.map { d in
        MapSymbol.defaults.first(where: { $0.1.agent == d && $0.0 != "A" })?.0 ?? "A"
    }

    /// The map as rows of text, the agent drawn by its heading. O(width · height).
    public static func lines(_ world: World) -> [String] {
        var rows: [String] = []
        rows.reserveCapacity(world.height)
        let agentCell = world.state.body.cell
        for y in 0..<world.height {
            var row = ""
            row.reserveCapacity(world.width)
            for x in 0..<world.width {
                let c = world.cell(at: GridPoint(x: x, y: y))
                if c == agentCell {
                    row.append(agent[Int(world.state.body.facing.rawValue)])
                    continue
                }
                let thing = world.thing(c)
                if thing == .none {
                    row.append(tiles[Int(world.tile(c).rawValue)])
                } else if thing == .door && Aux.isOn(world.aux(c)) {
                    row.append(openDoor)
                } else {
                    row.append(things[Int(thing.rawValue)])
                }
            }
            rows.append(row)
        }
        return rows
    }

    /// The map as one string, rows separated by newlines.
    public static func render(_ world: World) -> String { lines(world).joined(separator: "\n") }
}
