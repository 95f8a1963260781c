import Agents
import Engine
import Foundation
import Fun
import GridWorld
@testable import MetaAgents
import MetaRL
import NeuralCore
import ScenarioFiles
import TestSupport
import Testing

let scenarioFolder = Repository.root.appendingPathComponent("scenarios")

/// A bundled agent's checkpoint (`assets/agents/NAME.pgck`).
func bundledCheckpoint(_ name: String) throws -> Checkpoint {
    try Checkpoint.read(from: scenarioFolder.deletingLastPathComponent().appendingPathComponent("assets/agents/\(name).pgck").path)
}

/// A bundled agent, to act in `scenario`.
func bundledAgent(_ name: String, in scenario: Scenario, noPlay: Bool = false, memory: MemorySpan? = nil) throws -> RecurrentAgent {
    try RecurrentAgent(checkpoint: try bundledCheckpoint(name), name: name, scenario: scenario, noPlay: noPlay, memory: memory)
}

/// The features the agent sees in the first state of a 3×3-view scenario given as text.
func encodedFirstState(_ text: String) throws -> (World, [Float]) {
    let s = try ScenarioFile.parse(text: text, file: "t.yaml")
    let w = World(scenario: s, level: try s.sample(seed: 0))
    var out = [Float](repeating: -1, count: GridFeatures.size(viewSize: 3))
    var bytes = [UInt8](repeating: 0, count: w.observationSize)
    bytes.withUnsafeMutableBufferPointer { b in out.withUnsafeMutableBufferPointer { GridFeatures.encode(w, bytes: b, into: $0) } }
    return (w, out)
}

/// A batch of five worlds stepped whole and, beside it, split in parts of 2 and 3, on the same random actions.
struct SplitBatch {
    var whole: GridMetaEnvironment
    var parts: [GridMetaEnvironment]
    var step: MetaStep
    var steps: [MetaStep]
    var rng = SplitMix64(seed: 4)

    init(_ environment: GridMetaEnvironment) {
        whole = environment
        step = whole.makeStep()
        whole.reset(seed: 4, into: &step)
        parts = whole.split(sizes: [2, 3])
        steps = [step.rows(0..<2), step.rows(2..<5)]
    }

    /// Steps both `count` times, expecting every part to show what the whole shows of its rows.
    mutating func step(_ count: Int) {
        for _ in 0..<count {
            let task = (0..<5).map { _ in Int32(rng.next() % UInt64(TaskAction.count)) }
            let play = (0..<5).map { _ in Int32(rng.next() % 3 == 0 ? rng.next() % UInt64(PlayAction.count) : 0) }
            task.withUnsafeBufferPointer { t in play.withUnsafeBufferPointer { p in
                whole.step(task: t, play: p, into: &step)
                for (i, rows) in [0..<2, 2..<5].enumerated() {
                    parts[i].step(task: UnsafeBufferPointer(rebasing: t[rows]), play: UnsafeBufferPointer(rebasing: p[rows]),
                                  into: &steps[i])
                    #expect(steps[i] == step.rows(rows))
                }
            } }
        }
    }
}

@Suite struct GridMetaEnvironmentTests {
    @Test("features keep kinds apart: walls, sand, goal, rocks, keys, doors each light their own channel")
    func features() throws {
        let (w, out) = try encodedFirstState("name: t\nmap: |\n  #####\n  #:oA#\n  #kDG#\n  #####\ntask: reach-goal\nview: 3\n")
        func cell(_ x: Int, _ y: Int) -> [Float] { Array(out[((y * 3 + x) * 8)..<((y * 3 + x) * 8 + 8)]) }
        #expect(cell(0, 0) == [1, 0, 0, 0, 0, 0, 0, 0], "wall above-left")
        #expect(cell(0, 1) == [0, 0, 0, 1, 0, 0, 0, 0], "the rock left of the agent")
        #expect(cell(1, 2) == [0, 0, 1, 0, 0, 0, 0, 0], "the goal below")
        #expect(cell(0, 2) == [0, 0, 0, 0, 0, 1, 0, 0], "the locked door below-left")
        #expect(out.allSatisfy { $0 >= 0 })
        // Then the agent's map position, normalised (A is at x 3 of 0…4, y 1 of 0…3), and its heading one-hot.
        let tail = Array(out.suffix(6))
        #expect(tail[0] == 0.75 && abs(tail[1] - 1.0 / 3) < 1e-6, "position")
        #expect(tail[2...].reduce(0, +) == 1 && tail[2 + Int(w.state.body.facing.rawValue)] == 1, "heading")
    }

