/// Something that happened in one step. Raw values are bit positions in `Events` and part of the tape format.
public enum EventKind: UInt8, CaseIterable, Sendable, StablyNamed {
    case moved = 0, bumped, pickedUp, putDown, opened, ate, pulledLever, leverPaid
    case delivered, reachedGoal, pushed, rockSank, kicked, ballRolled, ballBounced, bellRang
    case lightToggled, dug, built, towerStood, filled, spun, tired, fumbled
    case goalMoved, thingRespawned, thingDrifted, doorsOpened, doorsClosed, collected

    /// The stable name used in scenario files (delight), tapes and the event log.
    public var name: String {
        switch self {
        case .moved: "moved"
        case .bumped: "bumped"
        case .pickedUp: "picked-up"
        case .putDown: "put-down"
        case .opened: "opened"
        case .ate: "ate"
        case .pulledLever: "pulled-lever"
        case .leverPaid: "lever-paid"
        case .delivered: "delivered"
        case .reachedGoal: "reached-goal"
        case .pushed: "pushed"
        case .rockSank: "rock-sank"
        case .kicked: "kicked"
        case .ballRolled: "ball-rolled"
        case .ballBounced: "ball-bounced"
        case .bellRang: "bell-rang"
        case .lightToggled: "light-toggled"
        case .dug: "dug"
        case .built: "built"
        case .towerStood: "tower-stood"
        case .filled: "filled"
        case .spun: "spun"
        case .tired: "tired"
        case .fumbled: "fumbled"
        case .goalMoved: "goal-moved"
        case .thingRespawned: "thing-respawned"
        case .thingDrifted: "thing-drifted"
        case .doorsOpened: "doors-opened"
        case .doorsClosed: "doors-closed"
        case .collected: "collected"
        }
    }

    /// A sentence for the event log.
    public var phrase: String {
        switch self {
        case .moved: "moved"
        case .bumped: "bumped into something"
        case .pickedUp: "picked something up"
        case .putDown: "put something down"
        case .opened: "opened a door"
        case .ate: "ate a fruit"
        case .pulledLever: "pulled a lever"
        case .leverPaid: "the lever paid out"
        case .delivered: "delivered the thing"
        case .reachedGoal: "reached the goal"
        case .pushed: "pushed something"
        case .rockSank: "pushed a rock into soft ground"
        case .kicked: "kicked something"
        case .ballRolled: "sent the ball rolling"
        case .ballBounced: "the ball bounced off"
        case .bellRang: "rang the bell"
        case .lightToggled: "flipped the lights"
        case .dug: "dug a hole"
        case .built: "built with a block"
        case .towerStood: "a tower stood"
        case .filled: "filled a hole"
        case .spun: "spun around"
        case .tired: "too tired to play"
        case .fumbled: "played at nothing"
        case .goalMoved: "the goal moved"
        case .thingRespawned: "something grew back"
        case .thingDrifted: "something drifted"
        case .doorsOpened: "the doors opened"
        case .doorsClosed: "the doors closed"
        case .collected: "collected an item"
        }
    }

    /// Events caused by the agent's play half rather than its task half or the world.
    public var isPlay: Bool {
        switch self {
        case .pushed, .rockSank, .kicked, .ballRolled, .ballBounced, .bellRang, .lightToggled,
             .dug, .built, .towerStood, .filled, .spun, .fumbled:
            true
        default: false
        }
    }
}

/// The set of events of one step, one bit per kind: no allocation, 4 bytes in a tape.
public struct Events: Hashable, Sendable, Sequence, ExpressibleByArrayLiteral {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public init(arrayLiteral kinds: EventKind...) {
        rawValue = 0
        for kind in kinds { insert(kind) }
    }

    public mutating func insert(_ kind: EventKind) { rawValue |= 1 << UInt32(kind.rawValue) }
    public func contains(_ kind: EventKind) -> Bool { rawValue & (1 << UInt32(kind.rawValue)) != 0 }
    public var isEmpty: Bool { rawValue == 0 }
    /// Whether any event came from the play half.
    public var hasPlay: Bool { rawValue & Events.playMask != 0 }
    static let playMask: UInt32 = EventKind.allCases.filter(\.isPlay).reduce(0) { $0 | 1 << UInt32($1.rawValue) }

    /// Walks the set bits, lowest kind first, without allocating (metrics iterate every step's events).
    public struct Iterator: IteratorProtocol {
        var bits: UInt32
        public mutating func next() -> EventKind? {
            while bits != 0 {
                let bit = bits.trailingZeroBitCount
                bits &= bits - 1
                if let kind = EventKind(rawValue: UInt8(bit)) { return kind }
            }
            return nil
        }
    }

    public func makeIterator() -> Iterator { Iterator(bits: rawValue) }

    public var names: [String] { map(\.name) }
}

/// What one step did: its events, the task reward, and whether the episode ended.
public struct Transition: Hashable, Sendable {
    public var events: Events
    public var taskReward: Float
    /// The task was done (or failed for good): the episode is over.
    public var terminated: Bool
    /// The episode ran out of steps.
    public var truncated: Bool
    /// The task was completed this step.
    public var succeeded: Bool

    public init(events: Events = [], taskReward: Float = 0, terminated: Bool = false, truncated: Bool = false, succeeded: Bool = false) {
        self.events = events
        self.taskReward = taskReward
        self.terminated = terminated
        self.truncated = truncated
        self.succeeded = succeeded
    }

    public var isLast: Bool { terminated || truncated }
}
