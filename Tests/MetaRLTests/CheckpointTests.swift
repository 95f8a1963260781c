import Checksum
import Foundation
import NeuralCore
import Records
import Testing
import TestSupport
@testable import MetaRL

@Suite struct CheckpointTests {
    func trainedCheckpoint() throws -> (Checkpoint, Trainer<LeverBandit>) {
        let env = LeverBandit(batchSize: 4, levers: 3, pulls: 5)
        var c = TrainerConfiguration()
        c.rolloutLength = 5
        c.seed = 11
        let trainer = try Trainer(environment: env, policy: RecurrentPolicy(PolicyConfiguration(for: env, hiddenSize: 6)), configuration: c)
        for _ in 0..<3 { try trainer.step() }
        let identity = TrainingIdentity(environment: env, configuration: c, fun: "novelty=0.5", recipe: "test", tool: "tests")
        return (Checkpoint(trainer: trainer, identity: identity), trainer)
    }

    @Test("a folder where a checkpoint is expected is named as a folder, not as a missing or unreadable file")
    func folderIsNamed() throws {
        let folder = try Scratch.folder("folder")
        let error = try #require(#expect(throws: CheckpointError.self) { try Checkpoint.read(from: folder) })
        #expect("\(error)".contains("is a folder, expected a checkpoint file"), "\(error)")
    }

