import Checksum

/// A scenario: a family of MDPs (a layout, a task, play affordances, dynamics, and how to sample variants).
///
/// Scenario files parse into this value; `sample(seed:)` draws one MDP (a `Level`) from the family.
public struct Scenario: Hashable, Sendable {
    public var name: String
    public var summary: String
    /// The hand-drawn map, or the canvas a procedural layout fills.
    public var map: MapTemplate
    public var task: Task
    /// The play actions this world affords; the others do nothing (but still take the turn).
    public var play: Set<PlayAction>
    /// What the scenario declares delightful: event → fun reward.
    public var delight: [EventKind: Float]
    public var coupling: Coupling
    public var dynamics: Dynamics
    public var distribution: Distribution
    /// Hidden rules drawn per trial, for play to find out.
    public var mechanics: Mechanics
    /// Steps before an episode is truncated (T).
    public var maxSteps: Int
    /// Episodes of one sampled MDP that make a trial (K).
    public var episodesPerTrial: Int
    /// When set, trials draw their MDPs from a small pool that recurs (nil: a fresh MDP every trial).
    public var pool: TrialPool?
    /// Side of the square egocentric observation window (odd).
    public var viewSize: Int
    /// The source text this scenario was parsed from, kept for tapes and checkpoints (empty when built in code).
    public var sourceText: String

    public init(
        name: String, summary: String = "", map: MapTemplate, task: Task, play: Set<PlayAction> = Set(PlayAction.allCases),
        delight: [EventKind: Float] = [:], coupling: Coupling = .exclusive, dynamics: Dynamics = Dynamics(),
        distribution: Distribution = Distribution(), mechanics: Mechanics = Mechanics(), maxSteps: Int = 100,
        episodesPerTrial: Int = 1, pool: TrialPool? = nil, viewSize: Int = 7, sourceText: String = ""
    ) {
        self.name = name
        self.summary = summary
        self.map = map
        self.task = task
        self.play = play
        self.delight = delight
        self.coupling = coupling
        self.dynamics = dynamics
        self.distribution = distribution
        self.mechanics = mechanics
        self.maxSteps = maxSteps
        self.episodesPerTrial = episodesPerTrial
        self.pool = pool
        self.viewSize = viewSize
        self.sourceText = sourceText
    }
}

/// MDPs that recur across trials, for minds with episodic memory: a pool of `size` MDPs is drawn from the seed,
/// each trial plays one of them chosen uniformly, and after `trials` trials a new pool is drawn.
public struct TrialPool: Hashable, Sendable {
    public var size: Int
    public var trials: Int
    public init(size: Int, trials: Int) {
        self.size = size
        self.trials = trials
    }
}

/// A hand-drawn map: tiles and things per cell, and where the agent starts.
public struct MapTemplate: Hashable, Sendable {
    public var width: Int
    public var height: Int
    /// Row-major, `width * height`.
    public var tiles: [Tile]
    public var things: [Thing]
    public var aux: [UInt8]
    public var agentStart: GridPoint
    public var agentFacing: Direction

    public init(width: Int, height: Int, fill: Tile = .floor) {
        self.width = width
        self.height = height
        tiles = Array(repeating: fill, count: width * height)
        things = Array(repeating: .none, count: width * height)
        aux = Array(repeating: 0, count: width * height)
        agentStart = GridPoint(x: 0, y: 0)
        agentFacing = .up
    }

    public subscript(x: Int, y: Int) -> (tile: Tile, thing: Thing, aux: UInt8) {
        get { (tiles[y * width + x], things[y * width + x], aux[y * width + x]) }
        set {
            tiles[y * width + x] = newValue.tile
            things[y * width + x] = newValue.thing
            aux[y * width + x] = newValue.aux
        }
    }
}

/// A cell position on the map (not padded).
public struct GridPoint: Hashable, Sendable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public init(x: Int, y: Int) { self.x = x; self.y = y }
    public var description: String { "(\(x), \(y))" }
}

/// What the agent is asked to do. Success pays `1 − 0.9·t/T` (as in MiniGrid) unless noted.
public enum Task: Hashable, Sendable {
    /// Step onto a goal.
    case reachGoal
    /// Eat (fruit) or pick up `count` things of a kind; each pays its share of the success reward.
    case collect(Thing, count: Int)
    /// Carry a thing of a kind and put it down on a pad.
    case deliver(Thing)
    /// Open a locked door with its key.
    case openDoor
    /// Pull a lever: it pays 1 with the lever's payout probability, and the episode ends (a bandit arm).
    case pullLevers
    /// No task at all: the episode just runs out.
    case none

    public var name: String {
        switch self {
        case .reachGoal: "reach-goal"
        case .collect: "collect"
        case .deliver: "deliver"
        case .openDoor: "open-door"
        case .pullLevers: "pull-levers"
        case .none: "none"
        }
    }

    /// A sentence for the HUD and `scenarios show`.
    public var sentence: String {
        switch self {
        case .reachGoal: "reach the goal"
        case .collect(let thing, let count): "collect \(count) \(thing.name)"
        case .deliver(let thing): "carry a \(thing.name) to the pad"
        case .openDoor: "open the locked door with its key"
        case .pullLevers: "pull the best lever"
        case .none: "no task: just play"
        }
    }
}

