import Foundation
import GridWorld
import NeuralCore

/// Skill discovery: fun is being recognisable — log q(z|s) − log p(z), where z is the skill the policy was
/// given for this episode and q a discriminator that guesses the skill from the state.
///
/// Follows Eysenbach et al. 2019 (DIAYN, "Diversity is all you need"). A skill is drawn uniformly at the start
/// of each episode and offered to the policy as `policyContext`; the discriminator (NeuralCore's
/// `SkillDiscriminator` on the state's sparse features) is trained online by cross-entropy. Like DIAYN it learns
/// from a replay memory (the last `memorySize` states with their skills, `replays` random ones per step):
/// trained only on the current episode's states, it would learn "the skill of late" rather than "the skill of
/// this state" and pay for recency. The reward is at most log K, reached when the state tells the skill for
/// certain.
public struct SkillDiscovery: FunModel {
    public struct State: Codable, Sendable {
        public var discriminator: SkillDiscriminator
        /// The skill of the current episode.
        public var skill: Int
        /// The generator that draws skills and replayed samples, as its state word.
        public var draws: UInt64
        /// Replay memory: per slot, the state's active feature indices then the skill.
        public var memory: ContiguousArray<Int32>
        public var stored: Int
        public var nextSlot: Int
    }
    public let name = "skill"
    public let scope = FunScope.lifetime
    public let skills: Int
    /// States kept for replay, and how many are replayed per step.
    public let memorySize: Int
    public let replays: Int
    public var state: State
    let features: FeatureSpace
    var active: ContiguousArray<Int32>

    public init(features: FeatureSpace, skills: Int = 4, seed: UInt64, hidden: Int = 32, memorySize: Int = 2048, replays: Int = 2) {
        var rng = SplitMix64(seed: seed).derived(0xD1A)
        self.features = features
        self.skills = max(2, skills)
        self.memorySize = max(1, memorySize)
        self.replays = max(0, replays)
        state = State(discriminator: SkillDiscriminator(inputs: features.dimension, activeCount: features.activeCount,
                                                        skills: self.skills, hidden: hidden, rng: &rng),
                      skill: 0, draws: rng.next(),
                      memory: ContiguousArray(repeating: 0, count: self.memorySize * (features.activeCount + 1)),
                      stored: 0, nextSlot: 0)
        active = ContiguousArray(repeating: 0, count: features.activeCount)
        startEpisode()
    }

    public var policyContext: Int? { state.skill }

    public func validate(_ saved: State) throws(FunStateError) {
        try saved.discriminator.network.mustMatch(state.discriminator.network, model: name, part: "discriminator")
        guard saved.memory.count == state.memory.count, (0..<skills).contains(saved.skill),
              (0...memorySize).contains(saved.stored), (0..<memorySize).contains(saved.nextSlot) else {
            throw FunStateError("cannot restore fun model '\(name)': its saved replay memory or skill does not fit \(skills) skills and \(memorySize) states")
        }
    }

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
        return Array(state.discriminator.probabilities)
    }

    /// Runs the discriminator on `world`, leaving its features in `active`.
    mutating func classify(_ world: World) {
        let features = features
        active.withUnsafeMutableBufferPointer { features.write(world, into: $0) }
        active.withUnsafeBufferPointer { state.discriminator.classify($0) }
    }

    /// The reward of s′ under the discriminator as it is, then: s′ into the replay memory, and `replays`
    /// cross-entropy steps on remembered states. O((1 + replays) · active · hidden), no allocation.
    public mutating func reward(_ step: FunInput) -> Float {
        classify(step.after)
        let z = state.skill
        let reward = state.discriminator.reward(for: z)
        let width = features.activeCount + 1
        let slot = state.nextSlot * width
        for i in 0..<(width - 1) { state.memory[slot + i] = active[i] }
        state.memory[slot + width - 1] = Int32(z)
        state.nextSlot = (state.nextSlot + 1) % memorySize
        state.stored = min(state.stored + 1, memorySize)
        var rng = SplitMix64(seed: state.draws)
        for _ in 0..<replays {
            let from = rng.below(state.stored) * width
            for i in 0..<(width - 1) { active[i] = state.memory[from + i] }
            _ = active.withUnsafeBufferPointer { state.discriminator.learn($0, skill: Int(state.memory[from + width - 1])) }
        }
        state.draws = rng.state
        return reward
    }
}
