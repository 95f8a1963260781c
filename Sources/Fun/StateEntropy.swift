import Foundation
import GridWorld

/// State entropy: −log d̂(s′) under a running visitation distribution, so the return is the entropy of the
/// states visited.
///
/// Follows Hazan et al. 2019 ("Provably efficient maximum entropy exploration"), whose reward for maximising
/// H(d) is the gradient −log d(s) − 1; here d̂(s) = N(s)/T over every visit so far (this one included).
/// `centred` subtracts the current entropy Ĥ, making the reward exactly how much this visit raises Ĥ
/// (∂Ĥ/∂N(s) = (−log d̂(s) − Ĥ)/T): negative for states already over-visited, so even a learner without
/// optimistic values is pushed out of loops.
public struct StateEntropy: FunModel {
    public struct State: Codable, Sendable, Hashable {
        public var counts = VisitCounts()
        /// Σ N(s)·ln N(s), kept so Ĥ = ln T − Σ N ln N / T is O(1).
        public var sumNLogN: Double = 0
    }
    public let name: String
    public let scope: FunScope
    public let centred: Bool
    public var state = State()
    var keyer: StateKeyer

    public init(scope: FunScope = .lifetime, keyer: StateKeyer, centred: Bool = false) {
        self.scope = scope
        self.keyer = keyer
        self.centred = centred
        name = centred ? "entropy-centred" : "entropy"
    }

    public mutating func beginTrial() { state = State() }
    public mutating func beginEpisode() { state = State() }

    /// Ĥ, the entropy (nats) of the visits so far.
    public var entropy: Double {
        let t = Double(state.counts.total)
        return t > 0 ? log(t) - state.sumNLogN / t : 0
    }

    /// O(1) plus the key's cost.
    public mutating func reward(_ step: FunInput) -> Float {
        let n = Double(state.counts.visit(keyer.key(step.after)))
        state.sumNLogN += n * log(n) - (n > 1 ? (n - 1) * log(n - 1) : 0)
        let surprise = log(Double(state.counts.total)) - log(n)
        return Float(centred ? surprise - entropy : surprise)
    }
}
