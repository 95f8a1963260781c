import Foundation
import Fun
import GridWorld
@testable import MetaAgents
import MetaRL
import NeuralCore
import TestSupport
import Testing

/// Unsupervised meta-RL: a DIAYN discriminator's skills as tasks the agent is not told, and the meta-test against
/// learning from scratch and random weights.
@Suite struct SkillTasksTests {
    /// A discriminator of `skills` skills for skill-room's 11×11 map, with weights drawn from `seed`.
    static func tasks(skills: Int = 4, seed: UInt64 = 5) throws -> SkillTasks {
        var rng = SplitMix64(seed: seed)
        let features = GridMetaEnvironment.skillFeatures(try shipped("skill-room"), layout: .rowColumn)
        let d = SkillDiscriminator(inputs: features.dimension, activeCount: features.activeCount, skills: skills,
                                   inputLayout: features.layout.rawValue, rng: &rng)
        return SkillTasks(discriminator: d, name: "test.pgck")
    }

    static func plan(seed: UInt64, tasks: SkillTasks) throws -> GridTraining.Plan {
        var configuration = GridRecipe.skills.configuration(seed: seed, threads: 1)
        configuration.rolloutLength = 40
        var plan = GridTraining.Plan(scenarios: [try shipped("skill-tasks")], fun: FunSpec(terms: []), seed: seed, envs: 4, threads: 1,
                                     hidden: 8, recipe: .skills, configuration: configuration)
        plan.tasks = tasks
        return plan
    }

    @Test("the task reward is max(0, log q(z|s) − log p(z)) / ln K: 1/2 at q = 1/2 of 4 skills, 1 when sure, 0 at chance or below")
    func rewardByHand() {
        // (ln 0.5 + ln 4) / ln 4 = ln 2 / ln 4 = 0.5
        #expect(abs(SkillTasks.reward(logProbability: log(0.5), skills: 4) - 0.5) < 1e-6)
        #expect(abs(SkillTasks.reward(logProbability: 0, skills: 4) - 1) < 1e-6)
        #expect(SkillTasks.reward(logProbability: log(0.25), skills: 4) == 0)
        #expect(SkillTasks.reward(logProbability: log(1e-6), skills: 4) == 0)
        // K = 2, q = 0.8: (ln 0.8 + ln 2) / ln 2 = log2(1.6) ≈ 0.678
        #expect(abs(SkillTasks.reward(logProbability: log(0.8), skills: 2) - 0.678072) < 1e-5)
    }

    @Test("skills as tasks: the policy is not told the skill, the task reward is the trial's skill's r_z of the state reached, and fun is 0")
    func taskRewardInTheWorld() throws {
        let tasks = try Self.tasks()
        var env = try GridMetaEnvironment(scenarios: [try shipped("skill-tasks")], funSpec: FunSpec(terms: []), batchSize: 3, tasks: tasks)
        #expect(env.observationSize == GridFeatures.size(viewSize: 7) && env.observationEncoding.skills == nil)
        #expect(env.skillDiscriminator == nil)
        var step = env.makeStep()
        env.reset(seed: 9, into: &step)
        var judge = tasks.discriminator
        var active = ContiguousArray<Int32>(repeating: 0, count: env.features.activeCount)
        var seen = Set<Int>(), positive = 0
        let moves = [TaskAction.up, .left, .up, .right, .down, .down, .left].map { Int32($0.rawValue) }
        let none = [Int32](repeating: 0, count: 3)
        for t in 0..<(6 * 160) {
            let skills = env.skill
            let a = [Int32](repeating: moves[t % moves.count], count: 3)
            a.withUnsafeBufferPointer { a in none.withUnsafeBufferPointer { env.step(task: a, play: $0, into: &step) } }
            for i in 0..<3 {
                judge.classifyPosition(in: env.envs[i].world, features: env.features, active: &active)
                if step.episodeDone[i] { continue }  // the world is already the next episode's
                let expected = SkillTasks.reward(logProbability: judge.logProbability(of: skills[i]), skills: 4)
                #expect(step.taskReward[i] == expected && step.funReward[i] == 0)
                if expected > 0 { positive += 1 }
                seen.insert(skills[i])
            }
        }
        #expect(seen.count == 4 && positive > 0)
        #expect(env.skillTasks?.discriminator == tasks.discriminator)  // frozen
    }

