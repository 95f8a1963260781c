import Agents
import Foundation
import Fun
import GridWorld
@testable import MetaAgents
import MetaRL
import NeuralCore
import TestSupport
import Testing

/// DIAYN for the recurrent agent: the skill in its input, the skill reward, the discriminator trained between
/// segments and kept in the checkpoint.
@Suite struct SkillAgentTests {
    static func plan(seed: UInt64 = 3, threads: Int = 1) throws -> GridTraining.Plan {
        var configuration = GridRecipe.skills.configuration(seed: seed, threads: threads)
        configuration.rolloutLength = 40
        return GridTraining.Plan(scenarios: [try shipped("skill-room")], fun: FunSpec(terms: []), seed: seed, envs: 6, threads: threads,
                                 hidden: 8, recipe: .skills, skills: 4, configuration: configuration)
    }

    @Test("the policy reads its trial's skill as a one-hot after the features; it holds through the trial and is drawn anew for the next")
    func skillInTheInput() throws {
        var env = try GridMetaEnvironment(scenarios: [try shipped("skill-room")], funSpec: FunSpec(terms: []), batchSize: 3, skills: 4, seed: 1)
        #expect(env.observationSize == GridFeatures.size(viewSize: 7) + 4)
        #expect(env.observationEncoding.skills == 4 && env.observationEncoding.description.contains("4 skills"))
        var step = env.makeStep()
        env.reset(seed: 9, into: &step)
        let n = GridFeatures.size(viewSize: 7), size = env.observationSize
        func skills() -> [Int] {
            (0..<3).map { i in
                let hot = (0..<4).filter { step.observations[i * size + n + $0] == 1 }
                #expect(hot.count == 1 && (0..<4).allSatisfy { [0, 1].contains(step.observations[i * size + n + $0]) })
                return hot[0]
            }
        }
        var seen = Set<Int>()
        let stay = [Int32](repeating: Int32(TaskAction.stay.rawValue), count: 3), none = [Int32](repeating: 0, count: 3)
        for _ in 0..<6 {  // six trials of 2 × 40 steps
            let first = skills()
            seen.formUnion(first)
            for t in 0..<80 {
                stay.withUnsafeBufferPointer { a in none.withUnsafeBufferPointer { env.step(task: a, play: $0, into: &step) } }
                if t < 79 { #expect(skills() == first) } else { #expect(step.trialDone.allSatisfy { $0 }) }
            }
        }
        #expect(seen.count == 4)
    }

    @Test("the discriminator learns between segments alike whether the batch steps whole or split in parts")
    func discriminatorIgnoresTheSplit() throws {
        var batch = SplitBatch(try GridMetaEnvironment(scenarios: [try shipped("skill-room")], funSpec: FunSpec(terms: []), batchSize: 5,
                                                       skills: 3, seed: 2))
        for _ in 0..<3 {
            batch.step(50)
            let before = batch.whole.discriminator
            var alone = [batch.whole]
            GridMetaEnvironment.endSegment(&alone)
            batch.whole = alone[0]
            GridMetaEnvironment.endSegment(&batch.parts)
            #expect(batch.whole.discriminator != before)
            #expect(batch.parts.allSatisfy { $0.discriminator == batch.whole.discriminator })
        }
    }

    @Test("training with skills is deterministic per seed, pays the skill reward as fun, and its checkpoint keeps K and the discriminator")
    func trainingAndCheckpoint() throws {
        let a = try GridTraining(try Self.plan()), b = try GridTraining(try Self.plan())
        var funReturns: [Double] = []
        for _ in 0..<3 {
            let m = try a.step().metrics
            #expect(try b.step().metrics.meanFunReturn == m.meanFunReturn)
            funReturns.append(m.meanFunReturn)
        }
        #expect(a.trainer.parameters == b.trainer.parameters)
        #expect(a.run.checkpoint.discriminator == b.run.checkpoint.discriminator)
        #expect(funReturns.allSatisfy { $0.isFinite && $0 != 0 })
        let other = try GridTraining(try Self.plan(seed: 4))
        _ = try other.step()
        #expect(other.run.checkpoint.discriminator != a.run.checkpoint.discriminator)

        let path = Scratch.path("skills.pgck")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try a.run.save(to: path)
        let saved = try Checkpoint.read(from: path)
        #expect(saved == a.run.checkpoint)
        #expect(saved.identity?.observation.skills == 4 && saved.discriminator?.skills == 4)
        let resumed = try GridTraining(resuming: saved, path: path, scenarios: [try shipped("skill-room")], fun: FunSpec(terms: []), envs: 6, threads: 1)
        #expect(resumed.trainer.environment.discriminator == saved.discriminator)
    }

    @Test("the agent runs the skill it is told (or skill k mod K in trial k) and scores itself; a skill it lacks is one line")
    func agentSkills() throws {
        let training = try GridTraining(try Self.plan())
        _ = try training.step()
        let checkpoint = training.run.checkpoint
        let room = try shipped("skill-room")
        var agent = try RecurrentAgent(checkpoint: checkpoint, name: "tiny", scenario: room)
        let world = World(scenario: room, level: try room.sample(seed: 1))
        for k in 0..<6 {
            agent.beginTrial(world)
            #expect(agent.skill == k % 4)
        }
        var two = try RecurrentAgent(checkpoint: checkpoint, name: "tiny", scenario: room, skill: 2)
        #expect(two.name == "tiny (skill 2)")
        var rng = SplitMix64(seed: 1)
        two.beginTrial(world)
        let d = two.decide(world, rng: &rng)
        #expect(two.skill == 2 && d.value?.isFinite == true)
        two.observe(Transition(), reward: StepReward(task: 0), world: world)
        #expect(two.skillReward.isFinite && two.skillReward <= Float(Foundation.log(4.0)) + 1e-5)

        let error = #expect(throws: AgentLoadError.self) { try RecurrentAgent(checkpoint: checkpoint, name: "tiny", scenario: room, skill: 4) }
        #expect(error?.message == "tiny has 4 skills, numbered 0 to 3: --skill 4 is not one of them")
        var plain = checkpoint
        plain.identity?.observation = GridFeatures.layout(viewSize: 7)
        plain.discriminator = nil
        let none = #expect(throws: AgentLoadError.self) { try RecurrentAgent(checkpoint: plain, name: "flat", scenario: room, skill: 0) }
        #expect(none?.message.hasPrefix("flat was not trained with skills, so it has no --skill 0") == true)
    }

    @Test("skills eval: an untrained agent's skills overlap and its discriminator can only guess; the figures are consistent")
    func evaluation() throws {
        let training = try GridTraining(try Self.plan())
        _ = try training.step()
        let room = try shipped("skill-room")
        let report = try SkillEvaluation(checkpoint: training.run.checkpoint, agentName: "tiny", scenario: room, trialsPerSkill: 2, seed: 7)
        #expect(report.states == 4 * 2 * 80)
        #expect(report.visits.map { $0.reduce(0, +) } == [160, 160, 160, 160])
        #expect(report.accuracy < 0.6 && report.meanSkillReward < 0.5 * log(4.0))
        #expect(report.overlap.indices.allSatisfy { abs(report.overlap[$0][$0] - 1) < 1e-9 })
        #expect(report.meanOverlap > 0.2 && report.maxOverlap <= 1 + 1e-9)
        let again = try SkillEvaluation(checkpoint: training.run.checkpoint, agentName: "tiny", scenario: room, trialsPerSkill: 2, seed: 7)
        #expect(again == report)
        #expect(SkillEvaluation.overlap([[1, 1, 0, 0], [0, 0, 2, 2], [1, 0, 1, 0]]) == [[1, 0, 0.5], [0, 1, 0.5], [0.5, 0.5, 1]])
    }
}
