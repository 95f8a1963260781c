import Agents
import Foundation
import Fun
import GridWorld
import MetaRL
import Plots
import Statistics

/// SiMPL's claim put to PlayGrid: does the high level over skills learned from play (`train --skills-from`) adapt to
/// held-out tasks better than the flat RL² agent, at equal gridworld steps of meta-training?
///
/// Per training seed s, both agents meta-train on the same scenarios for the same gridworld steps: the flat agent with
/// the gridworld recipe (every play action, as the decoder has), the high level with `SkillLevelTraining`. Each then
/// plays the same held-out tasks — trials of each test scenario drawn from `evaluationSeed`, never used in training —
/// adapting in context (memory through the trial, weights fixed), and its score is its task return in each episode of a
/// task. Differences of the summed returns are paired by seed, with a 95% t-interval over seeds. A third agent, the high
/// level with its initial weights (untrained, over the same skills), tells what the skills bring by themselves from what
/// meta-training the high level adds.
public enum SkillComparison {
    public struct Plan: Sendable {
        public var skills: PlaySkills
        public var skillsName: String
        public var training: [Scenario]
        public var heldOut: [Scenario]
        public var seeds: [UInt64]
        /// Gridworld steps of meta-training per agent and seed.
        public var steps: Int
        public var envs = 64
        public var threads = 1
        public var priorWeight = SkillLevelTraining.Plan.defaultPriorWeight
        public var tasksPerScenario = 100
        public var evaluationSeed: UInt64 = 424_242
        public var tool = ""

        public init(skills: PlaySkills, skillsName: String, training: [Scenario], heldOut: [Scenario], seeds: [UInt64], steps: Int) {
            self.skills = skills
            self.skillsName = skillsName
            self.training = training
            self.heldOut = heldOut
            self.seeds = seeds
            self.steps = steps
        }

        /// Refuses, before any agent is trained (minutes each), a plan whose agents could not be scored: skills that
        /// cannot read the training scenarios, or a held-out scenario whose observations differ from theirs (found
        /// when the trained agents were first run on it).
        public func validate() throws {
            _ = try skillLevel(seed: seeds[0])
            let trained = GridFeatures.layout(viewSize: training[0].viewSize)
            for scenario in heldOut where GridFeatures.layout(viewSize: scenario.viewSize) != trained {
                throw ScenarioProblem("held-out \(scenario.name) gives \(GridFeatures.layout(viewSize: scenario.viewSize)), but the agents are trained on \(training[0].name), which gives \(trained); test on scenarios with its view")
            }
        }

        /// The flat agent's run, as `playgrid train TRAINING --fun none --seed S --threads T --steps N` starts it.
        public func flat(seed: UInt64) throws -> GridTraining {
            try GridTraining(GridTraining.Plan(scenarios: training, fun: FunSpec(terms: []), seed: seed, envs: envs, threads: threads,
                                               recipe: .gridworld, steps: steps, tool: tool))
        }

        /// The high level's run, as `playgrid train TRAINING --skills-from SKILLS --fun none --seed S --threads T` starts it.
        public func skillLevel(seed: UInt64) throws -> SkillLevelTraining {
            var plan = SkillLevelTraining.Plan(scenarios: training, fun: FunSpec(terms: []), skills: skills, skillsName: skillsName,
                                               seed: seed, priorWeight: priorWeight)
            plan.envs = envs
            plan.threads = threads
            plan.tool = tool
            return try SkillLevelTraining(plan)
        }
    }

    public enum Kind: String, CaseIterable, Codable, Sendable {
        case skills = "skill-based"
        case flat
        case untrained = "skills-untrained"
    }

    public typealias Curves = AgentComparison<Kind>.Curves
    /// Skill-based minus a baseline (flat, or the untrained high level), summed over a task's episodes, paired by seed.
    public typealias Difference = AgentComparison<Kind>.Difference

