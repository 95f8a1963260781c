/// The task half of an action: moving and interacting with the cell ahead.
public enum TaskAction: UInt8, CaseIterable, Sendable, StablyNamed {
    case stay = 0, up = 1, down = 2, left = 3, right = 4
    /// Pick up, put down, open, press or eat, on the cell ahead.
    case use = 5

    public static let count = allCases.count

    public var name: String { ["stay", "up", "down", "left", "right", "use"][Int(rawValue)] }

    /// The heading a move action takes, if it is one.
    public var direction: Direction? {
        switch self {
        case .up: .up
        case .down: .down
        case .left: .left
        case .right: .right
        case .stay, .use: nil
        }
    }
}

/// The play half of an action: changing the world for no task reason.
public enum PlayAction: UInt8, CaseIterable, Sendable, StablyNamed {
    case none = 0
    /// Shove the thing ahead one cell; a rock shoved onto sand or into a hole sinks.
    case push = 1
    /// Kick the ball ahead: it rolls until something stops it.
    case kick = 2
    /// Ring the bell ahead, or flip the light switch ahead (every lamp follows it).
    case ring = 3
    /// Dig a hole in the sand or grass ahead.
    case dig = 4
    /// Put the carried block ahead, stacking it into a tower, or fill the hole ahead.
    case build = 5
    /// Spin on the spot: self-directed, no effect on the world.
    case spin = 6

    public static let count = allCases.count

    public var name: String { ["none", "push", "kick", "ring", "dig", "build", "spin"][Int(rawValue)] }
}

/// One action: a task half and a play half, chosen together.
public struct ActionPair: Hashable, Sendable, CustomStringConvertible {
    public var task: TaskAction
    public var play: PlayAction

    public init(_ task: TaskAction, _ play: PlayAction = .none) {
        self.task = task
        self.play = play
    }

    /// Both halves in one byte (task · 8 + play), as tapes store it.
    public var packed: UInt8 { task.rawValue &* 8 &+ play.rawValue }

    public init?(packed: UInt8) {
        guard let task = TaskAction(rawValue: packed / 8), let play = PlayAction(rawValue: packed % 8) else { return nil }
        self.init(task, play)
    }

    public var description: String { "⟨\(task.name), \(play.name)⟩" }
}

/// How the two halves of an action share a turn.
public enum Coupling: Hashable, Sendable {
    /// A play half other than `none` takes the whole turn, so play costs task time.
    case exclusive
    /// Both halves act in the same turn; each play costs energy, which a step of rest restores.
    case simultaneous(energy: Int, playCost: Int, restGain: Int)

    /// Whether the agent can play as often as it likes: under simultaneous coupling, a play must fit in full energy
    /// and rest must win the energy back.
    var playsWithoutEnd: Bool {
        guard case .simultaneous(let energy, let playCost, let restGain) = self else { return true }
        return playCost == 0 || (playCost <= energy && restGain > 0)
    }
}
