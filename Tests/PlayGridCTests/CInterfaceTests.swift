import Agents
import Engine
import Foundation
import Fun
import GridWorld
@testable import PlayGridC
import ScenarioFiles
import Tapes
import TestSupport
import Testing

/// A batch opened through the C functions, with every output buffer bound, as a C caller would hold it.
final class Opened {
    let handle: UInt64
    let count: Int
    let components: Int
    let view: Int
    var image: [UInt8]
    var carrying: [UInt8]
    var position: [Int64]
    var reward: [Float]
    var taskReward: [Float]
    var fun: [Float]
    var terminated: [UInt8]
    var truncated: [UInt8]
    var events: [UInt64]
    var episode: [Int64]

    init(_ scenario: String, fun spec: String = "delight=1", seeds: [UInt64]) throws {
        var handle: UInt64 = 0
        let status = pgBatchOpen(scenario, spec, seeds, seeds.count, &handle)
        guard status == 0 else { throw CallError(Status(rawValue: status) ?? .argument, String(cString: pgErrorMessage())) }
        self.handle = handle
        count = seeds.count
        var value: Int64 = 0
        _ = pgBatchGet(handle, 6, &value)
        components = Int(value)
        _ = pgBatchGet(handle, 1, &value)
        view = Int(value)
        image = Array(repeating: 0, count: count * view * view * 3)
        carrying = Array(repeating: 0, count: count * 2)
        position = Array(repeating: 0, count: count * 2)
        reward = Array(repeating: 0, count: count)
        taskReward = Array(repeating: 0, count: count)
        fun = Array(repeating: 0, count: max(1, count * components))
        terminated = Array(repeating: 0, count: count)
        truncated = Array(repeating: 0, count: count)
        events = Array(repeating: 0, count: count)
        episode = Array(repeating: 0, count: count)
        // The arrays are never resized, so their storage stays where it was bound.
        bind(0, &image)
        bind(1, &carrying)
        bind(2, &position)
        bind(5, &reward)
        bind(6, &taskReward)
        if components > 0 { bind(7, &fun) }
        bind(8, &terminated)
        bind(9, &truncated)
        bind(11, &events)
        bind(13, &episode)
    }

    private func bind<T>(_ buffer: Int32, _ array: inout [T]) {
        let status = array.withUnsafeMutableBytes { pgBatchBind(handle, buffer, $0.baseAddress, $0.count) }
        precondition(status == 0, String(cString: pgErrorMessage()))
    }

    func step(_ actions: [ActionPair]) -> Int32 {
        let flat = actions.flatMap { [Int64($0.task.rawValue), Int64($0.play.rawValue)] }
        return pgBatchStep(handle, flat, flat.count)
    }

    deinit { _ = pgBatchClose(handle) }
}

