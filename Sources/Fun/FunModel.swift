import GridWorld

/// How long a fun model's memory lasts before it starts afresh.
public enum FunScope: String, Hashable, Sendable, CaseIterable {
    case episode, trial, lifetime
}

/// One step as a fun model sees it: the world before and after, the action pair, and the transition.
public struct FunInput {
    public var before: World
    public var action: ActionPair
    public var transition: Transition
    public var after: World

    public init(before: World, action: ActionPair, transition: Transition, after: World) {
        self.before = before
        self.action = action
        self.transition = transition
        self.after = after
    }
}

/// An intrinsic reward: given a step, how much fun it was (before weighting).
///
/// Models may learn and keep state; `scope` says when that state is forgotten. What a model has learned is
/// its `state`, a `Codable` value, so checkpoints can carry it (`encodedState()`, `restoreState(from:)`).
public protocol FunModel {
    /// What the model has learned (counts, predictor weights); `FunNoState` for models that learn nothing.
    associatedtype State: Codable & Sendable = FunNoState
    /// The name used in fun specs (`--fun delight=1`), reports and the HUD.
    var name: String { get }
    var scope: FunScope { get }
    var state: State { get set }
    /// Forget what belongs to the last trial (called at each new trial unless the scope is `lifetime`).
    mutating func beginTrial()
    /// Forget what belongs to the last episode (called at each new episode when the scope is `episode`).
    mutating func beginEpisode()
    /// Called at the start of every episode whatever the scope: a model that sets the policy a goal (DIAYN's
    /// skill) draws it here.
    mutating func startEpisode()
    /// What the model asks the policy to condition on this episode (DIAYN's skill), nil for most models.
    var policyContext: Int? { get }
    /// The unweighted fun of one step; may update the model.
    mutating func reward(_ step: FunInput) -> Float
    /// Refuses a saved state this model cannot use (learned for another world's shape).
    func validate(_ state: State) throws(FunStateError)
}

extension FunModel {
    public mutating func beginTrial() {}
    public mutating func beginEpisode() {}
    public mutating func startEpisode() {}
    public var policyContext: Int? { nil }
    public func validate(_ state: State) throws(FunStateError) {}

    /// Readies a new model for its first trial and episode: what every runner of fun models does first.
    public mutating func beginFirstEpisode() {
        beginTrial()
        beginEpisode()
    }

    /// Forgets what the model's scope says a new episode (and a new trial, when `newTrial`) forgets: the one rule
    /// sessions, training environments and C batches share.
    public mutating func beginNextEpisode(newTrial: Bool) {
        if newTrial && scope != .lifetime { beginTrial() }
        if scope == .episode { beginEpisode() }
    }
}

extension FunModel where State == FunNoState {
    public var state: FunNoState {
        get { FunNoState() }
        set {}
    }
}

/// Delight: the scenario declares which events feel good ("pushing a rock into the ground feels good") and how much.
///
/// Delight habituates: each repeat of an event kind within an episode is worth half the one before, so the
/// first bell is a joy and the twentieth is nothing. Without it an agent learns to ring a bell forever
/// (an endless fun source) instead of playing and then getting on with the task.
public struct Delight: FunModel {
    // Three words in all (name and scope are computed): a `Delight` fits an existential's inline buffer, so calling
    // it through `any FunModel` needs no heap box made unique on every step.
    public var name: String { "delight" }
    public var scope: FunScope { .episode }
    /// Fun per event kind, indexed by `EventKind.rawValue`.
    let table: [Float]
    /// The event kinds with fun in `table`: a step without them is looked over in one test.
    let delightful: Events
    /// How often each event kind has delighted this episode.
    var repeats: [UInt8]

    public init(scenario: Scenario) {
        var table = [Float](repeating: 0, count: EventKind.allCases.count)
        var delightful: Events = []
        for (kind, value) in scenario.delight where value != 0 {
            table[Int(kind.rawValue)] = value
            delightful.insert(kind)
        }
        self.table = table
        self.delightful = delightful
        repeats = [UInt8](repeating: 0, count: EventKind.allCases.count)
    }

    public mutating func beginEpisode() {
        for i in repeats.indices { repeats[i] = 0 }
    }

    public mutating func reward(_ step: FunInput) -> Float { reward(step.transition.events) }

    /// The fun of a step's events: all that delight reads of a step.
    public mutating func reward(_ events: Events) -> Float {
        var total: Float = 0
        var bits = events.bits & delightful.bits
        while bits != 0 {
            let kind = bits.trailingZeroBitCount
            total += table[kind] / Float(1 << min(Int(repeats[kind]), 24))
            repeats[kind] &+= repeats[kind] < 255 ? 1 : 0
            bits &= bits - 1
        }
        return total
    }
}
