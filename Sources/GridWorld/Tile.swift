/// The ground of a cell. Raw values are part of the observation encoding: never renumber them.
public enum Tile: UInt8, CaseIterable, Sendable, StablyNamed {
    /// Beyond the map's edge; only observations see it.
    case void = 0
    case floor = 1
    case wall = 2
    /// Soft ground: a rock pushed onto it sinks, and it can be dug.
    case sand = 3
    case water = 4
    case grass = 5
    /// A pit dug by the agent; a pushed rock fills it.
    case hole = 6
    /// Sand or a hole that a rock has sunk into.
    case sunkRock = 7
    /// A marked place that deliveries go to.
    case pad = 8
    /// Water that a rock filled, where a `bridge` mechanic makes rocks bridge: walkable.
    case bridge = 9
    /// A pressure plate: a rolling ball stops on it, and a ball, block or rock brought onto it by play presses
    /// it (a `trigger` mechanic may open doors then).
    case plate = 10

    /// Whether the agent and rolling things may enter the tile.
    public var isPassable: Bool {
        switch self {
        case .void, .wall, .water: false
        default: true
        }
    }

    /// The stable name used in scenario files, themes and tapes.
    public var name: String {
        switch self {
        case .void: "void"
        case .floor: "floor"
        case .wall: "wall"
        case .sand: "sand"
        case .water: "water"
        case .grass: "grass"
        case .hole: "hole"
        case .sunkRock: "sunk-rock"
        case .pad: "pad"
        case .bridge: "bridge"
        case .plate: "plate"
        }
    }
}

/// Something standing on a cell. Raw values are part of the observation encoding: never renumber them.
public enum Thing: UInt8, CaseIterable, Sendable, StablyNamed {
    case none = 0
    case rock = 1
    case ball = 2
    case key = 3
    case door = 4
    case goal = 5
    case fruit = 6
    case bell = 7
    case lightSwitch = 8
    case lamp = 9
    case block = 10
    case lever = 11

    /// The stable name used in scenario files, themes and tapes.
    public var name: String {
        switch self {
        case .none: "none"
        case .rock: "rock"
        case .ball: "ball"
        case .key: "key"
        case .door: "door"
        case .goal: "goal"
        case .fruit: "fruit"
        case .bell: "bell"
        case .lightSwitch: "switch"
        case .lamp: "lamp"
        case .block: "block"
        case .lever: "lever"
        }
    }

    /// Whether `use` can lift it into the agent's hands.
    public var isPortable: Bool {
        switch self {
        case .key, .ball, .block: true
        default: false
        }
    }
}

/// The per-cell state byte beside a thing: a colour in the low bits, a flag bit, or a count.
///
/// Keys and doors match by `color`; a door or switch or lamp uses `isOn` (open, on, lit);
/// a block keeps its tower height in `count`; a lever keeps its index in `count`.
public enum Aux {
    public static let colorMask: UInt8 = 0x07
    public static let onBit: UInt8 = 0x08
    public static let countShift: UInt8 = 4

    public static func color(_ aux: UInt8) -> UInt8 { aux & colorMask }
    public static func isOn(_ aux: UInt8) -> Bool { aux & onBit != 0 }
    public static func count(_ aux: UInt8) -> Int { Int(aux >> countShift) }
    /// A block's tower height: a block drawn in a map is a tower of one.
    public static func height(_ aux: UInt8) -> Int { max(1, count(aux)) }
    public static func withCount(_ aux: UInt8, _ count: Int) -> UInt8 {
        (aux & 0x0F) | UInt8(truncatingIfNeeded: min(count, 15) << 4)
    }

    /// Colour names for keys and doors, by index.
    public static let colorNames = ["yellow", "red", "green", "blue", "purple", "grey", "orange", "white"]
}

/// A heading on the grid.
public enum Direction: UInt8, CaseIterable, Sendable, StablyNamed {
    case up = 0, right = 1, down = 2, left = 3

    public var dx: Int { self == .right ? 1 : self == .left ? -1 : 0 }
    public var dy: Int { self == .down ? 1 : self == .up ? -1 : 0 }
    public var name: String { ["up", "right", "down", "left"][Int(rawValue)] }
}