    @Test("a plate reads as half a pad and a bridge as ground a rock filled; the codes older scenarios hold read as before")
    func platesAndBridges() throws {
        let (_, out) = try encodedFirstState("name: t\nmap: |\n  #####\n  #+Ab#\n  #_.h#\n  #####\ntask: none\nview: 3\n")
        func cell(_ x: Int, _ y: Int) -> [Float] { Array(out[((y * 3 + x) * 8)..<((y * 3 + x) * 8 + 8)]) }
        #expect(cell(0, 1) == [0, 0, 0, 0, 0, 0, 0, 0.5], "the plate left of the agent")
        #expect(cell(2, 1) == [0, 0, 0, 0, 0, 0, 0, 1], "the bridge right of it")
        #expect(cell(0, 2) == [0, 0, 0, 0, 0, 0, 0, 1], "a pad")
        #expect(cell(2, 2) == [0, 1, 0, 0, 0, 0, 0, 0], "a hole is soft ground")
        // Every (tile, thing, on) of the codes the scenarios shipped before mechanics could hold keeps its features.
        let filled = Set([Tile.pad, .sunkRock, .bridge]), blocked = Set([Tile.void, .wall, .water])
        for tile in Tile.allCases where tile != .plate {
            let at = Int(tile.rawValue) * 32 * GridFeatures.channels
            let row = GridFeatures.table[at..<(at + GridFeatures.channels)]
            let expected: [Float] = [blocked.contains(tile) ? 1 : 0, tile == .sand || tile == .hole ? 1 : 0, 0, 0, 0, 0, 0,
                                     filled.contains(tile) ? 1 : 0]
            #expect(Array(row) == expected, "\(tile.name)")
        }
    }

    @Test("two scenarios of one name are refused: the learning curve keeps each family's task return by its name")
    func scenarioNamedTwice() throws {
        let s = try shipped("open-field")
        #expect(throws: ScenarioProblem("two scenarios to train on are named open-field; give each once (a family's task return is kept by its name)")) {
            try GridMetaEnvironment(scenarios: [s, try shipped("rock-garden"), s], funSpec: FunSpec(terms: []), batchSize: 3)
        }
    }

    @Test("the batch reports task and fun apart, ends episodes and trials on schedule, and is deterministic")
    func stepping() throws {
        let s = try shipped("shifting-goal")
        func rollout() throws -> [Float] {
            var env = try GridMetaEnvironment(scenarios: [s], funSpec: try FunSpec(parsing: "delight=1"), batchSize: 3)
            var step = MetaStep(batchSize: 3, observationSize: env.observationSize)
            env.reset(seed: 5, into: &step)
            var trace: [Float] = []
            var episodes = 0, trials = 0
            let task = [Int32](repeating: 0, count: 3), play = [Int32](repeating: 0, count: 3)
            for _ in 0..<1000 {
                task.withUnsafeBufferPointer { t in play.withUnsafeBufferPointer { p in env.step(task: t, play: p, into: &step) } }
                episodes += step.episodeDone.filter { $0 }.count
                trials += step.trialDone.filter { $0 }.count
                trace += Array(step.observations.prefix(40)) + Array(step.taskReward)
            }
            // Standing still, every episode is truncated at 100 steps; four episodes make a trial.
            #expect(episodes == 30 && trials == 6)
            return trace
        }
        #expect(try rollout() == rollout())
    }

    @Test("fun reaches the learner apart from the task: sinking a rock pays delight, not task reward")
    func funApart() throws {
        let s = try ScenarioFile.parse(text: "name: t\nmap: |\n  ######\n  #Ao:G#\n  #....#\n  ######\ntask: reach-goal\ndelight: {rock-sank: 2}\n", file: "t.yaml")
        var env = try GridMetaEnvironment(scenarios: [s], funSpec: .standard, batchSize: 1)
        var step = MetaStep(batchSize: 1, observationSize: env.observationSize)
        env.reset(seed: 1, into: &step)
        for (t, p) in [(Int32(TaskAction.right.rawValue), Int32(0)), (0, Int32(PlayAction.push.rawValue))] {
            [t].withUnsafeBufferPointer { tb in [p].withUnsafeBufferPointer { pb in env.step(task: tb, play: pb, into: &step) } }
        }
        #expect(step.funReward[0] == 2 && step.taskReward[0] == 0)
        #expect(env.playSteps == 1 && env.steps == 2)
    }

    @Test("a batch of worlds splits into parts that step as the whole did, and joins with its play counts summed")
    func splitting() throws {
        var batch = SplitBatch(try GridMetaEnvironment(scenarios: [try shipped("rock-garden"), try shipped("key-door")],
                                                       funSpec: try FunSpec(parsing: "delight=1,novelty=0.5"), batchSize: 5))
        batch.step(300)
        let joined = GridMetaEnvironment(joining: batch.parts)
        #expect(joined.playSteps == batch.whole.playSteps && joined.steps == batch.whole.steps && batch.whole.playSteps > 0)
        #expect(joined.batchSize == 5)
    }

    @Test("each environment tells the agent which play actions its world affords")
    func playAfforded() throws {
        var env = try GridMetaEnvironment(scenarios: [try shipped("tinker-lab"), try shipped("buried-key")], funSpec: .standard, batchSize: 4)
        var step = env.makeStep()
        env.reset(seed: 2, into: &step)
        func bits(_ plays: [PlayAction]) -> UInt32 { plays.reduce(1) { $0 | 1 << UInt32($1.rawValue) } }
        #expect(Array(step.playAfforded) == [bits([.push, .kick, .ring]), bits([.dig]), bits([.push, .kick, .ring]), bits([.dig])])
    }

    @Test("scenarios with different views cannot share a batch")
    func viewMismatch() throws {
        let a = try shipped("open-field")
        var b = try shipped("key-door")
        b.viewSize = 5
        #expect(throws: ScenarioProblem.self) { try GridMetaEnvironment(scenarios: [a, b], funSpec: .standard, batchSize: 2) }
    }
}

