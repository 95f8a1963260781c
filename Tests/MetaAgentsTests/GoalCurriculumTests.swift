import Foundation
import Fun
import GridWorld
@testable import MetaAgents
import MetaRL
import NeuralCore
import TestSupport
import Testing

/// Goal-conditioned agents and the GOID curriculum (Held et al. 2017): the goal in the input, the labels, the
/// generator, the environment's goal trials, determinism, and the coverage measure.
@Suite struct GoalCurriculumTests {
    static func plan(_ goals: GoalSampling, seed: UInt64 = 5) throws -> GridTraining.Plan {
        var configuration = GridRecipe.gridworld.configuration(seed: seed, threads: 1)
        configuration.rolloutLength = 64
        var plan = GridTraining.Plan(scenarios: [try shipped("four-rooms")], fun: FunSpec(terms: []), seed: seed, envs: 8, threads: 1,
                                     hidden: 8, goals: goals, configuration: configuration)
        plan.coverageEvery = 512
        return plan
    }

    @Test("GOID labels a hand-built success table: unknown below 4 episodes, too hard below 0.1, intermediate in [0.1, 0.9], too easy above")
    func labels() {
        let table: [(successes: Float, episodes: Float, label: GoalLabel)] = [
            (0, 0, .unknown), (3, 3.9, .unknown), (0, 4, .tooHard), (0.39, 4, .tooHard), (0.4, 4, .intermediate),
            (1, 4, .intermediate), (2, 4, .intermediate), (3.6, 4, .intermediate), (3.7, 4, .tooEasy), (4, 4, .tooEasy),
            (1, 10, .intermediate), (0.9, 10, .tooHard), (9, 10, .intermediate), (9.5, 10, .tooEasy),
        ]
        for row in table {
            #expect(GoalCurriculum.label(successes: row.successes, episodes: row.episodes) == row.label, "\(row)")
        }
    }

    @Test("recent success labels goals: outcomes decay, GOID goals join the replay once, and the generator moves to them")
    func curriculumRecords() throws {
        let space = try GoalSpace(scenario: try shipped("four-rooms"))
        #expect(space.count == 255 && !space.cells.contains(space.start))
        #expect(!space.cells.contains { $0.x == 9 || $0.y == 9 })  // the inner walls' lines, whose gaps move
        var curriculum = GoalCurriculum(sampling: .goid, space: space)
        let near = Set(space.near(start: GoalCurriculum.startSteps))
        #expect(near.count == 9 && near.allSatisfy { abs(space.cells[$0].x - 1) + abs(space.cells[$0].y - 1) <= 3 })
        // Before any outcome the generator proposes goals near the start.
        #expect(near.reduce(Float(0)) { $0 + curriculum.generator.probability($1) } > 0.9)
        let far = 200, easy = 0, hard = 100
        curriculum.record([GoalOutcome(goal: Int32(far), successes: 2, episodes: 4, step: 1, row: 0),
                           GoalOutcome(goal: Int32(easy), successes: 4, episodes: 4, step: 0, row: 3),
                           GoalOutcome(goal: Int32(hard), successes: 0, episodes: 4, step: 0, row: 1)])
        #expect(curriculum.label(far) == .intermediate && curriculum.label(easy) == .tooEasy && curriculum.label(hard) == .tooHard)
        #expect(curriculum.label(50) == .unknown && curriculum.intermediateGoals == [far] && curriculum.replay == [Int32(far)])
        // A trial counts as spent on an intermediate goal by its goal's label when it ends, before it is counted.
        #expect(curriculum.trials == 3 && curriculum.trialsOnIntermediate == 0)
        let before = curriculum.generator.probability(far)
        for _ in 0..<5 { curriculum.record([GoalOutcome(goal: Int32(far), successes: 2, episodes: 4)]) }
        #expect(curriculum.replay == [Int32(far)] && curriculum.generator.probability(far) > before)
        #expect(curriculum.trials == 8 && curriculum.trialsOnIntermediate == 5)
        // Decay: eight failures in a row outweigh the six older half-successes (four leave it at 0.17).
        for _ in 0..<8 { curriculum.record([GoalOutcome(goal: Int32(far), successes: 0, episodes: 4)]) }
        #expect(curriculum.label(far) == .tooHard && curriculum.replay == [Int32(far)])
        // Seven of the failures met it still intermediate (0.10 before the eighth), the eighth too hard.
        #expect(curriculum.trials == 16 && curriculum.trialsOnIntermediate == 12)
        // Proposals: replayed or from the generator (which now favours cells around `far`), always goal cells.
        var rng = SplitMix64(seed: 1)
        let proposals = (0..<600).map { _ in curriculum.propose(rng: &rng) }
        #expect(proposals.allSatisfy { (0..<space.count).contains($0) })
        let share = Double(proposals.filter { $0 == far }.count) / 600
        #expect(share > 1.0 / 3 - 0.08)
        let uniform = GoalCurriculum(sampling: .uniform, space: space)
        let spread = Set((0..<600).map { _ in uniform.propose(rng: &rng) })
        #expect(spread.count > 200)
    }