    @Test("meta-training on skills as tasks is deterministic per seed, and its identity names the source's fingerprint")
    func deterministicTraining() throws {
        let tasks = try Self.tasks()
        let a = try GridTraining(try Self.plan(seed: 3, tasks: tasks)), b = try GridTraining(try Self.plan(seed: 3, tasks: tasks))
        for _ in 0..<2 {
            let m = try a.step().metrics
            #expect(try b.step().metrics.meanTaskReturn == m.meanTaskReturn)
        }
        #expect(a.trainer.parameters == b.trainer.parameters)
        let c = try GridTraining(try Self.plan(seed: 4, tasks: tasks))
        _ = try c.step()
        _ = try c.step()
        #expect(c.trainer.parameters != a.trainer.parameters)
        #expect(a.identity.tasksFrom == tasks.source && a.identity.tasksFrom?.name == "test.pgck")
        #expect(a.run.checkpoint.discriminator == nil)
        #expect(try Self.tasks(seed: 6).source.fingerprint != tasks.source.fingerprint)
        // The identity round-trips through a checkpoint; resuming with other tasks is refused in one line.
        let saved = try Checkpoint.decode(a.run.checkpoint.encoded())
        #expect(saved.identity?.tasksFrom == tasks.source)
        #expect(throws: GridTrainingError.self) {
            try GridTraining(resuming: saved, path: "a.pgck", scenarios: [try shipped("skill-tasks")], fun: FunSpec(terms: []), envs: 4,
                             threads: 1, tasks: try Self.tasks(seed: 6))
        }
        _ = try GridTraining(resuming: saved, path: "a.pgck", scenarios: [try shipped("skill-tasks")], fun: FunSpec(terms: []), envs: 4,
                             threads: 1, tasks: tasks)
    }

    @Test("bad sources and rooms are refused in one line: a missing file, a checkpoint without a discriminator, another map size, a room with a task")
    func badInputs() throws {
        let missing = Scratch.path("no-such.pgck")
        #expect { try SkillTasks(path: missing) } throws: { error in
            "\(error)".hasPrefix("--tasks-from: \(missing): cannot read") && !"\(error)".contains("\n")
        }
        let plain = Scratch.path("plain.pgck")
        let training = try GridTraining(GridTraining.Plan(scenarios: [try shipped("open-field")], fun: FunSpec(terms: []), seed: 1, envs: 2,
                                                          threads: 1, hidden: 8))
        try training.run.save(to: plain)
        defer { try? FileManager.default.removeItem(atPath: plain) }
        #expect { try SkillTasks(path: plain) } throws: { error in
            "\(error)" == "--tasks-from: \(plain): holds no skill discriminator; give an agent trained with playgrid train --skills K"
        }
        let tasks = try Self.tasks()
        #expect { try tasks.check(try shipped("open-field")) } throws: { error in
            "\(error)".contains("test.pgck: its skill discriminator has 22 inputs, but its layout row-column-v1 on open-field (8×8) gives 16")
                && !"\(error)".contains("\n")
        }
        var withGoal = try shipped("skill-tasks")
        withGoal.task = .reachGoal
        #expect { try tasks.check(withGoal) } throws: { error in
            "\(error)".contains("skill-tasks has a task of its own (reach-goal); --tasks-from pays the skills' rewards alone")
        }
        #expect(throws: ScenarioProblem.self) {
            try GridMetaEnvironment(scenarios: [try shipped("open-field")], funSpec: FunSpec(terms: []), batchSize: 1, tasks: tasks)
        }
        try tasks.check(try shipped("skill-tasks"))
    }

    @Test("the meta-test is deterministic per seed and scores the three agents on the same held-out tasks")
    func metaTest() throws {
        let tasks = try Self.tasks()
        var checkpoints: [Checkpoint] = []
        for seed: UInt64 in [1, 2] {
            var plan = GridTraining.Plan(scenarios: [try shipped("skill-tasks")], fun: FunSpec(terms: []), seed: seed, envs: 4, threads: 1,
                                         recipe: .skills)
            plan.tasks = tasks
            var configuration = plan.configuration
            configuration.rolloutLength = 40
            plan.configuration = configuration
            let t = try GridTraining(plan)
            _ = try t.step()
            checkpoints.append(t.run.checkpoint)
        }
        var plan = SkillMetaTest.Plan(tasks: tasks, trainingScenario: try shipped("skill-tasks"), heldOut: [try shipped("open-field")],
                                      seeds: [1, 2], steps: 160)
        plan.tasksPerScenario = 2
        let a = try SkillMetaTest.evaluate(plan, metaTrained: checkpoints)
        let b = try SkillMetaTest.evaluate(plan, metaTrained: checkpoints)
        #expect(a.curves == b.curves && a.differences == b.differences)
        #expect(a.curves.count == 3 && a.curves.allSatisfy { $0.bySeed.count == 2 && $0.bySeed.allSatisfy { $0.count == 4 } })
        #expect(a.differences.map(\.baseline) == [.fromScratch, .randomInit])
        #expect(a.svg.contains("scratch · field") && a.svg.contains("<polyline"))

        // From scratch: exactly the trial's 4 episodes are scored, alike on every call.
        let policy = RecurrentPolicy(checkpoints[0].policy)
        let initial = SkillMetaTest.initialParameters(policy: policy, seed: 1)
        let returns = try SkillMetaTest.fromScratch(scenario: try shipped("open-field"), policy: policy, parameters: initial, trialSeed: 7,
                                                    actSeed: 8, rolloutLength: 25)
        #expect(returns.count == 4 && returns.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(returns == (try SkillMetaTest.fromScratch(scenario: try shipped("open-field"), policy: policy, parameters: initial,
                                                          trialSeed: 7, actSeed: 8, rolloutLength: 25)))
    }
}
