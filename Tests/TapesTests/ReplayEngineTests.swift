import Agents
import Engine
import GridWorld
import Testing
@testable import Tapes

@Suite struct ReplayEngineTests {
    @Test("Forward, back, next and previous episode and event move to the right steps")
    func navigation() throws {
        let recording = try Fixtures.record("rock-garden", agent: PlayerAgent(), steps: 2_000, seed: 6, chunkSize: 64)
        let reader = try TapeReader(bytes: recording.bytes, name: "nav")
        var engine = try ReplayEngine(reader: reader)
        let frames = recording.frames

        #expect(try engine.backward() == nil)
        var f = try #require(try engine.forward())
        #expect(engine.position == 0 && f.world.state == frames[0].world.state)
        for i in 1..<300 {
            f = try #require(try engine.forward())
            #expect(engine.position == i && f.world.state == frames[i].world.state && f.episodeReturn == frames[i].episodeReturn)
        }
        for i in stride(from: 298, through: 250, by: -1) {
            f = try #require(try engine.backward())
            #expect(engine.position == i && f.world.state == frames[i].world.state && f.episodeReturn == frames[i].episodeReturn)
        }

        // Episodes: every jump lands on an episode's first step, in order, and the last has no next.
        let starts = frames.indices.filter { frames[$0].step == 1 }
        try engine.seek(to: 0)
        var visited: [Int] = [0]
        while let frame = try engine.nextEpisode() {
            #expect(frame.step == 1)
            visited.append(engine.position!)
        }
        #expect(visited == starts)
        for expected in starts.dropLast().reversed() {
            let frame = try #require(try engine.previousEpisode())
            #expect(engine.position == expected && frame.step == 1)
        }
        #expect(try engine.previousEpisode() == nil)

        // Events: the next rock-sank is the first one after the current step, and so on back.
        let sinks = frames.indices.filter { frames[$0].transition!.events.contains(.rockSank) }
        #expect(sinks.count >= 2, "the player sinks rocks in rock-garden")
        try engine.seek(to: 0)
        var found: [Int] = frames[0].transition!.events.contains(.rockSank) ? [0] : []
        while try engine.nextEvent(.rockSank) != nil {
            #expect(engine.frame!.transition!.events.contains(.rockSank))
            found.append(engine.position!)
        }
        #expect(found == sinks)
        try engine.seek(to: 1_999)
        var back: [Int] = []
        while try engine.previousEvent(.rockSank) != nil { back.append(engine.position!) }
        #expect(back == sinks.filter { $0 < 1_999 }.reversed())
        #expect(try engine.nextEvent(.leverPaid) == nil)
    }

    @Test("A replay follows a growing tape: a reader that has read more keeps the engine's place")
    func growingTape() throws {
        let recording = try Fixtures.record("open-field", steps: 1_000, seed: 1, chunkSize: 50, keepFrames: false)
        let full = try TapeReader(bytes: recording.bytes, name: "grow")
        let cut = full.recordOffsets[6]
        var reader = try TapeReader(bytes: Array(recording.bytes[0..<cut]), name: "grow")
        var engine = try ReplayEngine(reader: reader)
        let early = engine.count
        #expect(early > 0 && early < 1_000)
        try engine.seek(to: early - 1)
        reader.ingest(Array(recording.bytes[cut...]))
        #expect(reader.isComplete && reader.stepCount == 1_000)
        engine.update(reader)
        #expect(engine.count == 1_000)
        let next = try #require(try engine.forward())
        #expect(engine.position == early)
        var check = try ReplayEngine(reader: full)
        #expect(try check.seek(to: early).world.state == next.world.state)
    }
}
