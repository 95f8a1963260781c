import Agents
import Checksum
import Engine
import Foundation
import Fun
import GridWorld
@testable import MetaAgents
import MetaRL
import NeuralCore
import Records
import ScenarioFiles
import Tapes
import TestSupport
import Testing

/// Skills from tapes of play (SiMPL, small): reading tapes, learning and saving the skill model, and the high level
/// that runs a skill for H steps per decision.
@Suite struct PlaySkillsTests {
    /// A tape of the scripted player in `scenario` for `episodes` episodes.
    static func tape(_ scenario: Scenario, episodes: Int = 6, seed: UInt64 = 3) throws -> String {
        let path = Scratch.path("\(scenario.name).tape")
        let writer = try TapeWriter(path: path, scenario: scenario, origin: scenario.name, seed: seed, agent: "player", fun: .standard)
        _ = try Runner.run(scenario: scenario, agent: PlayerAgent(), fun: .standard, seed: seed, length: .episodes(episodes)) { try writer.append($0) }
        try writer.finish()
        return path
    }

    static func plan(seed: UInt64 = 1, steps: Int = 15) -> PlaySkillLearning.Plan {
        var plan = PlaySkillLearning.Plan()
        plan.horizon = 4
        plan.skills = 3
        plan.hidden = 8
        plan.steps = steps
        plan.batch = 8
        plan.seed = seed
        plan.heldOutShare = 0.3
        return plan
    }

    static func learned(seed: UInt64 = 1) throws -> (PlaySkills, [String]) {
        let paths = [try tape(try shipped("playroom")), try tape(try shipped("open-field"), episodes: 8)]
        let data = try PlayTapes(paths: paths)
        return (try PlaySkillLearning(data: data, plan: plan(seed: seed)).learn(), paths)
    }

