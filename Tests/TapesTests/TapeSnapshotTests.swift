import Agents
import Engine
import Fun
import GridWorld
@testable import TapeCodec
@testable import Tapes
import Testing

/// Tapes of training snapshots (format 3): each snapshot plays the tape's run from its seed again; readers index
/// them, verify and replay across them, and jump between them; plain tapes stay version 2.
@Suite struct TapeSnapshotTests {
    /// Three snapshots of one trial of rock-garden, each played by a different scripted agent, so they differ.
    static func snapshotTape() throws -> (bytes: [UInt8], frames: [[Frame]]) {
        let scenario = try Fixtures.scenario("rock-garden")
        let fun = FunSpec.standard
        let header = TapeHeader(scenarioText: scenario.sourceText, scenarioOrigin: "rock-garden", seed: 3, agent: "training",
                                funSpec: fun.description, funComponents: fun.terms.map(\.model), chunkSize: 64)
        let writer = try TapeWriter(inMemory: header, scenario: scenario, snapshots: true)
        var all: [[Frame]] = []
        let agents: [any Agent] = [RandomAgent(), ProbabilisticAgent(), RandomAgent()]
        for (i, agent) in agents.enumerated() {
            try writer.beginSnapshot(update: i * 10, trainingStep: i * 10 * 512)
            var frames: [Frame] = []
            _ = try Runner.run(scenario: scenario, agent: agent, fun: fun, seed: 3, length: .trials(1)) { frame in
                try writer.append(frame)
                frames.append(frame)
            }
            try writer.flush()
            all.append(frames)
        }
        try writer.finish()
        return (writer.bytes, all)
    }

    @Test("a snapshot tape is version 3, indexes its snapshots with their training steps, and verifies")
    func readsAndVerifies() throws {
        let (bytes, frames) = try Self.snapshotTape()
        let reader = try TapeReader(bytes: bytes, name: "snapshots.tape")
        #expect(reader.version == TapeFormat.snapshotVersion && reader.isComplete && reader.problem == nil)
        let starts = frames.indices.map { i in frames[..<i].reduce(0) { $0 + $1.count } }
        #expect(reader.snapshots == zip(starts, 0...).map { TapeSnapshot(firstStep: $0, update: $1 * 10, trainingStep: $1 * 5120) })
        #expect(reader.stepCount == frames.joined().count)
        let report = try TapePass.run(reader)
        #expect(report.steps == reader.stepCount && report.episodes == 3 * reader.scenario.episodesPerTrial)
        // Every snapshot starts from the same MDP: trial 0 of the tape's seed.
        let steps = try reader.allSteps()
        for start in starts { #expect((steps[start].trial, steps[start].episode, steps[start].step) == (0, 0, 1)) }
    }

    @Test("replay steps across a snapshot's start as a seek lands there, and > < jump between snapshots")
    func replaysAcrossSnapshots() throws {
        let (bytes, frames) = try Self.snapshotTape()
        var engine = try ReplayEngine(reader: try TapeReader(bytes: bytes, name: "snapshots.tape"))
        let second = frames[0].count
        var walked = try engine.seek(to: second - 1)
        walked = try engine.forward()!
        var fresh = try ReplayEngine(reader: engine.reader)
        let sought = try fresh.seek(to: second)
        #expect(walked.world.state == sought.world.state && walked.world.state == frames[1][0].world.state)
        #expect(walked.trial == 0 && walked.episode == 0 && walked.step == 1)
        #expect(try engine.nextSnapshot()?.world.state == frames[2][0].world.state && engine.position == second + frames[1].count)
        #expect(try engine.nextSnapshot() == nil)
        #expect(try engine.previousSnapshot() != nil && engine.position == second)
        #expect(try engine.previousSnapshot() != nil && engine.position == 0)
        #expect(try engine.previousSnapshot() == nil)
    }

    @Test("plain tapes stay version 2; a snapshot record in one is damage; snapshots need a tape opened for them")
    func plainTapesStayVersion2() throws {
        let plain = try Fixtures.record("rock-garden", steps: 50)
        let reader = try TapeReader(bytes: plain.bytes, name: "plain.tape")
        #expect(reader.version == TapeFormat.version && reader.snapshots.isEmpty)
        let scenario = try Fixtures.scenario("rock-garden")
        let writer = try TapeWriter(inMemory: reader.header, scenario: scenario)
        #expect(throws: TapeError.self) { try writer.beginSnapshot(update: 1, trainingStep: 1) }

        // Splice a framed snapshot record into a version 2 tape, before its first key frame.
        var encoder = try TapeEncoder(header: reader.header, scenario: scenario, path: "x", snapshots: true)
        encoder.records.removeAll()
        try encoder.beginSnapshot(update: 1, trainingStep: 2)
        let first = reader.recordOffsets[1]
        let spliced = Array(plain.bytes[..<first]) + encoder.records + Array(plain.bytes[first...])
        let damaged = try TapeReader(bytes: spliced, name: "spliced.tape")
        #expect(damaged.isDamaged && damaged.problem?.message.contains("no snapshot record in a version 2 tape") == true)
    }
}
