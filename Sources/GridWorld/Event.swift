/// Something that happened in one step. Raw values are bit positions in `Events` and part of the tape format.
public enum EventKind: UInt8, CaseIterable, Sendable, StablyNamed {
    case moved = 0, bumped, pickedUp, putDown, opened, ate, pulledLever, leverPaid
    case delivered, reachedGoal, pushed, rockSank, kicked, ballRolled, ballBounced, bellRang
    case lightToggled, dug, built, towerStood, filled, spun, tired, fumbled
    case goalMoved, thingRespawned, thingDrifted, doorsOpened, doorsClosed, collected
    /// What hidden mechanics did (see `Mechanics`): the first of each in a trial is when its rule was discovered.
    case bridged, rockSankInWater, foundBuried, signalOpened, gateOpened

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
        case .bridged: "bridged"
        case .rockSankInWater: "rock-sank-in-water"
        case .foundBuried: "found-buried"
        case .signalOpened: "signal-opened"
        case .gateOpened: "gate-opened"
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
        case .bridged: "the rock made a bridge"
        case .rockSankInWater: "the rock sank in the water"
        case .foundBuried: "found something buried"
        case .signalOpened: "the signal opened a door"
        case .gateOpened: "the plate opened a gate"
        }
    }

    /// Events caused by the agent's play half rather than its task half or the world.
    public var isPlay: Bool {
        switch self {
        case .pushed, .rockSank, .kicked, .ballRolled, .ballBounced, .bellRang, .lightToggled,
             .dug, .built, .towerStood, .filled, .spun, .fumbled,
             .bridged, .rockSankInWater, .foundBuried, .signalOpened, .gateOpened:
            true
        default: false
        }
    }

    /// Play events that mean the play half did something: all but spinning on the spot and playing at nothing.
    public var isEffectivePlay: Bool { isPlay && self != .spun && self != .fumbled }

    /// The hidden mechanic whose effect this event shows, if any.
    public var mechanic: Mechanic? {
        switch self {
        case .bridged, .rockSankInWater: .bridge
        case .foundBuried: .buried
        case .signalOpened: .signal
        case .gateOpened: .trigger
        default: nil
        }
    }
}

/// The set of events of one step, one bit per kind: no allocation.
public struct Events: Hashable, Sendable, Sequence, ExpressibleByArrayLiteral {
    /// Bit `EventKind.rawValue` is set when that kind happened.
    public var bits: UInt64
    public init(bits: UInt64) { self.bits = bits }
    public init(arrayLiteral kinds: EventKind...) {
        bits = 0
        for kind in kinds { insert(kind) }
    }

    public mutating func insert(_ kind: EventKind) { bits |= 1 << UInt64(kind.rawValue) }
    public mutating func remove(_ kind: EventKind) { bits &= ~(1 << UInt64(kind.rawValue)) }
    public func contains(_ kind: EventKind) -> Bool { bits & (1 << UInt64(kind.rawValue)) != 0 }
    public var isEmpty: Bool { bits == 0 }
    /// Whether any event came from the play half.
    public var hasPlay: Bool { bits & Events.playMask != 0 }
    /// Whether the play half did something: an event of it other than spinning or fumbling.
    public var hasEffectivePlay: Bool { bits & Events.effectivePlayMask != 0 }
    /// The events that came from the play half.
    public var play: Events { Events(bits: bits & Events.playMask) }
    /// The hidden rules whose effect these events show: bit `Mechanic.rawValue` for each. O(1) without such events.
    public var mechanics: UInt8 {
        guard bits & Events.mechanicMask != 0 else { return 0 }
        var rules: UInt8 = 0
        for kind in self { if let rule = kind.mechanic { rules |= 1 << rule.rawValue } }
        return rules
    }
    static let playMask = mask(\.isPlay)
    static let effectivePlayMask = mask(\.isEffectivePlay)
    static let mechanicMask = mask { $0.mechanic != nil }
    static func mask(_ include: (EventKind) -> Bool) -> UInt64 {
        EventKind.allCases.filter(include).reduce(0) { $0 | 1 << UInt64($1.rawValue) }
    }

    /// Walks the set bits, lowest kind first, without allocating (metrics iterate every step's events).
    public struct Iterator: IteratorProtocol {
        var bits: UInt64
        public mutating func next() -> EventKind? {
            while bits != 0 {
                let bit = bits.trailingZeroBitCount
                bits &= bits - 1
                if let kind = EventKind(rawValue: UInt8(bit)) { return kind }
            }
            return nil
        }
    }

    public func makeIterator() -> Iterator { Iterator(bits: bits) }

    public var names: [String] { map(\.name) }
}

/// What one step did: its events, the task reward, and whether the episode ended.
public struct Transition: Hashable, Sendable {
    public var events: Events
    public var taskReward: Float
    /// How far chance drew `taskReward` above its expectation: a lever of odds 0.3 that paid is +0.7, one that did
    /// not −0.3; 0 where nothing was drawn. A trainer may learn from `taskReward − luck`, the reward's expectation
    /// given the action, which has the same mean and none of the draw's noise.
    public var luck: Float = 0
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
