import Engine
import Foundation
import Fun
import GridWorld
@testable import MetaAgents
import MetaRL
import Tapes
import TestSupport
import Testing

/// Evaluation tapes during training: snapshots at the set cadence marked with their training step, tapes that
/// verify, training that does exactly what it does without them, and a stop that `--resume` continues bit-exactly.
@Suite struct TrainingTapesTests {
    static func plan(_ scenarios: [String] = ["rock-garden", "key-door"]) throws -> GridTraining.Plan {
        var plan = GridTraining.Plan(scenarios: try scenarios.map(shipped), fun: .standard, seed: 5, envs: 4, threads: 1, hidden: 8)
        plan.configuration.rolloutLength = 16
        return plan
    }

    @Test("snapshots land before the first update, every N updates and where training stops, marked with their training step; the tapes verify")
    func cadence() throws {
        let dir = Scratch.path("cadence")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let training = try GridTraining(try Self.plan())
        try training.recordTapes(TrainingTapes.Plan(directory: dir, every: 3, seed: 11, agent: "test"))
        // 4 environments × 16 steps: 64 steps an update.
        try training.train(steps: 64 * 8)
        for name in ["rock-garden", "key-door"] {
            let reader = try TapeReader(path: "\(dir)/\(name).tape")
            #expect(reader.isComplete && reader.header.seed == 11 && reader.header.agent == "test")
            #expect(reader.snapshots.map(\.update) == [0, 3, 6, 8])
            #expect(reader.snapshots.map(\.trainingStep) == [0, 192, 384, 512])
            let report = try TapePass.run(reader)
            #expect(report.episodes == 4 * reader.scenario.episodesPerTrial)
        }
        #expect(training.tapes?.snapshotCount == 4)
    }

    @Test("training with tapes takes exactly the updates it takes without; the last snapshot is a run of the final policy")
    func sameTraining() throws {
        let dir = Scratch.path("same")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let plain = try GridTraining(try Self.plan(["rock-garden"]))
        try plain.train(steps: 64 * 5)
        let taped = try GridTraining(try Self.plan(["rock-garden"]))
        try taped.recordTapes(TrainingTapes.Plan(directory: dir, every: 2, seed: 11, agent: "test"))
        try taped.train(steps: 64 * 5)
        #expect(taped.trainer.parameters == plain.trainer.parameters)

        let reader = try TapeReader(path: "\(dir)/rock-garden.tape")
        let last = try #require(reader.snapshots.last)
        let recorded = try reader.allSteps()[last.firstStep...].map(\.action)
        let scenario = try shipped("rock-garden")
        let agent = RecurrentAgent(name: "final", policy: plain.trainer.policy, parameters: plain.trainer.parameters,
                                   viewSize: scenario.viewSize)
        var actions: [ActionPair] = []
        _ = try Runner.run(scenario: scenario, agent: agent, fun: .standard, seed: 11, length: .trials(1)) { frame in
            if let a = frame.decision?.action { actions.append(a) }
        }
        #expect(Array(recorded) == actions)
    }

    @Test("a run stopped mid-way (as q and Ctrl-C stop it) saves the checkpoint a run planned to end there saves, and --resume goes on alike")
    func stopAndResume() throws {
        let dir = Scratch.path("stop")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (stoppedPath, plannedPath) = ("\(dir)/stopped.pgck", "\(dir)/planned.pgck")
        let stopped = try GridTraining(try Self.plan())
        var updates = 0
        try stopped.train(steps: 64 * 100, saving: .init(path: stoppedPath, everySeconds: 30)) { _ in
            updates += 1
            return updates < 3
        }
        try GridTraining(try Self.plan()).train(steps: 64 * 3, saving: .init(path: plannedPath, everySeconds: 30))
        let bytes = { (path: String) in try Data(contentsOf: URL(fileURLWithPath: path)) }
        #expect(try bytes(stoppedPath) == bytes(plannedPath))

        let plan = try Self.plan()
        var resumed: [ContiguousArray<Float>] = []
        for path in [stoppedPath, plannedPath] {
            let training = try GridTraining(resuming: try Checkpoint.read(from: path), path: path, scenarios: plan.scenarios,
                                            fun: plan.fun, envs: 4, threads: 1)
            try training.train(steps: 64 * 2, saving: .init(path: path))
            resumed.append(training.trainer.parameters)
        }
        #expect(resumed[0] == resumed[1] && resumed[0] != stopped.trainer.parameters)
    }