    @Test("the generator's cross-entropy to a toy target falls with each fit, and its samples follow the target")
    func generatorLearns() {
        var generator = GoalGenerator(goals: 20)
        let target = [3, 3, 4, 17]
        var losses = [generator.loss(target: target)]
        for _ in 0..<8 { losses.append(generator.fit(target: target, steps: 5)) }
        #expect(abs(losses[0] - log(20)) < 1e-4)
        #expect(zip(losses, losses.dropFirst()).allSatisfy { $1 < $0 })
        #expect(losses.last! < 1.3)  // the target's own entropy is 1.04
        var rng = SplitMix64(seed: 2)
        let draws = (0..<2000).map { _ in generator.sample(rng: &rng) }
        let three = Double(draws.filter { $0 == 3 }.count) / 2000
        #expect(three > 0.35 && three < 0.6)
        #expect(draws.filter { ![3, 4, 17].contains($0) }.count < 2000 / 5)
    }

    @Test("a goal trial starts at the canvas's start with the goal at the proposed cell, which the agent reads after its features")
    func goalInTheInput() throws {
        let rooms = try shipped("four-rooms")
        var env = try GridMetaEnvironment(scenarios: [rooms], funSpec: FunSpec(terms: []), batchSize: 3, goals: .uniform, seed: 1)
        #expect(env.observationSize == GridFeatures.size(viewSize: 7) + GridFeatures.goalSize)
        #expect(env.observationEncoding == GridFeatures.layout(viewSize: 7, goals: true))
        #expect(env.observationEncoding.description == "grid-features v2 (7×7 window, goal cell, 408 inputs)")
        var step = env.makeStep()
        env.reset(seed: 3, into: &step)
        let n = GridFeatures.size(viewSize: 7), size = env.observationSize
        for i in 0..<3 {
            let world = env.envs[i].world
            let goal = env.curriculum!.space.cells[Int(env.goalOf[i])]
            #expect(world.agentPosition == rooms.map.agentStart)
            #expect(world[goal.x, goal.y].thing == .goal)
            let g = Array(step.observations[(i * size + n)..<(i * size + n + 5)])
            #expect(g == [Float(goal.x) / 18, Float(goal.y) / 18, Float(goal.x - 1) / 18, Float(goal.y - 1) / 18, 1])
        }
        // The features before the goal are what an agent without goals reads.
        var bytes = [UInt8](repeating: 0, count: ObservationLayout.size(viewSize: 7))
        var plain = [Float](repeating: 0, count: n)
        bytes.withUnsafeMutableBufferPointer { b in plain.withUnsafeMutableBufferPointer { GridFeatures.encode(env.envs[0].world, bytes: b, into: $0) } }
        #expect(Array(step.observations[0..<n]) == plain)
        #expect(throws: ScenarioProblem.self) {
            try GridMetaEnvironment(scenarios: [try shipped("buried-key")], funSpec: FunSpec(terms: []), batchSize: 2, goals: .goid)
        }
        #expect(throws: ScenarioProblem.self) {
            try GridMetaEnvironment(scenarios: [rooms, rooms], funSpec: FunSpec(terms: []), batchSize: 2, goals: .goid)
        }
    }

    @Test("the curriculum learns between segments alike whether the batch steps whole or split in parts")
    func curriculumIgnoresTheSplit() throws {
        var batch = SplitBatch(try GridMetaEnvironment(scenarios: [try shipped("four-rooms")], funSpec: FunSpec(terms: []), batchSize: 5,
                                                       goals: .goid, seed: 2))
        var trials = 0
        for _ in 0..<3 {
            batch.step(150)
            var alone = [batch.whole]
            GridMetaEnvironment.endSegment(&alone)
            batch.whole = alone[0]
            GridMetaEnvironment.endSegment(&batch.parts)
            #expect(batch.parts.allSatisfy { $0.curriculum == batch.whole.curriculum })
            trials = batch.whole.curriculum!.trials
        }
        #expect(trials >= 5)
    }

    @Test("goal training is deterministic per seed, records its goals in the identity, and measures coverage as it goes")
    func determinism() throws {
        let a = try GridTraining(try Self.plan(.goid)), b = try GridTraining(try Self.plan(.goid))
        #expect(a.identity.goals == "goid" && a.identity.observation.goals == "cell")
        var coverage: [Double] = []
        for _ in 0..<3 {
            let u = try a.step(), v = try b.step()
            #expect(u.metrics.meanTaskReturn.bitPattern == v.metrics.meanTaskReturn.bitPattern && u.coverage == v.coverage)
            if let c = u.coverage { coverage.append(c) }
        }
        #expect(a.trainer.parameters == b.trainer.parameters)
        #expect(a.trainer.environment.curriculum == b.trainer.environment.curriculum)
        #expect(coverage.count == 3 && coverage.allSatisfy { (0...1).contains($0) })
        let other = try GridTraining(try Self.plan(.goid, seed: 6))
        _ = try other.step()
        #expect(other.trainer.parameters != a.trainer.parameters)
        let uniform = try GridTraining(try Self.plan(.uniform))
        #expect(uniform.identity.goals == "uniform")
    }

    @Test("a checkpoint keeps the curriculum: resuming goes on from its labels, replay and generator, with fresh draws; a state that does not fit is one line")
    func resumeKeepsTheCurriculum() throws {
        let a = try GridTraining(try Self.plan(.goid))
        for _ in 0..<4 { _ = try a.step() }
        let learned = try #require(a.trainer.environment.curriculum)
        #expect(learned.trials > 0 && learned.episodes.contains { $0 > 0 })
        let path = Scratch.path("goals.pgck")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try a.run.save(to: path)
        let saved = try Checkpoint.read(from: path)
        #expect(saved == a.run.checkpoint && saved.goalCurriculum == learned.state)
        let resumed = try GridTraining(resuming: saved, path: path, scenarios: [try shipped("four-rooms")], fun: FunSpec(terms: []),
                                       envs: 8, threads: 1)
        let restored = try #require(resumed.trainer.environment.curriculum)
        #expect(restored == learned)
        for g in 0..<learned.space.count { #expect(restored.generator.probability(g) == learned.generator.probability(g)) }
        // Later draws continue from the trial count rather than replaying the run's first goals.
        let fresh = try GridTraining(try Self.plan(.goid))
        #expect(resumed.trainer.environment.goalOf != fresh.trainer.environment.goalOf)
        for _ in 0..<4 { _ = try resumed.step() }
        #expect(resumed.trainer.environment.curriculum!.trials > learned.trials)

        var wrong = learned.state
        wrong.successes.removeLast()
        #expect(throws: ScenarioProblem.self) { try GoalCurriculum(sampling: .goid, space: learned.space, restoring: wrong) }
        // Agents without goals save no curriculum, so their checkpoints are as before.
        var plain = try Self.plan(.goid)
        plain.goals = nil
        #expect(try GridTraining(plain).run.checkpoint.goalCurriculum == nil)
    }

    @Test("a goal agent runs on reach-goal scenarios, told the scenario's goal; elsewhere it is refused with one line, and agents without goals load as before")
    func agentGoals() throws {
        let training = try GridTraining(try Self.plan(.goid))
        _ = try training.step()
        let checkpoint = training.run.checkpoint
        let rooms = try shipped("four-rooms")
        var agent = try RecurrentAgent(checkpoint: checkpoint, name: "tiny", scenario: rooms)
        #expect(agent.goals)
        let world = World(scenario: rooms, level: try rooms.sample(seed: 1))
        var rng = SplitMix64(seed: 1)
        agent.beginTrial(world)
        #expect(agent.decide(world, rng: &rng).value?.isFinite == true)
        let error = #expect(throws: AgentLoadError.self) { try RecurrentAgent(checkpoint: checkpoint, name: "tiny", scenario: try shipped("buried-key")) }
        #expect(error?.message == "tiny: is goal-conditioned (told a goal cell), but buried-key's task is open-door, which has no goal cell to tell it; run it on a reach-goal scenario")
        // A checkpoint written before goals names no goals: it reads its observation exactly as it did.
        let old = ObservationEncoding(name: "grid-features", version: 2, viewSize: 7, size: 403)
        let data = try JSONEncoder().encode(old)
        #expect(String(decoding: data, as: UTF8.self).contains("goals") == false)
        #expect(try JSONDecoder().decode(ObservationEncoding.self, from: data) == GridFeatures.layout(viewSize: 7))
    }

    @Test("coverage: every goal on every held-out layout; an untrained agent covers only goals by the start, the same each time")
    func coverage() throws {
        let rooms = try shipped("four-rooms")
        let space = try GoalSpace(scenario: rooms)
        let measure = try GoalCoverage(scenario: rooms, space: space, layouts: 2, seed: 424242)
        #expect(measure.worlds.count == 2 * 255)
        let training = try GridTraining(try Self.plan(.uniform))
        let (coverage, success) = measure.measure(policy: training.trainer.policy, parameters: training.trainer.parameters)
        #expect(success.count == 255 && success.allSatisfy { [0, 0.5, 1].contains($0) })
        #expect(coverage == Double(success.filter { $0 >= 0.5 }.count) / 255)
        #expect(coverage < 0.3)
        #expect(measure.measure(policy: training.trainer.policy, parameters: training.trainer.parameters).success == success)
    }

    /// The header of coverage files written before goid_trial_share (which every reader still takes).
    static let coverageHeader = LearningCurve.coverageHeaderFirst.joined(separator: ",")

    /// Coverage runs read from the rows of coverage files (the header added).
    static func coverageRuns(_ rows: [String]) throws -> [CoverageComparison.Run] {
        try rows.enumerated().map { try CoverageComparison.run(csv: "\(coverageHeader)\n\($1)", name: "run\($0).csv") }
    }

    @Test("coverage files: curricula averaged with their standard error, steps to reach a level; a bad file is one line")
    func comparison() throws {
        let header = Self.coverageHeader
        let c = CoverageComparison(runs: try Self.coverageRuns([
            "0,0.1,0,goid\n100,0.5,3,goid\n200,0.7,4,goid\n",
            "0,0.1,0,goid\n100,0.3,3,goid\n200,0.9,4,goid\n",
            "0,0.1,0,uniform\n100,0.2,3,uniform\n",
        ]))
        #expect(c.curves.map(\.goals) == ["goid", "uniform"] && c.curves.map(\.runs) == [2, 1])
        #expect(c.curves[0].mean.map { ($0 * 1000).rounded() / 1000 } == [0.1, 0.4, 0.8])
        #expect(abs(c.curves[0].standardError[1] - 0.1) < 1e-9 && c.curves[1].standardError == [0, 0])
        #expect(c.curves[0].stepsToReach(0.4) == 100 && c.curves[0].stepsToReach(0.9) == nil)
        #expect(c.svg(title: "t").contains("goid (2 runs)"))
        let bad = #expect(throws: CoverageFileError.self) { try CoverageComparison.run(csv: "update,env_steps\n1,2\n", name: "x.csv") }
        #expect(bad?.message == "x.csv: is not a coverage file (its first line should be env_steps,coverage,goid_goals,goals,goid_trial_share)")
        let torn = #expect(throws: CoverageFileError.self) { try CoverageComparison.run(csv: "\(header)\n0,zero,0,goid\n", name: "y.csv") }
        #expect(torn?.message == "y.csv:2:3: expected coverage (a share from 0 to 1), found 'zero'")
        let short = #expect(throws: CoverageFileError.self) { try CoverageComparison.run(csv: "\(header)\n0,0.1,goid\n", name: "z.csv") }
        #expect(short?.message == "z.csv:2: expected env_steps,coverage,goid_goals,goals")
    }

    @Test("coverage files with the share of trials on intermediate goals: read, averaged over the runs that have it, and refused at its column when not a share")
    func trialsOnIntermediate() throws {
        let header = LearningCurve.coverageHeader.joined(separator: ",")
        let runs = try ["0,0.1,0,goid,\n100,0.5,3,goid,0.6\n200,0.7,4,goid,0.8\n",
                        "0,0.1,0,goid,\n100,0.3,3,goid,0.4\n200,0.9,4,goid,0.5\n"].map {
            try CoverageComparison.run(csv: "\(header)\n\($0)", name: "r.csv")
        }
        #expect(runs[0].trialsOnIntermediate == [nil, 0.6, 0.8])
        let legacy = try Self.coverageRuns(["0,0.1,0,goid\n100,0.2,3,goid\n200,0.6,4,goid\n"])
        #expect(legacy[0].trialsOnIntermediate == [nil, nil, nil])
        let curve = CoverageComparison(runs: runs + legacy).curves[0]
        #expect(curve.runs == 3 && curve.meanTrialsOnIntermediate.map { $0.map { ($0 * 1000).rounded() / 1000 } } == [nil, 0.5, 0.65])
        for (row, message) in [("100,0.5,3,goid,1.5", "x.csv:2:16: expected goid_trial_share (a share from 0 to 1, or nothing), found '1.5'"),
                               ("100,0.5,3,goid,nan", "x.csv:2:16: expected goid_trial_share (a share from 0 to 1, or nothing), found 'nan'"),
                               ("100,0.5,3,goid", "x.csv:2: expected env_steps,coverage,goid_goals,goals,goid_trial_share")] {
            let error = #expect(throws: CoverageFileError.self) { try CoverageComparison.run(csv: "\(header)\n\(row)\n", name: "x.csv") }
            #expect(error?.message == message)
        }
    }

    @Test("two curricula: the ratio of their runs' mean steps to a coverage, with a bootstrap interval; none where a run never got there")
    func stepsRatio() throws {
        let runs = try Self.coverageRuns([
            "0,0.1,0,goid\n100,0.5,3,goid\n200,0.7,4,goid\n300,0.9,4,goid\n",
            "0,0.1,0,goid\n100,0.6,3,goid\n200,0.8,4,goid\n300,0.8,4,goid\n",
            "0,0.1,0,uniform\n100,0.2,3,uniform\n200,0.5,3,uniform\n300,0.9,3,uniform\n",
            "0,0.1,0,uniform\n100,0.3,3,uniform\n200,0.3,3,uniform\n300,0.5,3,uniform\n",
        ])
        let c = CoverageComparison(runs: runs)
        // To 0.5: goid 100 and 100 steps, uniform 200 and 300.
        let half = try #require(c.stepsRatio(0.5))
        #expect(half.estimate == 2.5 && half.lower == 2 && half.upper == 3)
        #expect(c.stepsRatio(0.9) == nil, "a goid run never reached 0.9")
        #expect(c.stepsRatio(0.1) == nil, "reached at the first measurement: no steps to compare")
        #expect(CoverageComparison(runs: Array(runs[..<2])).stepsRatio(0.5) == nil, "one curriculum")
    }

    @Test("a coverage file's NaN, infinite or out-of-range values and unnamed curriculum are refused at their line and column (an infinite coverage made goals plot count levels forever)")
    func coverageValues() throws {
        let header = Self.coverageHeader
        for (row, message) in [("0,nan,0,goid", "x.csv:2:3: expected coverage (a share from 0 to 1), found 'nan'"),
                               ("0,inf,0,goid", "x.csv:2:3: expected coverage (a share from 0 to 1), found 'inf'"),
                               ("0,1e30,0,goid", "x.csv:2:3: expected coverage (a share from 0 to 1), found '1e30'"),
                               ("0,-0.5,0,goid", "x.csv:2:3: expected coverage (a share from 0 to 1), found '-0.5'"),
                               ("nan,0.5,0,goid", "x.csv:2:1: expected env_steps (a number of steps, 0 or more), found 'nan'"),
                               ("-1,0.5,0,goid", "x.csv:2:1: expected env_steps (a number of steps, 0 or more), found '-1'"),
                               ("100,0.5,3,", "x.csv:2:11: expected goals (the curriculum, e.g. goid or uniform), found nothing")] {
            let error = #expect(throws: CoverageFileError.self) { try CoverageComparison.run(csv: "\(header)\n\(row)\n", name: "x.csv") }
            #expect(error?.message == message)
        }
        // A blank line is skipped but still counted, so the line named is the editor's.
        let later = #expect(throws: CoverageFileError.self) {
            try CoverageComparison.run(csv: "\(header)\n0,0.1,0,goid\n\n100,2,3,goid\n", name: "x.csv")
        }
        #expect(later?.message == "x.csv:4:5: expected coverage (a share from 0 to 1), found '2'")
        let crlf = try CoverageComparison.run(csv: "\(header)\r\n0,0.1,0,goid\r\n\r\n100,0.5,3,goid\r\n", name: "x.csv")
        #expect(crlf.coverage == [0.1, 0.5] && crlf.goals == "goid")
    }
}
