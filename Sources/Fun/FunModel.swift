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
/// Models may learn and keep state; `scope` says when that state is forgotten.
public protocol FunModel {
    /// The name used in fun specs (`--fun delight=1`), reports and the HUD.
    var name: String { get }
    var scope: FunScope { get }
    mutating func beginTrial()
    mutating func beginEpisode()
    /// The unweighted fun of one step; may update the model.
    mutating func reward(_ step: FunInput) -> Float
}

extension FunModel {
    public mutating func beginTrial() {}
    public mutating func beginEpisode() {}
}

/// Delight: the scenario declares which events feel good ("pushing a rock into the ground feels good") and how much.
public struct Delight: FunModel {
    public let name = "delight"
    public let scope = FunScope.lifetime
    /// Fun per event kind, indexed by `EventKind.rawValue`.
    let table: [Float]

    public init(scenario: Scenario) {
        var table = [Float](repeating: 0, count: 32)
        for (kind, value) in scenario.delight { table[Int(kind.rawValue)] = value }
        self.table = table
    }

    public mutating func reward(_ step: FunInput) -> Float {
        var total: Float = 0
        var bits = step.transition.events.rawValue
        while bits != 0 {
            total += table[bits.trailingZeroBitCount]
            bits &= bits - 1
        }
        return total
    }
}
