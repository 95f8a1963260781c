import Clocks
import Foundation
@testable import MetaRL
import TestSupport
import Testing

@Suite struct TrainingRunTests {
    func run<E: MetaEnvironment>(_ env: E, clock: ManualClock) throws -> TrainingRun<E> {
        var c = TrainerConfiguration()
        c.rolloutLength = 5
        let trainer = try Trainer(environment: env, policy: RecurrentPolicy(PolicyConfiguration(for: env, hiddenSize: 6)), configuration: c)
        return TrainingRun(trainer: trainer, identity: TrainingIdentity(environment: env, configuration: c, fun: "none",
                                                                         recipe: "test", tool: "tests"), clock: clock)
    }

    @Test("a run saves when its time comes and at the end, not after every update")
    func savesOnSchedule() throws {
        let clock = ManualClock()
        let training = try run(LeverBandit(batchSize: 4, levers: 3, pulls: 5), clock: clock)
        let path = Scratch.path("schedule.pgck")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var savedAt: [Int] = []
        try training.run(steps: 80, saving: .init(path: path, everySeconds: 30)) { m in
            if let saved = try? Checkpoint.read(from: path) { savedAt.append(saved.updateCount) }
            clock.advance(by: .seconds(20))
            return true
        }
        // Four updates of 20 steps, 20 s each: saved after updates 2 and 4 (30 s had passed), and at the end.
        #expect(savedAt == [2, 2])
        #expect(try Checkpoint.read(from: path).updateCount == 4)
        #expect(try Checkpoint.read(from: path).identity?.recipe == "test")
    }

    @Test("a run that diverges saves its last good parameters before it reports the error")
    func savesLastGood() throws {
        let training = try run(PolicyAndTrainerTests.PoisonedBandit(), clock: ManualClock())
        let path = Scratch.path("diverged.pgck")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: TrainingError.nonFinite(update: 3, quantity: "the loss")) {
            try training.run(steps: 100, saving: .init(path: path, everyUpdates: 100))
        }
        let saved = try Checkpoint.read(from: path)
        #expect(saved.updateCount == 2 && saved.parameters == training.trainer.parameters)
    }
}