/// A NUL-terminated buffer's text.
func text(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// The last failure's message.
func lastMessage() -> String { String(cString: pgErrorMessage()) }

@Suite("The C interface")
struct CInterfaceTests {
    /// Delight alone (the default) is stepped apart from other models (no `FunInput`, no existential call): the
    /// playroom's bell and lights, rung again and again, check that its habituation and its reset at each new episode
    /// are Session's.
    @Test("an environment steps as `playgrid run` does: the same task reward, fun, events and places, episode after episode")
    func sameAsSession() throws {
        let runs = [("rock-garden", "delight=1"), ("playroom", "delight=1"), ("playroom", "delight=1,curiosity=0.5,novelty=0.1")]
        for (name, spec) in runs {
            let scenario = try ScenarioCatalog.load(name)
            let funSpec = try FunSpec(parsing: spec)
            var session = try Session(scenario: scenario, agent: RandomAgent(), funSpec: funSpec, seed: 7)
            let batch = try Opened(name, fun: spec, seeds: [7])
            var episodes = 0
            var delightedEpisodes = Set<Int>()
            for _ in 0..<1500 {
                let frame = try session.step()
                let transition = try #require(frame.transition)
                #expect(batch.step([try #require(frame.decision?.action)]) == 0)
                #expect(batch.taskReward[0] == transition.taskReward)
                #expect(batch.events[0] == transition.events.bits)
                #expect(Array(batch.fun.prefix(batch.components)) == (frame.reward?.fun ?? []))
                #expect(batch.position[0] == Int64(frame.world.agentPosition.x) && batch.position[1] == Int64(frame.world.agentPosition.y))
                #expect((batch.terminated[0] == 1) == transition.terminated && (batch.truncated[0] == 1) == transition.truncated)
                if batch.fun[0] != 0 { delightedEpisodes.insert(episodes) }
                if transition.isLast {
                    episodes += 1
                    #expect(pgBatchNextEpisode(batch.handle, nil, 1) == 0)
                }
            }
            #expect(episodes >= 10, "\(name): the run crossed episodes and trials")
            if name == "playroom" { #expect(delightedEpisodes.count >= 3, "\(spec): delight in \(delightedEpisodes.count)") }
        }
    }

    @Test("after an episode ends, the next step begins the next episode and ignores its action (next-step autoreset)")
    func nextStepAutoreset() throws {
        let batch = try Opened("open-field", seeds: [3, 4])
        var ended = false
        for _ in 0..<400 where !ended {
            #expect(batch.step([ActionPair(.right), ActionPair(.stay)]) == 0)
            ended = batch.truncated[0] == 1 || batch.terminated[0] == 1
        }
        #expect(ended)
        #expect(batch.position[0] == 6 && batch.position[1] == 1, "at the east wall")
        #expect(batch.step([ActionPair(.down), ActionPair(.stay)]) == 0)
        #expect(batch.episode[0] == 1 && batch.reward[0] == 0 && batch.events[0] == 0 && batch.terminated[0] == 0)
        #expect(batch.position[0] == 1 && batch.position[1] == 1, "back at the start, the move ignored")
    }

    @Test("bad calls come back as statuses with a message; nothing traps")
    func badCalls() throws {
        var handle: UInt64 = 0
        #expect(pgBatchOpen("no-such-place", "", [1], 1, &handle) == Status.scenario.rawValue)
        #expect(lastMessage().contains("no such scenario"))
        #expect(pgBatchOpen("open-field", "joy=1", [1], 1, &handle) == Status.fun.rawValue)
        #expect(lastMessage().contains("unknown fun model 'joy'"))
        #expect(pgBatchOpen(nil, "", [1], 1, &handle) == Status.argument.rawValue)
        #expect(pgBatchOpen("open-field", "", [1], 0, &handle) == Status.argument.rawValue)
        #expect(pgBatchOpen("open-field", "", [1], -1, &handle) == Status.argument.rawValue)
        #expect(pgBatchOpen("open-field", "", nil, 1, &handle) == Status.argument.rawValue)
        #expect(pgBatchOpen("open-field", "", [1], 1, nil) == Status.argument.rawValue)
        let many = [UInt64](repeating: 1, count: 1 << 20)
        #expect(pgBatchOpen("four-rooms", "", many, many.count, &handle) == Status.argument.rawValue)
        #expect(lastMessage().contains("GiB"), "a batch too large for memory is refused, not attempted")

        let file = Scratch.path("bad.yaml")
        try "name: bad\nmap: |\n  ###\n  #A#\n  ###\ntask: reach-goal\nview: 4\n".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect(pgBatchOpen(file, "", [1], 1, &handle) == Status.scenario.rawValue)
        #expect(lastMessage().hasPrefix("\(file):7:"), "a parse error names file:line:column: \(lastMessage())")

        let batch = try Opened("rock-garden", seeds: [1, 2])
        #expect(pgBatchStep(batch.handle, [0, 0, 0], 3) == Status.argument.rawValue)
        #expect(lastMessage().contains("expected 4"))
        #expect(pgBatchStep(batch.handle, [0, 0, 6, 0], 4) == Status.action.rawValue)
        #expect(lastMessage().contains("environment 1: task action 6 is out of range"))
        #expect(pgBatchStep(batch.handle, [0, -1, 0, 0], 4) == Status.action.rawValue)
        #expect(pgBatchStep(batch.handle, nil, 4) == Status.argument.rawValue)
        var small = [UInt8](repeating: 0, count: 10)
        #expect(pgBatchBind(batch.handle, 0, &small, small.count) == Status.argument.rawValue)
        #expect(lastMessage().contains("need \(2 * 7 * 7 * 3)"))
        #expect(pgBatchBind(batch.handle, 99, &small, small.count) == Status.argument.rawValue)
        var value: Int64 = 0
        #expect(pgBatchGet(batch.handle, 99, &value) == Status.argument.rawValue)
        #expect(pgRenderText(batch.handle, 2, 0, nil, nil, 0, nil) == Status.argument.rawValue)
        #expect(lastMessage().contains("environment 2 is out of range"))
        #expect(pgBatchReset(batch.handle, [1], nil, 1) == Status.argument.rawValue)

        #expect(pgBatchGet(0, 0, &value) == Status.handle.rawValue)
        #expect(pgBatchGet(0xDEAD_BEEF, 0, &value) == Status.handle.rawValue)
        #expect(pgTapeClose(batch.handle) == Status.handle.rawValue)
        #expect(lastMessage().contains("is a batch, not a tape"))
        var other: UInt64 = 0
        #expect(pgBatchOpen("open-field", "", [1], 1, &other) == 0)
        #expect(pgBatchClose(other) == 0)
        #expect(pgBatchClose(other) == Status.handle.rawValue)
        #expect(pgBatchStep(other, [0, 0], 2) == Status.handle.rawValue)
        #expect(lastMessage().contains("is closed"))
    }

    @Test("text too long for the buffer reports its length and PG_ERROR_SPACE, and fits the second time")
    func textOutput() throws {
        var length = 0
        var tiny = [CChar](repeating: 0, count: 4)
        #expect(pgNames(0, &tiny, tiny.count, &length) == Status.space.rawValue)
        #expect(text(tiny) == "sta")
        var buffer = [CChar](repeating: 0, count: length + 1)
        #expect(pgNames(0, &buffer, buffer.count, &length) == 0)
        #expect(text(buffer) == TaskAction.allCases.map(\.name).joined(separator: "\n"))
        #expect(pgNames(99, &buffer, buffer.count, &length) == Status.argument.rawValue)
    }

    @Test("a tape recorded through the interface, with the agent's outputs, re-simulates exactly")
    func tapeVerifies() throws {
        let path = Scratch.path("c.tape")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let batch = try Opened("rock-garden", seeds: [5])
        var tape: UInt64 = 0
        #expect(pgTapeOpen(batch.handle, 0, path, "c-test", 0, &tape) == 0)
        #expect(pgTapeRecord(tape, nil, 0, nil, 0, nil) == Status.tape.rawValue, "no step to record yet")
        var rng = SplitMix64(seed: 9)
        let task: [Float] = [0.1, 0.2, 0.3, 0.1, 0.2, 0.1], play: [Float] = [0.4, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]
        var value: Float = 0.5
        for _ in 0..<700 {
            let action = ActionPair(TaskAction(rawValue: UInt8(rng.below(6)))!, PlayAction(rawValue: UInt8(rng.below(7)))!)
            #expect(batch.step([action]) == 0)
            #expect(pgTapeRecord(tape, task, 6, play, 7, &value) == 0, "\(lastMessage())")
            if batch.terminated[0] == 1 || batch.truncated[0] == 1 { #expect(pgBatchNextEpisode(batch.handle, nil, 1) == 0) }
        }
        #expect(batch.step([ActionPair(.up)]) == 0)
        #expect(batch.step([ActionPair(.up)]) == 0)
        #expect(pgTapeRecord(tape, nil, 0, nil, 0, nil) == Status.tape.rawValue)
        #expect(lastMessage().contains("record every step"))
        #expect(pgTapeRecord(tape, task, 5, nil, 0, nil) == Status.argument.rawValue)
        #expect(pgTapeClose(tape) == 0)
        #expect(pgTapeClose(tape) == Status.handle.rawValue)

        let reader = try TapeReader(path: path)
        #expect(reader.isComplete && reader.stepCount == 700 && reader.header.agent == "c-test" && reader.header.seed == 5)
        let report = try TapePass.run(reader)
        #expect(report.steps == 700)
        let first = try #require(try reader.allSteps().first)
        #expect(first.outputs?.value == 0.5)
    }

    @Test("a tape must start where the seed does")
    func tapeStartsAtSeed() throws {
        let batch = try Opened("open-field", seeds: [5])
        #expect(batch.step([ActionPair(.down)]) == 0)
        var tape: UInt64 = 0
        #expect(pgTapeOpen(batch.handle, 0, "/tmp/never.tape", "x", 0, &tape) == Status.tape.rawValue)
        #expect(lastMessage().contains("right after a reset with a seed"))
    }

    @Test("renderings: scenario symbols, theme glyphs, ANSI colours and an RGB raster of the map")
    func renderings() throws {
        let batch = try Opened("rock-garden", seeds: [1])
        func render(_ style: Int32) -> String {
            var length = 0
            _ = pgRenderText(batch.handle, 0, style, nil, nil, 0, &length)
            var buffer = [CChar](repeating: 0, count: length + 1)
            #expect(pgRenderText(batch.handle, 0, style, nil, &buffer, buffer.count, &length) == 0, "\(lastMessage())")
            return text(buffer)
        }
        let symbols = render(0).split(separator: "\n")
        #expect(symbols.count == 10 && symbols[0] == "############" && symbols[1].hasPrefix("#"))
        let glyphs = render(1).split(separator: "\n")
        #expect(glyphs.count == 10 && glyphs[0].allSatisfy { $0 == "█" } && render(1).contains("★"))
        #expect(render(2).contains("\u{1B}[") && render(2).contains("█"))
        var raster = [UInt8](repeating: 0, count: 12 * 10 * 8 * 8 * 3)
        #expect(pgRenderRGB(batch.handle, 0, 8, nil, &raster, raster.count) == 0, "\(lastMessage())")
        #expect(Array(raster[0..<3]) == [0x76, 0x76, 0x76], "a wall's pixel in the theme's wall colour")
        #expect(pgRenderRGB(batch.handle, 0, 8, nil, &raster, raster.count - 1) == Status.argument.rawValue)
        #expect(pgRenderRGB(batch.handle, 0, 2, nil, &raster, raster.count) == Status.argument.rawValue)
        var length = 0
        #expect(pgRenderText(batch.handle, 0, 1, "no-such-theme", nil, 0, &length) == Status.theme.rawValue)
    }
}

