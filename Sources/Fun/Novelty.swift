import GridWorld

/// Count-based novelty: β/√N(s), the classic exploration bonus for states seldom seen.
///
/// Follows Strehl & Littman 2008 (MBIE-EB) and, with hashed keys for large worlds, Tang et al. 2017
/// ("#Exploration"). `novelty` counts within an episode (episodic novelty, as in Never Give Up's
/// episodic memory); `novelty-lifelong` never forgets. Reward of a step: β/√N(s′) with N counting this visit.
public struct Novelty: FunModel {
    public let name: String
    public let scope: FunScope
    /// The bonus of a first visit.
    public var bonus: Float
    public var state = VisitCounts()
    var keyer: StateKeyer

    public init(scope: FunScope, keyer: StateKeyer, bonus: Float = 1) {
        self.scope = scope
        self.name = scope == .lifetime ? "novelty-lifelong" : "novelty"
        self.keyer = keyer
        self.bonus = bonus
    }

    public mutating func beginTrial() { state.removeAll() }
    public mutating func beginEpisode() { state.removeAll() }

    /// O(cells) for exact keys; no allocation but the count table's occasional doubling.
    public mutating func reward(_ step: FunInput) -> Float {
        let n = state.visit(keyer.key(step.after))
        return bonus / Float(n).squareRoot()
    }
}
