import Agents
import Checksum
import Engine
import Foundation
import Fun
import GridWorld
import ScenarioFiles
import Testing
import TestSupport
@testable import TapeCodec
@testable import Tapes

/// Tapes of worlds with hidden rules: key frames hold the drawn rules, events keep all their bits, `tape verify`
/// checks the rules, and tapes of format 1 still read.
@Suite struct TapeMechanicsTests {
    static let families = ["bridge-builder", "buried-key", "signal-doors", "tinker-lab"]

    /// The world a key frame's level starts as (what its grid is stored against).
    static func level(_ reader: TapeReader, keyframe k: Int) throws -> World {
        World(scenario: reader.scenario, level: try reader.scenario.sample(seed: reader.keyframes[k].head.levelSeed))
    }

    /// A record of `kind` around `payload`, with both checksums.
    static func framed(_ kind: RecordKind, _ payload: [UInt8]) -> [UInt8] {
        func u32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> UInt32(8 * $0)) } }
        let head = [kind.rawValue] + u32(UInt32(payload.count))
        return head + u32(CRC32.checksum(head)) + payload + u32(CRC32.checksum(payload))
    }

    /// The tape with key frame `k` replaced by `frame` (framed afresh, so every checksum holds).
    static func replacing(keyframe k: Int, of reader: TapeReader, with frame: TapeKeyframe, initialCells: ContiguousArray<UInt8>) -> [UInt8] {
        var sink = ByteSink()
        frame.encode(into: &sink, initialCells: initialCells)
        let ref = reader.keyframes[k]
        let start = reader.recordOffsets[ref.record], end = ref.payload.upperBound + TapeFormat.recordTrailerSize
        return Array(reader.bytes[..<start]) + framed(.keyframe, sink.bytes) + Array(reader.bytes[end...])
    }

    @Test("Key frames of each new family hold the world's drawn rules, which differ from trial to trial, and events keep their mechanics' bits")
    func drawnRulesRoundTrip() throws {
        for name in Self.families {
            let recording = try Fixtures.record(name, agent: GreedyAgent(), steps: 2_000, seed: 5, chunkSize: 50)
            let reader = try TapeReader(bytes: recording.bytes, name: name)
            #expect(reader.version == TapeFormat.version)
            var draws = Set<MechanicDraw>()
            for k in 0..<reader.keyframeCount {
                let index = reader.keyframes[k].head.index
                let frame = try reader.keyframe(k, initialCells: try Self.level(reader, keyframe: k).rules.initialCells)
                let expected = index == 0 ? try TrialWorld(scenario: reader.scenario, seed: 5).world.state
                                          : recording.frames[index - 1].world.state
                #expect(frame.snapshot.state == expected, "\(name): key frame before step \(index)")
                draws.insert(frame.snapshot.state.mechanics.draw)
            }
            #expect(draws.count > 1, "\(name): the rules are drawn per trial")
            let steps = try reader.allSteps()
            for (step, frame) in zip(steps, recording.frames) { #expect(step.events == frame.transition!.events) }
            #expect(steps.contains { $0.events.contains { $0.mechanic != nil } }, "\(name): the oracle set a rule off")
            #expect(try TapePass.run(reader).steps == 2_000)
        }
    }

    @Test("Rules redrawn mid-trial round-trip: seeking just after a redraw and into the middle of its trial gives the recorded world")
    func redrawnRules() throws {
        let text = try String(contentsOfFile: Repository.path("scenarios/tinker-lab.yaml"), encoding: .utf8)
        for dynamics in ["redraw-rules-every: 9", "redraw-rules-between-episodes: true"] {
            let scenario = try ScenarioFile.parse(text: text + "dynamics:\n  \(dynamics)\n", file: "tinker-lab, \(dynamics)")
            let recording = try Fixtures.record(scenario, origin: "tinker-lab", steps: 3_000, seed: 8, chunkSize: 40, keyframeEvery: 2)
            let frames = recording.frames
            let redraws = frames.indices.dropFirst().filter {
                frames[$0 - 1].trial == frames[$0].trial && frames[$0 - 1].world.state.mechanics.draw != frames[$0].world.state.mechanics.draw
            }
            #expect(redraws.count > 20, "\(dynamics): rules change within trials")
            let reader = try TapeReader(bytes: recording.bytes, name: "redrawn")
            #expect(try TapePass.run(reader).steps == 3_000)
            var engine = try ReplayEngine(reader: reader)
            var rng = SplitMix64(seed: 3)
            var targets = redraws.flatMap { [$0, min($0 + 13, 2_999)] }
            for i in targets.indices.reversed() { targets.swapAt(i, rng.below(i + 1)) }
            for i in targets {
                let frame = try engine.seek(to: i)
                #expect(frame.world.state == frames[i].world.state, "\(dynamics): step \(i)")
                #expect(frame.transition == frames[i].transition)
            }
        }
    }

    @Test("tape verify passes on a tape of each new family and finds a key frame whose drawn rule was changed")
    func tamperedRule() throws {
        for name in Self.families {
            let recording = try Fixtures.record(name, agent: GreedyAgent(), steps: 600, seed: 12, chunkSize: 64, keepFrames: false)
            let reader = try TapeReader(bytes: recording.bytes, name: name)
            #expect(try TapePass.run(reader).steps == 600)

            let k = reader.keyframeCount - 1
            let level = try Self.level(reader, keyframe: k)
            var frame = try reader.keyframe(k, initialCells: level.rules.initialCells)
            var draw = frame.snapshot.state.mechanics.draw
            let rules = level.rules
            if rules.mechanics.bridge != nil {
                draw.bridges.toggle()
            } else if rules.mechanics.buried != nil {
                draw.buried = (draw.buried + 1) % UInt16(rules.buriedCells.count)
            } else {
                let colours = rules.doorCells.indices.filter { !rules.doorCells[$0].isEmpty }.map(UInt8.init)
                draw.signal = colours.first { $0 != draw.signal }!
            }
            frame.snapshot.state.mechanics.draw = draw
            #expect(rules.admits(frame.snapshot.state.mechanics))
            let tampered = try TapeReader(bytes: Self.replacing(keyframe: k, of: reader, with: frame, initialCells: rules.initialCells), name: name)
            #expect(tampered.isComplete && tampered.problem == nil, "\(name): the changed record is well formed")
            #expect { try TapePass.run(tampered) } throws: { error in
                guard let e = error as? TapeError else { return false }
                return e.kind == .diverged && e.message.contains("the hidden rules differ") && e.exitStatus == 4
            }
        }
    }

    @Test("A key frame whose rules name a buried cell the level lacks is damage to a replay, not a crash")
    func impossibleRule() throws {
        let recording = try Fixtures.record("buried-key", agent: GreedyAgent(), steps: 300, seed: 2, chunkSize: 64, keepFrames: false)
        let reader = try TapeReader(bytes: recording.bytes, name: "buried-key")
        let k = reader.keyframeCount - 1
        let level = try Self.level(reader, keyframe: k)
        var frame = try reader.keyframe(k, initialCells: level.rules.initialCells)
        frame.snapshot.state.mechanics.draw.buried = 200
        #expect(!level.rules.admits(frame.snapshot.state.mechanics))
        let bad = try TapeReader(bytes: Self.replacing(keyframe: k, of: reader, with: frame, initialCells: level.rules.initialCells), name: "bad")
        var engine = try ReplayEngine(reader: bad)
        #expect { try engine.seek(to: bad.keyframes[k].head.index) } throws: { error in
            guard let e = error as? TapeError else { return false }
            return e.kind == .damaged && e.message.contains("hidden rules") && !e.description.contains("\n")
        }
    }

    /// A tape of format 1, as playgrid wrote it before tapes held hidden rules:
    /// `playgrid run rock-garden --agent random --episodes 6 --seed 5 --record rock-garden-v1.tape` (720 steps, 3 key frames).
    static let versionOne: [UInt8] = {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/rock-garden-v1.tape").path
        return (try? Array(Data(contentsOf: URL(fileURLWithPath: path)))) ?? []
    }()

    @Test("A tape of format 1 still reads, verifies and replays into the worlds a session of today gives, with the empty rules")
    func versionOneReads() throws {
        let reader = try TapeReader(bytes: Self.versionOne, name: "rock-garden-v1.tape")
        #expect(reader.version == 1 && reader.isComplete && reader.keyframeCount == 3)
        #expect(try TapePass.run(reader).steps == 720)
        var session = try Session(scenario: reader.scenario, agent: RandomAgent(), funSpec: .standard, seed: 5)
        let frames = try (0..<720).map { _ in try session.step() }
        var engine = try ReplayEngine(reader: reader)
        for i in reader.keyframes.map(\.head.index).reversed() + [719, 300, 0, 511] {
            let frame = try engine.seek(to: i)
            #expect(frame.world.state == frames[i].world.state, "step \(i)")
            #expect(frame.world.state.mechanics == MechanicState())
        }
    }

    @Test("A tape of format 1 whose scenario declares hidden rules is refused with one line: that format cannot hold them")
    func versionOneWithRulesRefused() throws {
        let scenario = try Fixtures.scenario("signal-doors")
        var sink = ByteSink()
        TapeHeader(scenarioText: scenario.sourceText, scenarioOrigin: "signal-doors", seed: 1, agent: "random", funSpec: "delight=1",
                   funComponents: ["delight"]).encode(into: &sink)
        let bytes = Array(Self.versionOne[0..<TapeFormat.prefixSize]) + Self.framed(.header, sink.bytes)
        #expect { try TapeReader(bytes: bytes, name: "old") } throws: { error in
            guard let e = error as? TapeError else { return false }
            return e.kind == .unsupportedVersion && e.exitStatus == 2 && e.message.contains("hidden rules") && !e.description.contains("\n")
        }
    }
}