/// How the world changes while the agent lives in it (non-stationarity).
public struct Dynamics: Hashable, Sendable {
    /// The goal jumps to a new reachable cell every this many steps of an episode (0 = never).
    public var goalMovesEvery: Int
    /// The goal jumps to a new reachable cell at the start of every episode after the first of a trial.
    public var goalMovesBetweenEpisodes: Bool
    /// Things of these kinds take a random step with the given probability each step.
    public var drift: [Thing: Double]
    /// Things of these kinds reappear where they were this many steps after they are taken.
    public var respawn: [Thing: Int]
    /// Unlocked doors open and close on a schedule: open this many steps, then closed this many.
    public var doorSchedule: DoorSchedule?
    /// The hidden rules (`Scenario.mechanics`) are drawn anew every this many steps of an episode (0 = never).
    public var redrawRulesEvery: Int
    /// The hidden rules are drawn anew at the start of every episode after the first of a trial.
    public var redrawRulesBetweenEpisodes: Bool

    public init(goalMovesEvery: Int = 0, goalMovesBetweenEpisodes: Bool = false, drift: [Thing: Double] = [:],
                respawn: [Thing: Int] = [:], doorSchedule: DoorSchedule? = nil, redrawRulesEvery: Int = 0,
                redrawRulesBetweenEpisodes: Bool = false) {
        self.goalMovesEvery = goalMovesEvery
        self.goalMovesBetweenEpisodes = goalMovesBetweenEpisodes
        self.drift = drift
        self.respawn = respawn
        self.doorSchedule = doorSchedule
        self.redrawRulesEvery = redrawRulesEvery
        self.redrawRulesBetweenEpisodes = redrawRulesBetweenEpisodes
    }

    public var isStatic: Bool { self == Dynamics() }
}

public struct DoorSchedule: Hashable, Sendable {
    public var open: Int
    public var closed: Int
    public init(open: Int, closed: Int) { self.open = open; self.closed = closed }
}

/// How one MDP is drawn from the family.
public struct Distribution: Hashable, Sendable {
    public enum Layout: Hashable, Sendable {
        /// The map as drawn.
        case fixed
        /// A square of four rooms joined by one gap in each inner wall, gaps at random (MiniGrid's FourRooms).
        case fourRooms
    }
    public var layout: Layout
    /// Start the agent on a random free cell instead of the drawn one.
    public var randomAgent: Bool
    /// Put the goal on a random free cell reachable from the agent.
    public var randomGoal: Bool
    /// Things of these kinds are scattered to random free cells.
    public var scatter: Set<Thing>
    /// Each lever's payout probability is drawn from U[0, 1] per MDP.
    public var randomLeverOdds: Bool
    /// Groups of marked cells of which a drawn number change their look, applied in order after the layout.
    public var picks: [Pick]
    /// Axes along which the whole MDP is mirrored, each with probability 1/2, once it is otherwise drawn.
    public var flips: Set<Flip>

    /// A mirror image: `horizontal` swaps left and right, `vertical` top and bottom.
    public enum Flip: UInt8, CaseIterable, Hashable, Sendable, StablyNamed {
        case horizontal = 0, vertical = 1
        public var name: String { self == .horizontal ? "horizontal" : "vertical" }
    }

    public init(layout: Layout = .fixed, randomAgent: Bool = false, randomGoal: Bool = false, scatter: Set<Thing> = [],
                randomLeverOdds: Bool = true, picks: [Pick] = [], flips: Set<Flip> = []) {
        self.layout = layout
        self.randomAgent = randomAgent
        self.randomGoal = randomGoal
        self.scatter = scatter
        self.randomLeverOdds = randomLeverOdds
        self.picks = picks
        self.flips = flips
    }
}

/// Cells marked with one map symbol, of which a number drawn per MDP take the symbol's look; the others keep the
/// look the map template holds there. One way to vary a layout: which patches are sand, where a door sits in
/// a wall, whether a river has a ford, where the agent starts.
public struct Pick: Hashable, Sendable {
    /// Map indices (row-major) of the marked cells.
    public var cells: [Int]
    /// How many of them take the look: one of these, drawn uniformly.
    public var counts: [Int]
    public var tile: Tile
    public var thing: Thing
    public var aux: UInt8
    /// The agent starts on the chosen cell (counts must be [1]).
    public var agent: Direction?

    public init(cells: [Int], counts: [Int], tile: Tile, thing: Thing = .none, aux: UInt8 = 0, agent: Direction? = nil) {
        self.cells = cells
        self.counts = counts
        self.tile = tile
        self.thing = thing
        self.aux = aux
        self.agent = agent
    }
}

extension Scenario {
    /// FNV-1a (64-bit) of the scenario's source text: ties tapes and checkpoints to the exact file they came from.
    public var fingerprint: UInt64 { Scenario.fingerprint(sourceText: sourceText) }

    /// The fingerprint of a scenario's source text, for records that keep the text rather than the scenario.
    public static func fingerprint(sourceText: String) -> UInt64 { FNV1a.hash64(sourceText) }
}
