import Checksum
import Foundation
import Testing
import NeuralCore
@testable import MetaRL

@Suite struct CheckpointTests {
    func trainedCheckpoint() throws -> (Checkpoint, Trainer<LeverBandit>) {
        let env = LeverBandit(batchSize: 4, levers: 3, pulls: 5)
        var c = TrainerConfiguration()
        c.rolloutLength = 5
        c.seed = 11
        let trainer = try Trainer(environment: env, policy: RecurrentPolicy(PolicyConfiguration(for: env, hiddenSize: 6)), configuration: c)
        for _ in 0..<3 { try trainer.step() }
        return (Checkpoint(trainer: trainer, userConfiguration: "scenario=abc123;fun=novelty:0.5"), trainer)
    }

    /// A path in a folder of its own, so parallel tests do not see each other's files.
    func temporaryPath(_ name: String) -> String {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("metarl-tests-\(ProcessInfo.processInfo.processIdentifier)-\(name)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name).path
    }

    @Test("a checkpoint round-trips through a file with model, optimiser, counters and the opaque string")
    func roundTrip() throws {
        let (checkpoint, trainer) = try trainedCheckpoint()
        let path = temporaryPath("round.ckpt")
        try checkpoint.write(to: path)
        let loaded = try Checkpoint.read(from: path)
        #expect(loaded == checkpoint)
        #expect(loaded.optimizer.stepCount == 3 && loaded.updateCount == 3 && loaded.environmentSteps == 60)
        #expect(loaded.userConfiguration == "scenario=abc123;fun=novelty:0.5")
        let resumed = try loaded.makeTrainer(environment: LeverBandit(batchSize: 4, levers: 3, pulls: 5))
        #expect(resumed.parameters == trainer.parameters && resumed.updateCount == 3)
        try resumed.step()
        #expect(resumed.updateCount == 4 && resumed.optimizer.stepCount == 4)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent)
            .filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty, "the temporary file was renamed into place")
    }

    @Test("writing replaces an existing checkpoint whole")
    func replace() throws {
        let (checkpoint, _) = try trainedCheckpoint()
        let path = temporaryPath("replace.ckpt")
        try Data("old contents".utf8).write(to: URL(fileURLWithPath: path))
        try checkpoint.write(to: path)
        #expect(try Checkpoint.read(from: path) == checkpoint)
    }

    @Test("damage is detected: flipped bit, truncation, foreign file, future version, missing file")
    func damage() throws {
        let (checkpoint, _) = try trainedCheckpoint()
        let bytes = checkpoint.encoded()
        var flipped = bytes
        flipped[bytes.count / 2] ^= 0x10
        #expect { try Checkpoint.decode(flipped) } throws: { ($0 as? CheckpointError).map { if case .checksumMismatch = $0 { true } else { false } } ?? false }
        var headerHit = bytes
        headerHit[20] ^= 0x01
        #expect(throws: CheckpointError.self) { try Checkpoint.decode(headerHit) }
        let cut = Array(bytes.dropLast(100))
        #expect { try Checkpoint.decode(cut, path: "x.ckpt") } throws: { ($0 as? CheckpointError).map { if case .truncated = $0 { true } else { false } } ?? false }
        #expect(throws: CheckpointError.notACheckpoint(path: "y")) { try Checkpoint.decode(Array("{\"json\": 1}".utf8), path: "y") }
        var future = bytes
        future[4] = 9
        #expect(throws: CheckpointError.unsupportedVersion(path: "<memory>", found: 9, supported: 1)) { try Checkpoint.decode(future) }
        #expect { try Checkpoint.read(from: "/nonexistent/dir/a.ckpt") } throws: { "\($0)".contains("/nonexistent/dir/a.ckpt") }
        #expect(CheckpointError.checksumMismatch(path: "a.ckpt", stored: 1, computed: 2).description.hasPrefix("a.ckpt: checkpoint is damaged"))
    }

    @Test("a configuration with an infinite setting still saves and loads")
    func nonFiniteSettings() throws {
        var (checkpoint, _) = try trainedCheckpoint()
        checkpoint.trainer.maxGradientNorm = .infinity
        let loaded = try Checkpoint.decode(checkpoint.encoded())
        #expect(loaded.trainer.maxGradientNorm == .infinity)
        #expect(loaded == checkpoint)
    }

    @Test("trainer settings missing from an older checkpoint's header keep their defaults")
    func olderHeader() throws {
        var c = TrainerConfiguration()
        c.rolloutLength = 7
        c.rewardShift = 2
        c.learningRateDecaySteps = 1000
        var json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(c)) as! [String: Any]
        #expect(try JSONDecoder().decode(TrainerConfiguration.self, from: JSONSerialization.data(withJSONObject: json)) == c)
        json["rewardShift"] = nil
        json["learningRateDecaySteps"] = nil
        let old = try JSONDecoder().decode(TrainerConfiguration.self, from: JSONSerialization.data(withJSONObject: json))
        #expect(old.rolloutLength == 7 && old.rewardShift == 0 && old.learningRateDecaySteps == nil)
    }

    @Test("a policy without the trunk setting (written before it existed) has no trunk; one with it round-trips")
    func olderPolicyHeader() throws {
        let withTrunk = PolicyConfiguration(observationSize: 3, taskActionCount: 4, playActionCount: 2, hiddenSize: 8, trunkSize: 16)
        var json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(withTrunk)) as! [String: Any]
        #expect(try JSONDecoder().decode(PolicyConfiguration.self, from: JSONSerialization.data(withJSONObject: json)) == withTrunk)
        json["trunkSize"] = nil
        let old = try JSONDecoder().decode(PolicyConfiguration.self, from: JSONSerialization.data(withJSONObject: json))
        #expect(old.trunkSize == 0 && old.hiddenSize == 8)
        #expect(RecurrentPolicy(old).trunk == nil)
        #expect(RecurrentPolicy(withTrunk).parameterCount == RecurrentPolicy(old).parameterCount + 8 * 16 + 16 + (16 - 8) * 7)
    }
}
