import Foundation
import GridWorld
import MetaRL
import NeuralCore

/// What the skills of a skill file do (`playgrid skills eval SKILLS`): each skill's decoder is run for H steps from
/// the start of fresh trials of a scenario, and the report gives, per skill, the action pairs it takes most often, how
/// far it goes and what it plays; and the skill prior's entropy and its mean over skills at those starts.
public struct PlaySkillReport: Codable, Sendable, Equatable {
    public var scenario: String
    public var seed: UInt64
    public var rollouts: Int
    public var horizon: Int
    public var skills: Int
    public var heldOut: PlaySkills.HeldOut
    public var heldOutSegments: Int
    /// The prior's mean entropy over every state the rollouts met, against ln K.
    public var priorEntropy: Double
    public var lnSkills: Double
    public var bySkill: [Skill]

    public struct Skill: Codable, Sendable, Equatable {
        /// p(z|s) at the rollouts' starts, averaged.
        public var priorAtStart: Double
        /// The most frequent action pairs ("task+play", "task" without play) and their shares of the steps.
        public var topPairs: [Pair]
        /// Share of steps with a play half; mean net move (cells, right and down positive) and its length; play events.
        public var playShare: Double
        public var meanMove: [Double]
        public var meanDistance: Double
        public var playEvents: Int
    }

    public struct Pair: Codable, Sendable, Equatable {
        public var action: String
        public var share: Double
    }

    /// Runs every skill of `skills` `rollouts` times for H steps from the start of fresh trials of `scenario` (trial k
    /// of every skill is the same world), drawing the decoder's actions from `seed`.
    public init(skills: PlaySkills, scenario: Scenario, rollouts: Int, seed: UInt64) throws(PlaySkillsError) {
        let model = skills.model
        let layout = GridFeatures.layout(viewSize: scenario.viewSize)
        guard layout == skills.observation else {
            throw PlaySkillsError("the skills read \(skills.observation), but \(scenario.name) gives \(layout); evaluate them in a scenario with the view of their tapes")
        }
        self.scenario = scenario.name
        self.seed = seed
        self.rollouts = rollouts
        horizon = skills.horizon
        self.skills = skills.skills
        heldOut = skills.heldOut
        heldOutSegments = skills.heldOutSegments
        lnSkills = log(Double(skills.skills))
        var features = [Float](repeating: 0, count: layout.size)
        var bytes = [UInt8](repeating: 0, count: ObservationLayout.size(viewSize: scenario.viewSize))
        var logProbs = [Float](repeating: 0, count: max(model.shape.actionWidth, model.shape.skills))
        var scratch = [Float](repeating: 0, count: model.scratchSize)
        func observe(_ world: World) {
            bytes.withUnsafeMutableBufferPointer { b in features.withUnsafeMutableBufferPointer { GridFeatures.encode(world, bytes: b, into: $0) } }
        }
        func prior() -> [Double] {
            features.withUnsafeBufferPointer { o in
                logProbs.withUnsafeMutableBufferPointer { lp in scratch.withUnsafeMutableBufferPointer { model.prior(observation: o, logProbs: lp, scratch: $0) } }
            }
            return (0..<model.shape.skills).map { exp(Double(logProbs[$0])) }
        }
        var entropySum = 0.0, states = 0
        var trialSeeds = SplitMix64(seed: seed)
        let worlds = (0..<rollouts).map { _ in trialSeeds.next() }
        bySkill = []
        for z in 0..<skills.skills {
            var draws = SplitMix64(seed: seed).derived(0x5C11_2000 &+ UInt64(z))
            var counts = [String: Int]()
            var played = 0, events = 0, startPrior = 0.0
            var move = (0.0, 0.0), distance = 0.0
            for r in 0..<rollouts {
                var world: TrialWorld
                do { world = try TrialWorld(scenario: scenario, seed: worlds[r]) } catch {
                    throw PlaySkillsError("\(scenario.name): cannot draw a trial: \(error)")
                }
                let start = world.world.agentPosition
                for t in 0..<horizon {
                    observe(world.world)
                    let p = prior()
                    if t == 0 { startPrior += p[z] }
                    entropySum -= p.reduce(0) { $0 + ($1 > 0 ? $1 * log($1) : 0) }
                    states += 1
                    let (task, play) = features.withUnsafeBufferPointer { o in
                        logProbs.withUnsafeMutableBufferPointer { lp in
                            scratch.withUnsafeMutableBufferPointer { model.act(observation: o, skill: z, logProbs: lp, scratch: $0, rng: &draws) }
                        }
                    }
                    let action = ActionPair(TaskAction(rawValue: UInt8(task)) ?? .stay, PlayAction(rawValue: UInt8(play)) ?? .none)
                    counts[Self.name(action), default: 0] += 1
                    if action.play != .none { played += 1 }
                    let transition = world.step(action)
                    for _ in transition.events.play { events += 1 }
                    if transition.isLast { break }
                }
                let end = world.world.agentPosition
                move.0 += Double(end.x - start.x)
                move.1 += Double(end.y - start.y)
                distance += Double(abs(end.x - start.x) + abs(end.y - start.y))
            }
            let steps = Double(max(1, counts.values.reduce(0, +)))
            let top = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(3)
            let n = Double(rollouts)
            bySkill.append(Skill(priorAtStart: startPrior / n, topPairs: top.map { Pair(action: $0.key, share: Double($0.value) / steps) },
                                 playShare: Double(played) / steps, meanMove: [move.0 / n, move.1 / n], meanDistance: distance / n,
                                 playEvents: events))
        }
        priorEntropy = entropySum / Double(max(1, states))
    }

    /// "up", or "up+push" when it plays.
    static func name(_ a: ActionPair) -> String {
        a.play == .none ? a.task.name : "\(a.task.name)+\(a.play.name)"
    }
}
