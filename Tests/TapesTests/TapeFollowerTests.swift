import Agents
import Clocks
import Engine
import Foundation
import Fun
import GridWorld
import TestSupport
import Testing
@testable import Tapes

@Suite struct TapeFollowerTests {
    @Test("A follower polling a tape while it is written sees every step once, in order, then the end; a pause in the recording writes what waits")
    func followsAWriter() throws {
        let scenario = try Fixtures.scenario("playroom")
        let path = Scratch.path("followed.tape")
        let follower = TapeFollower(path: path)
        #expect(try follower.poll().isEmpty)  // not created yet
        let clock = ManualClock()
        let writer = try TapeWriter(path: path, scenario: scenario, origin: "playroom", seed: 4, agent: "random",
                                    fun: .standard, chunkSize: 40, clock: clock)
        var session = try Session(scenario: scenario, agent: RandomAgent(), funSpec: .standard, seed: 4)
        var seen: [TapeStep] = []
        var actions: [ActionPair] = []
        for i in 0..<1_000 {
            let frame = try session.step()
            actions.append(frame.decision!.action)
            try writer.append(frame)
            if i % 77 == 0 { seen += try follower.poll() }
            // A pause longer than the writer's batching interval: the next chunk to complete (at step 760) goes to
            // the file at once with every chunk before it.
            if i == 749 { clock.advance(by: .milliseconds(150)) }
        }
        seen += try follower.poll()
        #expect(seen.count >= 760 && seen.count % 40 == 0)
        #expect(!follower.isFinished)
        try writer.finish()
        seen += try follower.poll()
        #expect(follower.isFinished)
        #expect(seen.map(\.index) == Array(0..<1_000))
        #expect(seen.map(\.action) == actions)
    }

    @Test("A slow recording reaches a follower within about a second, in short chunks that each get a key frame")
    func slowWriterIsFollowedPromptly() throws {
        let scenario = try Fixtures.scenario("rock-garden")
        let path = Scratch.path("slow.tape")
        let follower = TapeFollower(path: path)
        let clock = ManualClock()
        let writer = try TapeWriter(path: path, scenario: scenario, origin: "rock-garden", seed: 3, agent: "random", fun: .standard,
                                    clock: clock)
        var session = try Session(scenario: scenario, agent: RandomAgent(), funSpec: .standard, seed: 3)
        for _ in 0..<3 { try writer.append(try session.step()) }
        #expect(try follower.poll().isEmpty)  // a chunk of 256 is not full, and has not waited a second
        clock.advance(by: .milliseconds(1_050))
        try writer.append(try session.step())
        #expect(try follower.poll().map(\.index) == [0, 1, 2, 3])
        for _ in 0..<2 { try writer.append(try session.step()) }
        clock.advance(by: .milliseconds(1_050))
        try writer.append(try session.step())
        #expect(try follower.poll().map(\.index) == [4, 5, 6])
        try writer.finish()
        let reader = try TapeReader(path: path)
        #expect(reader.chunkCount == 2 && reader.keyframeCount == 2)
        #expect(try TapePass.run(reader).steps == 7)
    }

    @Test("Waiting for a tape that never comes polls every interval and gives up at the timeout, on the follower's clock")
    func waitTimesOut() throws {
        let clock = ManualClock()
        let follower = TapeFollower(path: Scratch.path("never.tape"), clock: clock)
        #expect(try follower.waitForSteps(timeout: .seconds(30), interval: .milliseconds(50)).isEmpty)
        #expect(clock.now == .seconds(30))
        #expect(follower.reader == nil)
    }

    @Test("A writer dropped without finishing leaves a truncated tape whose complete records read and verify")
    func abandonedWriter() throws {
        let scenario = try Fixtures.scenario("key-door")
        let path = Scratch.path("abandoned.tape")
        do {
            let writer = try TapeWriter(path: path, scenario: scenario, origin: "key-door", seed: 2, agent: "random", fun: .standard, chunkSize: 100)
            var session = try Session(scenario: scenario, agent: RandomAgent(), funSpec: .standard, seed: 2)
            for _ in 0..<750 { try writer.append(try session.step()) }
        }
        let reader = try TapeReader(path: path)
        #expect(reader.stepCount == 700)
        #expect(reader.problem?.kind == .truncated)
        #expect(try TapePass.run(reader).steps == 700)
    }
}
