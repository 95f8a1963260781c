import Agents
import Foundation
import Fun
import GridWorld
import MetaRL
import NeuralCore

/// DIAYN's check of a skill agent, on rollouts its discriminator never trained on: how often the discriminator
/// tells the skill from the state reached (accuracy), the mean skill reward log q(z|s′) − log p(z) (at most ln K),
/// and where each skill goes (visit maps, and how much each pair of them overlaps).
///
/// Every skill runs `trialsPerSkill` trials of fresh worlds drawn from `seed`, sampling its actions as it does in
/// training; every state reached after a step is judged.
public struct SkillEvaluation: Codable, Sendable, Equatable {
    public var scenario: String
    public var skills: Int
    public var trialsPerSkill: Int
    /// What the discriminator reads of where the agent is (a `PositionLayout` name: cell or row-column).
    public var features: String?
    /// How the skills came about (`diayn` or `edl`: `SkillMethod`).
    public var method: String
    public var seed: UInt64
    /// States judged (steps taken), over all skills.
    public var states: Int
    /// Share of judged states whose most likely skill under the discriminator is the skill being run.
    public var accuracy: Double
    public var meanSkillReward: Double
    /// ln K, the most a step's skill reward can be, and the mean reward's share of it.
    public var lnSkills: Double
    public var rewardShareOfLnSkills: Double
    public var accuracyBySkill: [Double]
    public var rewardBySkill: [Double]
    /// The map's size, and per skill the visits of each cell (row-major, `width × height`) by the states reached.
    public var width: Int
    public var height: Int
    public var visits: [[Int]]
    /// Per cell (row-major), the skill the discriminator takes an agent standing there for; -1 where none can stand.
    public var judged: [Int]
    /// Per pair of skills, Σ over cells of min(dᵢ, dⱼ) where d is a skill's share of visits per cell: 0 when two
    /// skills never stand on the same cell, 1 when they spread alike.
    public var overlap: [[Double]]
    public var meanOverlap: Double
    public var maxOverlap: Double

    enum CodingKeys: String, CodingKey {
        case scenario, skills, seed, states, accuracy, width, height, visits, overlap, features, method, judged
        case trialsPerSkill = "trials_per_skill", meanSkillReward = "mean_skill_reward", lnSkills = "ln_skills"
        case rewardShareOfLnSkills = "reward_share_of_ln_skills", accuracyBySkill = "accuracy_by_skill"
        case rewardBySkill = "reward_by_skill", meanOverlap = "mean_overlap", maxOverlap = "max_overlap"
    }

    /// Runs `agentName`'s checkpoint in `scenario`. Throws when it was not trained with skills or cannot act there.
    public init(checkpoint: Checkpoint, agentName: String, scenario: Scenario, trialsPerSkill: Int, seed: UInt64) throws {
        let skills = checkpoint.identity?.observation.skills ?? 0
        guard skills > 0 else {
            throw AgentLoadError("\(agentName): was not trained with skills (train one with playgrid train --skills K)")
        }
        let (width, height) = (scenario.map.width, scenario.map.height)
        var visits = [[Int]](repeating: [Int](repeating: 0, count: width * height), count: skills)
        var hits = [Int](repeating: 0, count: skills), counts = hits
        var rewards = [Double](repeating: 0, count: skills)
        for z in 0..<skills {
            var agent = try RecurrentAgent(checkpoint: checkpoint, name: agentName, scenario: scenario, skill: z)
            var seeds = SplitMix64(seed: seed).derived(UInt64(z))
            var rng = seeds.split()
            for _ in 0..<trialsPerSkill {
                var trial = try TrialWorld(scenario: scenario, seed: seeds.next())
                agent.beginTrial(trial.world)
                var newTrial = false
                while !newTrial {
                    agent.beginEpisode(trial.world)
                    var over = false
                    while !over {
                        let decision = agent.decide(trial.world, rng: &rng)
                        let transition = trial.step(decision.action)
                        agent.observe(transition, reward: StepReward(task: transition.taskReward), world: trial.world)
                        let at = trial.world.agentPosition
                        visits[z][at.y * width + at.x] += 1
                        counts[z] += 1
                        hits[z] += agent.recognisedSkill == z ? 1 : 0
                        rewards[z] += Double(agent.skillReward)
                        over = transition.isLast
                    }
                    newTrial = try trial.beginNextEpisode()
                }
            }
        }
        self.scenario = scenario.name
        self.skills = skills
        self.trialsPerSkill = trialsPerSkill
        features = try checkpoint.discriminator.map { d throws(SkillFeaturesError) in try SkillFeatures.layout(of: d).name }
        method = checkpoint.identity?.skillMethod ?? SkillMethod.diayn.rawValue
        self.seed = seed
        states = counts.reduce(0, +)
        accuracy = Double(hits.reduce(0, +)) / Double(max(1, states))
        meanSkillReward = rewards.reduce(0, +) / Double(max(1, states))
        lnSkills = log(Double(skills))
        rewardShareOfLnSkills = meanSkillReward / lnSkills
        accuracyBySkill = (0..<skills).map { Double(hits[$0]) / Double(max(1, counts[$0])) }
        rewardBySkill = (0..<skills).map { rewards[$0] / Double(max(1, counts[$0])) }
        self.width = width
        self.height = height
        self.visits = visits
        judged = try Self.judged(by: checkpoint.discriminator, in: scenario)
        let overlap = Self.overlap(visits)
        self.overlap = overlap
        let pairs = (0..<skills).flatMap { i in (0..<skills).filter { $0 > i }.map { overlap[i][$0] } }
        meanOverlap = pairs.reduce(0, +) / Double(max(1, pairs.count))
        maxOverlap = pairs.max() ?? 0
    }

    /// Per cell of `scenario`'s map, the skill `discriminator` takes an agent standing there for (-1 on cells no one
    /// can stand on, and everywhere without a discriminator).
    static func judged(by discriminator: SkillDiscriminator?, in scenario: Scenario) throws -> [Int] {
        let map = scenario.map
        guard var discriminator else { return [Int](repeating: -1, count: map.width * map.height) }
        let features = try SkillFeatures(reading: discriminator, scenario: scenario)
        var active = [Int32](repeating: 0, count: features.activeCount)
        return (0..<(map.width * map.height)).map { i in
            let cell = GridPoint(x: i % map.width, y: i / map.width)
            guard map[cell.x, cell.y].tile.isPassable else { return -1 }
            active.withUnsafeMutableBufferPointer { features.write(at: cell, into: $0) }
            active.withUnsafeBufferPointer { discriminator.classify($0) }
            return discriminator.mostLikely
        }
    }

    /// Σ_c min(dᵢ(c), dⱼ(c)) for every pair of visit maps, where d is a map divided by its total.
    public static func overlap(_ visits: [[Int]]) -> [[Double]] {
        let shares = visits.map { v in
            let total = Double(max(1, v.reduce(0, +)))
            return v.map { Double($0) / total }
        }
        return shares.map { a in shares.map { b in zip(a, b).reduce(0) { $0 + min($1.0, $1.1) } } }
    }
}