    public struct Report: Codable, Sendable {
        public var skills: String
        public var training: [String]
        public var seeds: [UInt64]
        /// The gridworld steps asked for.
        public var steps: Int
        /// The gridworld steps each seed's agents trained for, which pass `steps` by different amounts: the flat agent
        /// trains whole updates of 16,384 steps, the high level whole updates of whole skills. A high level reused
        /// from `--out` counts each decision as H steps, though one cut short by its episode's end took fewer.
        public var flatSteps: [Int]
        public var skillSteps: [Int]
        public var tasksPerScenario: Int
        public var evaluationSeed: UInt64
        public var curves: [Curves]
        public var differences: [Difference]
        enum CodingKeys: String, CodingKey {
            case skills, training, seeds, steps, curves, differences
            case flatSteps = "flat_steps", skillSteps = "skill_steps"
            case tasksPerScenario = "tasks_per_scenario", evaluationSeed = "evaluation_seed"
        }

        /// "flat 16384, skill-based 2240": the gridworld steps each agent trained for (a range when seeds differ).
        public var budgets: String {
            func steps(_ counts: [Int]) -> String {
                let low = counts.min() ?? 0, high = counts.max() ?? 0
                return low == high ? "\(low)" : "\(low)–\(high)"
            }
            return "flat \(steps(flatSteps)), skill-based \(steps(skillSteps))"
        }

        /// Both agents' returns by episode of a held-out task on every test scenario (mean over seeds, 95% band).
        public var svg: String {
            AgentComparison.svg(curves, title: "Held-out tasks after gridworld steps \(budgets): skills from play vs flat RL² vs untrained high level (\(seeds.count) seeds, 95% band)") {
                switch $0 {
                case .skills: "skills"
                case .flat: "flat"
                case .untrained: "untrained"
                }
            }
        }
    }

    /// Scores the three agents of every seed (checkpoints in the order of `plan.seeds`) on the held-out tasks;
    /// `skillSteps` are the gridworld steps each high level trained for.
    public static func evaluate(_ plan: Plan, flat: [Checkpoint], skillLevel: [Checkpoint], skillSteps: [Int], untrained: [Checkpoint]) throws -> Report {
        var curves: [Curves] = [], differences: [Difference] = []
        for scenario in plan.heldOut {
            var bySeed: [Kind: [[Double]]] = [:]
            for (s, seed) in plan.seeds.enumerated() {
                var flatAgent = try RecurrentAgent(checkpoint: flat[s], name: "flat seed \(seed)", scenario: scenario)
                var skillAgent = try SkillLevelAgent(checkpoint: skillLevel[s], name: "skills seed \(seed)", scenario: scenario)
                var untrainedAgent = try SkillLevelAgent(checkpoint: untrained[s], name: "untrained seed \(seed)", scenario: scenario)
                var sums = Dictionary(uniqueKeysWithValues: Kind.allCases.map { ($0, [Double](repeating: 0, count: scenario.episodesPerTrial)) })
                for (trialSeed, actSeed) in AgentComparison<Kind>.tasks(on: scenario, count: plan.tasksPerScenario,
                                                                        evaluationSeed: plan.evaluationSeed, seed: seed) {
                    let a = try SkillMetaTest.inContext(&flatAgent, scenario: scenario, trialSeed: trialSeed, actSeed: actSeed)
                    let b = try SkillMetaTest.inContext(&skillAgent, scenario: scenario, trialSeed: trialSeed, actSeed: actSeed)
                    let c = try SkillMetaTest.inContext(&untrainedAgent, scenario: scenario, trialSeed: trialSeed, actSeed: actSeed)
                    for k in a.indices { sums[.flat]![k] += a[k] }
                    for k in b.indices { sums[.skills]![k] += b[k] }
                    for k in c.indices { sums[.untrained]![k] += c[k] }
                }
                for kind in Kind.allCases { bySeed[kind, default: []].append(sums[kind]!.map { $0 / Double(plan.tasksPerScenario) }) }
            }
            let compared = AgentComparison.compare(scenario: scenario.name, bySeed: bySeed, treatment: Kind.skills, baselines: [.flat, .untrained])
            curves += compared.curves
            differences += compared.differences
        }
        return Report(skills: plan.skillsName, training: plan.training.map(\.name), seeds: plan.seeds, steps: plan.steps,
                      flatSteps: flat.map(\.environmentSteps), skillSteps: skillSteps, tasksPerScenario: plan.tasksPerScenario, evaluationSeed: plan.evaluationSeed, curves: curves, differences: differences)
    }
}
