import GridWorld
import Terminal

/// The cell every tile, thing, state and agent heading is drawn with, looked up in the theme once.
///
/// The map is redrawn up to 30 times a second, so names are resolved here and the draw loop only indexes
/// flat tables by raw value. Keys and doors take the colour their aux byte names, so a red key visibly
/// opens a red door.
public struct MapPalette: Sendable {
    /// By `Tile.rawValue`; void draws blank.
    let tiles: ContiguousArray<Cell>
    /// By `Thing.rawValue`, in the thing's off state (closed door, switch off, unlit lamp).
    let things: ContiguousArray<Cell>
    /// By `Thing.rawValue`, in the thing's on state (open door, switch on, lit lamp); equal to `things` otherwise.
    let thingsOn: ContiguousArray<Cell>
    /// By `Direction.rawValue` (up, right, down, left).
    let agents: ContiguousArray<Cell>
    /// Foreground colours of key and door colours, by `Aux.color`.
    let colors: [Color] = [.brightYellow, .brightRed, .brightGreen, .brightBlue, .brightMagenta, .white, .yellow, .brightWhite]

    /// The theme name of every tile; `void` (beyond the map) has none.
    public static func name(of tile: Tile) -> String? {
        tile == .void ? nil : tile.name
    }

    /// The theme name of a thing in a state (`door-open`, `switch-on`, `lamp-on`); nil for no thing.
    public static func name(of thing: Thing, on: Bool) -> String? {
        switch thing {
        case .none: nil
        case .door: on ? "door-open" : "door"
        case .lightSwitch: on ? "switch-on" : "switch"
        case .lamp: on ? "lamp-on" : "lamp"
        default: thing.name
        }
    }

    /// The theme name of the agent facing `direction`.
    public static func name(of direction: Direction) -> String { "agent-\(direction.name)" }

    public init(theme: Theme) {
        tiles = ContiguousArray(Tile.allCases.map { tile in Self.name(of: tile).map(theme.cell) ?? .blank })
        things = ContiguousArray(Thing.allCases.map { Self.name(of: $0, on: false).map(theme.cell) ?? .blank })
        thingsOn = ContiguousArray(Thing.allCases.map { Self.name(of: $0, on: true).map(theme.cell) ?? .blank })
        agents = ContiguousArray(Direction.allCases.sorted { $0.rawValue < $1.rawValue }.map { theme.cell(Self.name(of: $0)) })
    }

    /// What one map cell shows: its thing if it holds one, else its ground.
    @inline(__always)
    public func cell(tile: UInt8, thing: UInt8, aux: UInt8) -> Cell {
        guard thing != 0, Int(thing) < things.count else {
            return Int(tile) < tiles.count ? tiles[Int(tile)] : .blank
        }
        var cell = Aux.isOn(aux) ? thingsOn[Int(thing)] : things[Int(thing)]
        if thing == Thing.key.rawValue || thing == Thing.door.rawValue {
            cell.foreground = colors[Int(Aux.color(aux))]
        }
        if cell.background == .default, Int(tile) < tiles.count {
            cell.background = tiles[Int(tile)].background
        }
        return cell
    }

    public func agent(facing direction: Direction) -> Cell { agents[Int(direction.rawValue)] }
}