    @Test("a resumed run appends its snapshots after the tape's last one; the tape stays one that verifies")
    func resumedRunContinuesTheTape() throws {
        let dir = Scratch.path("resumed")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/run.pgck"
        let first = try GridTraining(try Self.plan(["rock-garden"]))
        try first.recordTapes(TrainingTapes.Plan(directory: dir, every: 2, seed: 11, agent: "test"))
        try first.train(steps: 64 * 3, saving: .init(path: path))
        let plan = try Self.plan(["rock-garden"])
        let resumed = try GridTraining(resuming: try Checkpoint.read(from: path), path: path, scenarios: plan.scenarios, fun: plan.fun,
                                       envs: 4, threads: 1)
        try resumed.recordTapes(TrainingTapes.Plan(directory: dir, every: 2, seed: 11, agent: "test", continuing: true))
        try resumed.train(steps: 64 * 3)
        let reader = try TapeReader(path: dir + "/rock-garden.tape")
        #expect(reader.isComplete && reader.problem == nil)
        #expect(reader.snapshots.map(\.update) == [0, 2, 3, 4, 6])
        #expect(try TapePass.run(reader).episodes == 5 * reader.scenario.episodesPerTrial)
    }

    @Test("a run killed past its checkpoint, mid-snapshot, resumes its tape: cut back to the snapshots up to the checkpoint, then appended to")
    func killedRunContinuesTheTape() throws {
        let dir = Scratch.path("killed")
        let path = dir + "/run.pgck", tape = dir + "/rock-garden.tape"
        let plan = try Self.plan(["rock-garden"])
        func resume() throws -> GridTraining {
            try GridTraining(resuming: try Checkpoint.read(from: path), path: path, scenarios: plan.scenarios, fun: plan.fun, envs: 4, threads: 1)
        }
        let first = try GridTraining(plan)
        try first.recordTapes(TrainingTapes.Plan(directory: dir, every: 2, seed: 11, agent: "test"))
        try first.train(steps: 64 * 3, saving: .init(path: path))  // checkpoint at update 3; snapshots 0, 2, 3
        // The run goes on to update 6 without saving, and is killed inside its last snapshot's steps.
        let ahead = try resume()
        try ahead.recordTapes(TrainingTapes.Plan(directory: dir, every: 2, seed: 11, agent: "test", continuing: true))
        try ahead.train(steps: 64 * 3)
        let whole = try Data(contentsOf: URL(fileURLWithPath: tape))
        try whole.prefix(whole.count - 40).write(to: URL(fileURLWithPath: tape))
        let killed = try TapeReader(path: tape)
        #expect(!killed.isComplete && killed.snapshots.map(\.update) == [0, 2, 3, 4, 6])

        let resumed = try resume()
        try resumed.recordTapes(TrainingTapes.Plan(directory: dir, every: 2, seed: 11, agent: "test", continuing: true))
        try resumed.train(steps: 64 * 3, saving: .init(path: path))  // checkpoint at update 6
        let reader = try TapeReader(path: tape)
        #expect(reader.isComplete && reader.problem == nil)
        #expect(reader.snapshots.map(\.update) == [0, 2, 3, 4, 6])
        #expect(try TapePass.run(reader).episodes == 5 * reader.scenario.episodesPerTrial)

        // Killed inside the snapshot of the very update its checkpoint holds: that snapshot is played again.
        try Data(contentsOf: URL(fileURLWithPath: tape)).prefix(reader.recordOffsets.last! - 40).write(to: URL(fileURLWithPath: tape))
        let again = try resume()
        try again.recordTapes(TrainingTapes.Plan(directory: dir, every: 2, seed: 11, agent: "test", continuing: true))
        try again.train(steps: 64)
        let replayed = try TapeReader(path: tape)
        #expect(replayed.isComplete && replayed.snapshots.map(\.update) == [0, 2, 3, 4, 6, 7])
        #expect(try TapePass.run(replayed).episodes == 6 * replayed.scenario.episodesPerTrial)
    }

    @Test("tapes that exist are refused without force, and two scenarios of one name cannot share a tape")
    func refusals() throws {
        let dir = Scratch.path("refusals")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let training = try GridTraining(try Self.plan(["rock-garden"]))
        try training.recordTapes(TrainingTapes.Plan(directory: dir, agent: "test"))
        try training.train(steps: 64)
        #expect(throws: TrainingTapesError("\(dir)/rock-garden.tape exists; pass --force to overwrite it, or give another --tapes folder")) {
            try GridTraining(try Self.plan(["rock-garden"])).recordTapes(TrainingTapes.Plan(directory: dir, agent: "test"))
        }
        try GridTraining(try Self.plan(["rock-garden"])).recordTapes(TrainingTapes.Plan(directory: dir, agent: "test", force: true))
        // Training refuses two scenarios of one name first; the tapes refuse them too, when given them directly.
        #expect(throws: ScenarioProblem.self) { try GridTraining(try Self.plan(["rock-garden", "rock-garden"])) }
        let scenario = training.trainer.environment.scenarios[0]
        #expect(throws: TrainingTapesError("two training scenarios are called rock-garden; --tapes writes one tape per scenario name")) {
            try TrainingTapes(TrainingTapes.Plan(directory: dir, agent: "test"), scenarios: [scenario, scenario],
                              fun: training.trainer.environment.funSpec, policy: training.trainer.policy)
        }
    }
}
