import Foundation
import GridWorld

/// Skill discovery: fun is being recognisable — log q(z|s) − log p(z), where z is the skill the policy was
/// given for this episode and q a discriminator that guesses the skill from the state.
///
/// Follows Eysenbach et al. 2019 (DIAYN, "Diversity is all you need"). A skill is drawn uniformly at the start
/// of each episode and offered to the policy as `policyContext`; the discriminator (a small network on the
/// state's sparse features, with softmax output) is trained online by cross-entropy on every step. The
/// reward is at most log K, reached when the state tells the skill for certain.
public struct SkillDiscovery: FunModel {
    public struct State: Codable, Sendable {
        public var discriminator: SparseMLP
        /// The skill of the current episode.
        public var skill: Int
        /// The generator that draws skills, as its state word.
        public var draws: UInt64
    }
    public let name = "skill"
    public let scope = FunScope.lifetime
    public let skills: Int
    public var rate: Float = 0.1
    public var state: State
    let features: FeatureSpace
    var active: ContiguousArray<Int32>
    var probabilities: ContiguousArray<Float>

    public init(features: FeatureSpace, skills: Int = 4, seed: UInt64, hidden: Int = 32) {
        var rng = SplitMix64(seed: seed).derived(0xD1A)
        self.features = features
        self.skills = max(2, skills)
        state = State(discriminator: SparseMLP(inputs: features.dimension, hidden: hidden, outputs: self.skills,
                                               activeCount: features.activeCount, rng: &rng),
                      skill: 0, draws: rng.next())
        active = ContiguousArray(repeating: 0, count: features.activeCount)
        probabilities = ContiguousArray(repeating: 0, count: self.skills)
        startEpisode()
    }

    public var policyContext: Int? { state.skill }

    public mutating func startEpisode() {
        var rng = SplitMix64(seed: state.draws)
        state.skill = rng.below(skills)
        state.draws = rng.state
    }

    /// Sets the skill by hand (for evaluation).
    public mutating func setSkill(_ skill: Int) { state.skill = min(max(skill, 0), skills - 1) }

    /// The discriminator's q(z|s) for every skill. Allocates the result (for tests and tools).
    public mutating func skillProbabilities(_ world: World) -> [Float] {
        classify(world)
        return Array(probabilities)
    }

    /// Runs the discriminator on `world`, leaving q(·|s) in `probabilities` and the features in `active`.
    mutating func classify(_ world: World) {
        let features = features
        let skills = skills
        active.withUnsafeMutableBufferPointer { active in
            features.write(world, into: active)
            probabilities.withUnsafeMutableBufferPointer { p in
                state.discriminator.predict(UnsafeBufferPointer(active), into: p)
                var top = p[0]
                for z in 1..<skills { top = max(top, p[z]) }
                var sum: Float = 0
                for z in 0..<skills {
                    p[z] = exp(p[z] - top)
                    sum += p[z]
                }
                for z in 0..<skills { p[z] /= sum }
            }
        }
    }

    /// O(active · hidden); trains the discriminator on (s′, z).
    public mutating func reward(_ step: FunInput) -> Float {
        classify(step.after)
        let z = state.skill
        let logQ = log(max(probabilities[z], 1e-6))
        // Cross-entropy gradient with respect to the logits: q − onehot(z).
        for k in 0..<skills { state.discriminator.y[k] = probabilities[k] - (k == z ? 1 : 0) }
        let rate = rate
        active.withUnsafeBufferPointer { state.discriminator.backward($0, rate: rate) }
        return logQ + log(Float(skills))
    }
}