    @Test("reading tapes keeps every step with the world it was taken in: the first observation is the scenario's start, and windows stay inside episodes")
    func readingTapes() throws {
        let playroom = try shipped("playroom")
        let path = try Self.tape(playroom, episodes: 3)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let data = try PlayTapes(paths: [path])
        let reader = try TapeReader(path: path)
        #expect(data.steps == reader.stepCount && data.episodeStarts.count == 3)
        var start = [Float](repeating: 0, count: data.observationSize)
        var bytes = [UInt8](repeating: 0, count: ObservationLayout.size(viewSize: playroom.viewSize))
        let world = try TrialWorld(scenario: playroom, seed: 3)
        bytes.withUnsafeMutableBufferPointer { b in start.withUnsafeMutableBufferPointer { GridFeatures.encode(world.world, bytes: b, into: $0) } }
        #expect(Array(data.observations[0..<data.observationSize]) == start)
        let steps = try reader.allSteps()
        #expect(data.tasks.map { UInt8($0) } == steps.map { $0.action.task.rawValue })
        let ends = Set(data.episodeStarts.dropFirst().map { $0 - 1 })
        for w in data.windows(horizon: 4) { #expect(!(w.start..<(w.start + 3)).contains { ends.contains($0) }) }
    }

    @Test("bad tapes are refused in one line naming the file: missing, not a tape, another view size")
    func badTapes() throws {
        #expect(throws: PlaySkillsError.self) { try PlayTapes(paths: ["/nonexistent/x.tape"]) }
        do { _ = try PlayTapes(paths: ["/nonexistent/x.tape"]) } catch { #expect("\(error)".contains("/nonexistent/x.tape") && !"\(error)".contains("\n")) }
        let junk = Scratch.path("junk.tape")
        try Data("hello".utf8).write(to: URL(fileURLWithPath: junk))
        defer { try? FileManager.default.removeItem(atPath: junk) }
        #expect(throws: PlaySkillsError.self) { try PlayTapes(paths: [junk]) }
        var text = try String(contentsOfFile: scenarioFolder.appendingPathComponent("open-field.yaml").path, encoding: .utf8)
        text = text.replacingOccurrences(of: "name: open-field", with: "name: open-field-5\nview: 5")
        let narrow = try ScenarioFile.parse(text: text, file: "open-field-5.yaml")
        let a = try Self.tape(try shipped("open-field")), b = try Self.tape(narrow)
        defer { for p in [a, b] { try? FileManager.default.removeItem(atPath: p) } }
        do {
            _ = try PlayTapes(paths: [a, b])
            Issue.record("tapes of two view sizes were accepted")
        } catch {
            #expect("\(error)".contains(b) && "\(error)".contains("layout"))
        }
    }

    @Test("a tape given twice, or a copy of one, is refused: its episodes would be both trained on and held out")
    func tapeTwice() throws {
        let path = try Self.tape(try shipped("playroom"), episodes: 3)
        let copy = Scratch.path("playroom-copy.tape")
        try? FileManager.default.removeItem(atPath: copy)
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        defer { for p in [path, copy] { try? FileManager.default.removeItem(atPath: p) } }
        #expect(throws: PlaySkillsError("\(copy): holds the same recording as \(path); give each tape once, or held-out episodes would also be trained on")) {
            try PlayTapes(paths: [path, copy])
        }
        #expect(throws: PlaySkillsError.self) { try PlayTapes(paths: [path, path]) }
    }

    @Test("learning is deterministic per seed, and another seed learns other weights")
    func determinism() throws {
        let (a, paths) = try Self.learned(seed: 1)
        defer { for p in paths { try? FileManager.default.removeItem(atPath: p) } }
        let data = try PlayTapes(paths: paths)
        let b = try PlaySkillLearning(data: data, plan: Self.plan(seed: 1)).learn()
        let c = try PlaySkillLearning(data: data, plan: Self.plan(seed: 2)).learn()
        #expect(a == b)
        #expect(a.model.parameters != c.model.parameters)
        #expect(a.heldOutSegments > 0 && a.trainingSegments > 0 && a.heldOut.reconstruction > 0)
    }

    @Test("a few hundred steps fit the data better than the start: held-out reconstruction falls")
    func learningHelps() throws {
        let paths = [try Self.tape(try shipped("playroom"), episodes: 10)]
        defer { for p in paths { try? FileManager.default.removeItem(atPath: p) } }
        let learning = try PlaySkillLearning(data: try PlayTapes(paths: paths), plan: Self.plan(steps: 300))
        let before = learning.score()
        let after = learning.learn().heldOut
        #expect(after.reconstruction < before.reconstruction - 1)
        #expect(after.accuracy > before.accuracy)
    }

    @Test("a skill file round-trips bit for bit; a damaged, truncated or foreign file is refused in one line")
    func fileRoundTrip() throws {
        let (skills, paths) = try Self.learned()
        defer { for p in paths { try? FileManager.default.removeItem(atPath: p) } }
        let path = Scratch.path("s.pgsk")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try skills.write(to: path)
        let back = try PlaySkills.read(from: path)
        #expect(back == skills && back.encoded() == skills.encoded())
        var bytes = skills.encoded()
        bytes[bytes.count / 2] ^= 0x40
        #expect(throws: PlaySkillsError.self) { try PlaySkills.decode(bytes, path: "x") }
        #expect(throws: PlaySkillsError.self) { try PlaySkills.decode(Array(skills.encoded().dropLast(9)), path: "x") }
        #expect(throws: PlaySkillsError.self) { try PlaySkills.decode(Array("PGCK0000".utf8), path: "x") }
        do { _ = try PlaySkills.decode(bytes, path: "x.pgsk") } catch { #expect("\(error)".hasPrefix("x.pgsk: ") && "\(error)".contains("damaged")) }
        #expect(throws: PlaySkillsError.self) { try PlaySkills.read(from: "/nonexistent.pgsk") }
        // A whole, sealed file whose header holds the wrong kind of value says so in words, not Swift types.
        let good = skills.encoded(), length = Int(LittleEndian.uint32(good, at: 8))
        let header = String(decoding: good[12..<(12 + length)], as: UTF8.self)
            .replacingOccurrences(of: #""parameterCount":"#, with: #""parameterCount":"many","unused":"#)
        var resealed = Array(good[0..<8])
        LittleEndian.append(UInt32(header.utf8.count), to: &resealed)
        resealed += Array(header.utf8) + good[(12 + length)..<(good.count - 4)]
        LittleEndian.append(CRC32.checksum(resealed), to: &resealed)
        do {
            _ = try PlaySkills.decode(resealed, path: "x.pgsk")
            Issue.record("a header with text for a number was read")
        } catch {
            #expect(error.description == "x.pgsk: skill file header is unreadable: expected a whole number at parameterCount")
        }
    }

    @Test("the high level runs a skill for exactly H gridworld steps per decision, fewer only where the episode ends")
    func horizonPerDecision() throws {
        let (skills, paths) = try Self.learned()
        defer { for p in paths { try? FileManager.default.removeItem(atPath: p) } }
        var env = try SkillLevelEnvironment(scenarios: [try shipped("open-field")], funSpec: FunSpec(terms: []), batchSize: 3,
                                            skills: skills, priorWeight: 0.1)
        var out = env.makeStep()
        env.reset(seed: 7, into: &out)
        var total = 0, shortened = 0
        for k in 0..<60 {
            let chosen: [Int32] = [Int32(k % 3), Int32((k + 1) % 3), 2], none: [Int32] = [0, 0, 0]
            chosen.withUnsafeBufferPointer { c in none.withUnsafeBufferPointer { env.step(task: c, play: $0, into: &out) } }
            for i in 0..<3 {
                #expect(env.lastDecisionSteps[i] == skills.horizon || (out.episodeDone[i] && env.lastDecisionSteps[i] >= 1 && env.lastDecisionSteps[i] < skills.horizon))
                if env.lastDecisionSteps[i] < skills.horizon { shortened += 1 }
                total += env.lastDecisionSteps[i]
            }
        }
        #expect(env.lowLevelSteps == total && shortened < 60 * 3 / 2)
        // Split and joined, the batch steps as one.
        var whole = env, parts = env.split(sizes: [1, 2])
        var outWhole = whole.makeStep(), outParts = parts.map { $0.makeStep() }
        let chosen: [Int32] = [0, 1, 2], none: [Int32] = [0, 0, 0]
        chosen.withUnsafeBufferPointer { c in none.withUnsafeBufferPointer { whole.step(task: c, play: $0, into: &outWhole) } }
        for (p, range) in [(0, 0..<1), (1, 1..<3)] {
            let c = Array(chosen[range]), n = Array(none[range])
            c.withUnsafeBufferPointer { c in n.withUnsafeBufferPointer { parts[p].step(task: c, play: $0, into: &outParts[p]) } }
        }
        #expect(Array(outWhole.observations) == Array(outParts[0].observations) + Array(outParts[1].observations))
        #expect(Array(outWhole.funReward) == Array(outParts[0].funReward) + Array(outParts[1].funReward))
        #expect(SkillLevelEnvironment(joining: parts).lowLevelSteps == whole.lowLevelSteps)
    }

    @Test("training the high level is deterministic per seed; its checkpoint keeps the skill model, and the agent it loads picks a skill every H steps")
    func highLevelTraining() throws {
        let (skills, paths) = try Self.learned()
        defer { for p in paths { try? FileManager.default.removeItem(atPath: p) } }
        func trained() throws -> SkillLevelTraining {
            var plan = SkillLevelTraining.Plan(scenarios: [try shipped("open-field")], fun: FunSpec(terms: []), skills: skills,
                                               skillsName: "s.pgsk", seed: 5)
            plan.envs = 4
            plan.hidden = 8
            plan.configuration.rolloutLength = 6
            let t = try SkillLevelTraining(plan)
            try t.train(steps: 500)
            return t
        }
        let a = try trained(), b = try trained()
        #expect(a.trainer.parameters == b.trainer.parameters)
        #expect(a.lowLevelSteps >= 500)
        let checkpoint = try Checkpoint.decode(a.run.checkpoint.encoded())
        #expect(checkpoint.skillModel == skills.model && checkpoint.identity?.skillsFrom?.name == "s.pgsk")
        let scenario = try shipped("open-field")
        var agent = try SkillLevelAgent(checkpoint: checkpoint, name: "high", scenario: scenario)
        var world = try TrialWorld(scenario: scenario, seed: 9)
        var rng = SplitMix64(seed: 1)
        agent.beginTrial(world.world)
        var picked: [Int] = [], steps = 0
        while steps < 40 {
            if agent.stepsLeft == 0 { picked.append(steps) }
            let d = agent.decide(world.world, rng: &rng)
            let t = world.step(d.action)
            agent.observe(t, reward: StepReward(task: t.taskReward), world: world.world)
            steps += 1
            if t.isLast { break }
        }
        #expect(picked == Array(stride(from: 0, to: steps, by: skills.horizon)))
        #expect(throws: AgentLoadError.self) { try SkillLevelAgent(checkpoint: Checkpoint.decode(Checkpoint(trainer: GridTraining(GridTraining.Plan(scenarios: [scenario], fun: FunSpec(terms: []), seed: 1, envs: 2, threads: 1, hidden: 4)).trainer, identity: nil).encoded()), name: "flat", scenario: scenario) }
    }
}