@Suite struct RecurrentAgentTests {
    @Test("a trained checkpoint acts in a session, showing both heads' probabilities and a value")
    func agentFromCheckpoint() throws {
        let s = try shipped("rock-garden")
        let env = try GridMetaEnvironment(scenarios: [s], funSpec: .standard, batchSize: 4)
        var configuration = TrainerConfiguration()
        configuration.rolloutLength = 16
        let trainer = try Trainer(environment: env, policy: RecurrentPolicy(PolicyConfiguration(for: env, hiddenSize: 16)),
                                  configuration: configuration)
        try trainer.step()
        let path = Scratch.path("agent.pgck")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let identity = TrainingIdentity(environment: env, configuration: configuration, fun: "delight=1", recipe: "test", tool: "tests")
        try Checkpoint(trainer: trainer, identity: identity).write(to: path)
        let agent = try RecurrentAgent(checkpoint: try Checkpoint.read(from: path), name: "tiny", scenario: s)
        var session = try Session(scenario: s, agent: agent, funSpec: .standard, seed: 3)
        for _ in 0..<50 {
            let frame = try session.step()
            let d = try #require(frame.decision)
            let task = try #require(d.taskProbabilities), play = try #require(d.playProbabilities)
            #expect(task.count == 6 && play.count == 7)
            #expect(abs(task.reduce(0, +) - 1) < 1e-4 && abs(play.reduce(0, +) - 1) < 1e-4)
            #expect(d.value?.isFinite == true)
        }
        // The same seed gives the same run.
        var again = try Session(scenario: s, agent: try RecurrentAgent(checkpoint: try Checkpoint.read(from: path), name: "tiny", scenario: s), funSpec: .standard, seed: 3)
        for _ in 0..<50 { try again.step() }
        #expect(again.frame.world.state == session.frame.world.state)
    }

    @Test("a checkpoint trained on the older features (no position or heading) is refused with one line")
    func olderFeatures() throws {
        let policy = RecurrentPolicy(PolicyConfiguration(observationSize: 7 * 7 * GridFeatures.channels + 5,
                                                         taskActionCount: TaskAction.count, playActionCount: PlayAction.count,
                                                         hiddenSize: 8))
        var rng = SplitMix64(seed: 1)
        let checkpoint = Checkpoint(policy: policy.configuration, trainer: TrainerConfiguration(),
                                    parameters: policy.initialParameters(rng: &rng),
                                    optimizer: Adam(parameterCount: policy.parameterCount, learningRate: 1e-3),
                                    updateCount: 0, environmentSteps: 0, identity: nil)
        let error = #expect(throws: AgentLoadError.self) {
            try RecurrentAgent(checkpoint: checkpoint, name: "old", scenario: try shipped("rock-garden"))
        }
        #expect(error?.message.contains("older playgrid") == true && error?.message.contains("\n") == false)
    }

    @Test("an agent is refused on a scenario whose observations it was not trained on, naming both")
    func viewMismatch() throws {
        let s = try shipped("rock-garden")
        let env = try GridMetaEnvironment(scenarios: [s], funSpec: .standard, batchSize: 2)
        var configuration = TrainerConfiguration()
        configuration.rolloutLength = 4
        let trainer = try Trainer(environment: env, policy: RecurrentPolicy(PolicyConfiguration(for: env, hiddenSize: 8)),
                                  configuration: configuration)
        let checkpoint = Checkpoint(trainer: trainer, identity: TrainingIdentity(environment: env, configuration: configuration,
                                                                                 fun: "delight=1", recipe: "test", tool: "tests"))
        var narrow = s
        narrow.name = "narrow-garden"
        narrow.viewSize = 5
        let error = #expect(throws: AgentLoadError.self) { try RecurrentAgent(checkpoint: checkpoint, name: "tiny", scenario: narrow) }
        #expect(error?.message == "tiny: sees grid-features v2 (7×7 window, 403 inputs), but narrow-garden gives grid-features v2 (5×5 window, 211 inputs); run it on a scenario it can see, or retrain it with playgrid train")
        var newer = checkpoint
        newer.identity?.observation.version = 3
        let newerError = #expect(throws: AgentLoadError.self) { try RecurrentAgent(checkpoint: newer, name: "tiny", scenario: s) }
        #expect(newerError?.message.contains("grid-features v3") == true)
        #expect(throws: Never.self) { try RecurrentAgent(checkpoint: checkpoint, name: "tiny", scenario: s) }
    }
}