    @Test("a checkpoint round-trips through a file with model, optimiser, counters and its identity")
    func roundTrip() throws {
        let (checkpoint, trainer) = try trainedCheckpoint()
        // In a folder of its own, so a parallel test's temporary file is not counted as a leftover.
        let path = try Scratch.folder("round") + "/round.ckpt"
        try checkpoint.write(to: path)
        let loaded = try Checkpoint.read(from: path)
        #expect(loaded == checkpoint)
        #expect(loaded.optimizer.stepCount == 3 && loaded.updateCount == 3 && loaded.environmentSteps == 60)
        #expect(loaded.identity?.families == [FamilyID(name: "lever-bandit", fingerprint: "3-levers-5-pulls")])
        #expect(loaded.identity?.observation == ObservationEncoding(name: "constant", version: 1, size: 1))
        #expect(loaded.identity?.fun == "novelty=0.5" && loaded.identity?.version == TrainingIdentity.currentVersion)
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
        let path = Scratch.path("replace.ckpt")
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
        #expect(throws: CheckpointError.notACheckpoint(path: "y", found: "; it is a JSON file")) { try Checkpoint.decode(Array("{\"json\": 1}".utf8), path: "y") }
        // Handed another of PlayGrid's files, the error says which; handed something unknown, only what it is not.
        let tape = FileKind.tape.signature + [1, 0, 0, 0]
        #expect(CheckpointError.notACheckpoint(path: "t", found: FileKind.identified(tape)).description
            == "t: not a PlayGrid checkpoint (missing the PGCK signature); it is a tape (playgrid run --record)")
        #expect(throws: CheckpointError.notACheckpoint(path: "t", found: "; it is a tape (playgrid run --record)")) { try Checkpoint.decode(tape, path: "t") }
        #expect(throws: CheckpointError.notACheckpoint(path: "m", found: "")) { try Checkpoint.decode(Array("name: x\n".utf8), path: "m") }
        var future = bytes
        future[4] = 9
        #expect(throws: CheckpointError.unsupportedVersion(path: "<memory>", found: 9, supported: 1)) { try Checkpoint.decode(future) }
        #expect { try Checkpoint.read(from: "/nonexistent/dir/a.ckpt") } throws: { "\($0)".contains("/nonexistent/dir/a.ckpt") }
        #expect(CheckpointError.checksumMismatch(path: "a.ckpt", stored: 1, computed: 2).description.hasPrefix("a.ckpt: checkpoint is damaged"))
    }

    @Test("a file cut inside its header is truncated, not damaged; a whole file whose header length is damaged is damaged")
    func cutInsideHeader() throws {
        let bytes = try trainedCheckpoint().0.encoded()
        let headerLength = Int(LittleEndian.uint32(bytes, at: 8))
        for kept in [16, 12 + headerLength / 2, 12 + headerLength] {
            #expect(throws: CheckpointError.truncated(path: "c.pgck", expectedBytes: 12 + headerLength + 4, foundBytes: kept)) {
                try Checkpoint.decode(Array(bytes.prefix(kept)), path: "c.pgck")
            }
        }
        #expect(CheckpointError.truncated(path: "c.pgck", expectedBytes: 2000, foundBytes: 100).description
            == "c.pgck: checkpoint is truncated (expected 2000 bytes, found 100); it was damaged or not fully written")
        var longer = bytes
        longer[10] = 0x7F  // the length now runs past the end of a file that is all there
        #expect { try Checkpoint.decode(longer) } throws: { ($0 as? CheckpointError).map { if case .checksumMismatch = $0 { true } else { false } } ?? false }
    }

    @Test("a header counting more parameters than any file could hold is reported as damage, not a trap")
    func impossibleParameterCount() throws {
        let (checkpoint, _) = try trainedCheckpoint()
        let bytes = checkpoint.encoded()
        let headerLength = Int(LittleEndian.uint32(bytes, at: 8))
        let header = String(decoding: bytes[12..<(12 + headerLength)], as: UTF8.self)
        let huge = header.replacingOccurrences(of: "\"parameterCount\":\(checkpoint.parameters.count)",
                                               with: "\"parameterCount\":999999999999999999")
        #expect(huge != header)
        var damaged = Array(bytes[0..<8])
        LittleEndian.append(UInt32(huge.utf8.count), to: &damaged)
        damaged += Array(huge.utf8) + bytes[(12 + headerLength)...]
        #expect { try Checkpoint.decode(damaged) } throws: { ($0 as? CheckpointError).map { if case .checksumMismatch = $0 { true } else { false } } ?? false }
        // With its checksum made to match, the count itself is named.
        damaged.removeLast(4)
        LittleEndian.append(CRC32.checksum(damaged), to: &damaged)
        let error = try #require(#expect(throws: CheckpointError.self) { try Checkpoint.decode(damaged, path: "big.pgck") })
        #expect("\(error)".contains("999999999999999999 parameters"), "\(error)")
    }

    /// `bytes` with `from` replaced by `to` in its JSON header, and its checksum made to match: a header as a
    /// writer that got it wrong would leave it, which the CRC cannot catch.
    func rewritingHeader(_ bytes: [UInt8], _ from: String, _ to: String) -> [UInt8] {
        let headerLength = Int(LittleEndian.uint32(bytes, at: 8))
        let header = String(decoding: bytes[12..<(12 + headerLength)], as: UTF8.self)
        let changed = header.replacingOccurrences(of: from, with: to)
        #expect(changed != header, "\(from) is in the header")
        var out = Array(bytes[0..<8])
        LittleEndian.append(UInt32(changed.utf8.count), to: &out)
        out += Array(changed.utf8) + bytes[(12 + headerLength)..<(bytes.count - 4)]
        LittleEndian.append(CRC32.checksum(out), to: &out)
        return out
    }

    @Test("a checksummed header with a negative parameter count or a model size no network has is named, not an overflow trap")
    func impossibleShapes() throws {
        let (checkpoint, _) = try trainedCheckpoint()
        let bytes = checkpoint.encoded()
        let negative = rewritingHeader(bytes, "\"parameterCount\":\(checkpoint.parameters.count)", "\"parameterCount\":-999999999999999999")
        let counted = try #require(#expect(throws: CheckpointError.self) { try Checkpoint.decode(negative, path: "neg.pgck") })
        #expect("\(counted)" == "neg.pgck: checkpoint is inconsistent: the header counts -999999999999999999 parameters, which no file can hold")
        let size = checkpoint.policy.observationSize
        let wide = rewritingHeader(bytes, "\"observationSize\":\(size)", "\"observationSize\":9223372036854775807")
        let shaped = try #require(#expect(throws: CheckpointError.self) { try Checkpoint.decode(wide, path: "wide.pgck") })
        #expect("\(shaped)".hasPrefix("wide.pgck: checkpoint is inconsistent: the model's observation size is 9223372036854775807"), "\(shaped)")
        #expect(try Checkpoint.decode(rewritingHeader(bytes, "\"observationSize\":\(size)", "\"observationSize\": \(size)")) == checkpoint)
        // Counters a resumed run converts (a negative one trapped) or adds steps to (near Int.max, an overflow).
        for (key, value) in [("updateCount", "-5"), ("environmentSteps", "9223372036854775807"), ("adamStepCount", "-1")] {
            let saved = key == "environmentSteps" ? checkpoint.environmentSteps : key == "updateCount" ? checkpoint.updateCount : checkpoint.optimizer.stepCount
            let damaged = rewritingHeader(bytes, "\"\(key)\":\(saved)", "\"\(key)\":\(value)")
            let error = try #require(#expect(throws: CheckpointError.self) { try Checkpoint.decode(damaged, path: "n.pgck") })
            #expect("\(error)".hasPrefix("n.pgck: checkpoint is inconsistent: its ") && "\(error)".contains(" is \(value), outside 0…"), "\(error)")
        }
    }

    @Test("a header of the wrong shape says where, in a few words, not as a dump of the decoder's error")
    func headerShapeNamed() throws {
        let (checkpoint, _) = try trainedCheckpoint()
        let bytes = rewritingHeader(checkpoint.encoded(), "\"updateCount\":3", "\"updateCount\":\"three\"")
        let error = try #require(#expect(throws: CheckpointError.self) { try Checkpoint.decode(bytes, path: "h.pgck") })
        #expect("\(error)" == "h.pgck: checkpoint header is unreadable: expected a whole number at updateCount", "\(error)")
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
        c.entropyFallsWithLearningRate = true
        var json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(c)) as! [String: Any]
        #expect(try JSONDecoder().decode(TrainerConfiguration.self, from: JSONSerialization.data(withJSONObject: json)) == c)
        // A setting since retired (the old bandit recipe's returns that ended with each episode) is ignored.
        json["returnsEndWithEpisodes"] = true
        #expect(try JSONDecoder().decode(TrainerConfiguration.self, from: JSONSerialization.data(withJSONObject: json)) == c)
        json["rewardShift"] = nil
        json["learningRateDecaySteps"] = nil
        json["entropyFallsWithLearningRate"] = nil
        let old = try JSONDecoder().decode(TrainerConfiguration.self, from: JSONSerialization.data(withJSONObject: json))
        #expect(old.rolloutLength == 7 && old.rewardShift == 0 && old.learningRateDecaySteps == nil && !old.entropyFallsWithLearningRate)
    }

    @Test("settings added for goal agents and the bandit are written only when set, so other recipes' checkpoints are as before; set, they round-trip")
    func newerSettings() throws {
        let plain = try JSONSerialization.jsonObject(with: JSONEncoder().encode(TrainerConfiguration())) as! [String: Any]
        #expect(Set(plain.keys).isDisjoint(with: ["adamBeta2", "adamEpsilon", "backPropagationSpan", "advantageScaleFloor", "spikeGuard",
                                                  "learnsFromExpectedRewards"]))
        #expect(plain.count == 14)
        var c = TrainerConfiguration()
        c.adamBeta2 = 0.99
        c.adamEpsilon = 1e-5
        c.backPropagationSpan = 32
        c.advantageScaleFloor = 0.1
        c.spikeGuard = 3
        c.learnsFromExpectedRewards = true
        #expect(try JSONDecoder().decode(TrainerConfiguration.self, from: JSONEncoder().encode(c)) == c)
        let adam = c.freshOptimizer(parameterCount: 3)
        #expect(adam.beta2 == 0.99 && adam.epsilon == 1e-5 && adam.beta1 == 0.9)
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

    @Test("a policy without play choices or a memory span (written before they existed) plays every action and remembers the trial")
    func olderPolicyChoices() throws {
        let control = PolicyConfiguration(observationSize: 3, taskActionCount: 4, playActionCount: 3, hiddenSize: 8,
                                          plays: .none, memory: .episode)
        var json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(control)) as! [String: Any]
        #expect(try JSONDecoder().decode(PolicyConfiguration.self, from: JSONSerialization.data(withJSONObject: json)) == control)
        json["plays"] = nil
        json["memory"] = nil
        let old = try JSONDecoder().decode(PolicyConfiguration.self, from: JSONSerialization.data(withJSONObject: json))
        #expect(old.plays == .all && old.memory == .trial)
        #expect(RecurrentPolicy(old).parameterCount == RecurrentPolicy(control).parameterCount, "the controls keep the shape")
        #expect(old.allowedPlay(afforded: 0b10) == Categorical.allAllowed)
        #expect(control.allowedPlay(afforded: 0b110) == 0b1)
        var afforded = control
        afforded.plays = .afforded
        #expect(afforded.allowedPlay(afforded: 0b110) == 0b111)
    }

    @Test("a version-1 checkpoint's untyped identity string is read as a typed identity; one that is not JSON as none")
    func legacyIdentity() throws {
        let (checkpoint, _) = try trainedCheckpoint()
        // Rebuild the header as the first builds wrote it: the identity as a JSON string under userConfiguration.
        let bytes = checkpoint.encoded()
        let headerLength = Int(LittleEndian.uint32(bytes, at: 8))
        var header = try JSONSerialization.jsonObject(with: Data(bytes[12..<(12 + headerLength)])) as! [String: Any]
        header["identity"] = nil
        header["userConfiguration"] = #"{"envs":64,"fun":"delight=1","scenarios":[{"fingerprint":"ab12","name":"rock-garden"}],"seed":7,"threads":2,"tool":"playgrid 0.1.0"}"#
        func rebuilt(_ header: [String: Any]) throws -> [UInt8] {
            let json = Array(try JSONSerialization.data(withJSONObject: header))
            var out = Array(bytes[0..<8])
            LittleEndian.append(UInt32(json.count), to: &out)
            out += json + bytes[(12 + headerLength)..<(bytes.count - 4)]
            LittleEndian.append(CRC32.checksum(out), to: &out)
            return out
        }
        let identity = try #require(try Checkpoint.decode(try rebuilt(header)).identity)
        #expect(identity.version == 1 && identity.families == [FamilyID(name: "rock-garden", fingerprint: "ab12")])
        #expect(identity.fun == "delight=1" && identity.seed == 7 && identity.threads == 2 && identity.observation.size == 1)
        header["userConfiguration"] = "scenario=abc123"
        #expect(try Checkpoint.decode(try rebuilt(header)).identity == nil)
    }
}
