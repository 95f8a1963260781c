import Agents
import Clocks
import Engine
import Foundation
import GridWorld
import Tapes
import Terminal
import TestSupport
import Testing
@testable import Views

/// The replay reducer over a real tape, and the driver loop against the recording terminal.
@Suite struct ReplayAndDriverTests {
    /// Records `steps` steps of rock-garden with the player to a fresh temporary tape.
    func recordTape(steps: Int) throws -> String {
        let path = Scratch.path("views.tape")
        var session = try Fixtures.session("rock-garden")
        let tape = try TapeWriter(path: path, scenario: session.scenario, origin: "rock-garden", seed: 1, agent: "player",
                                  fun: .standard)
        for _ in 0..<steps { try tape.append(try session.step()) }
        try tape.finish()
        return path
    }

    @Test("replay steps one at a time, jumps by episode and event, and shows the same world the run had")
    func replayNavigation() throws {
        let path = try recordTape(steps: 300)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var live = try Fixtures.session("rock-garden")
        var worlds: [WorldStateSummary] = []
        for _ in 0..<300 { worlds.append(WorldStateSummary(try live.step())) }

        var app = try ReplayApp(engine: try ReplayEngine(path: path), at: 40)
        #expect(app.position == 40)
        #expect(WorldStateSummary(app.frame) == worlds[40])
        #expect(app.trace.count == 41, "a jump refills the trace with the steps before it")
        app.handle(key: .character("."), now: .zero)
        #expect(app.position == 41)
        #expect(WorldStateSummary(app.frame) == worlds[41])
        app.handle(key: .left, now: .zero)
        app.handle(key: .left, now: .zero)
        #expect(app.position == 39)
        #expect(app.trace.count == 40)
        app.handle(key: .character("]"), now: .zero)
        #expect(app.frame.step == 1, "] goes to the first step of the next episode")
        let episodeStart = app.position
        app.handle(key: .character("}"), now: .zero)
        let event = app.position
        #expect(event > episodeStart)
        #expect(app.trace.last?.isNotable == true)
        app.handle(key: .character("{"), now: .zero)
        #expect(app.position < event)
        #expect(app.trace.last?.isNotable == true)
        app.handle(key: .character("["), now: .zero)
        #expect(app.frame.step == 1)

        let dashboard = app.dashboard
        #expect(dashboard.mode == .replay)
        #expect(dashboard.position == "tape step \(app.position + 1) of 300")
        let screen = Fixtures.render(app, width: 100, height: 32)
        #expect(screen.text.contains(" REPLAY "))
        #expect(screen.text.contains("tape step \(app.position + 1) of 300"))
    }

    @Test("a replay's play ratio is the run's so far, as the live screen showed it: past the trace's 300 steps and after jumps")
    func replayPlayRatio() throws {
        let path = Scratch.path("ratio.tape")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var session = try Fixtures.session("playroom", agent: RandomAgent(), seed: 3)
        let tape = try TapeWriter(path: path, scenario: session.scenario, origin: "playroom", seed: 3, agent: "random",
                                  fun: .standard)
        var live: [Double] = []
        for _ in 0..<700 {
            try tape.append(try session.step())
            live.append(session.metrics.playRatio)
        }
        try tape.finish()
        var app = try ReplayApp(engine: try ReplayEngine(path: path), at: 699)
        #expect(app.dashboard.playRatio == live[699])
        for command in [Command.previousEpisode, .previousEpisode, .stepBack, .stepForward, .nextEvent, .previousEvent, .nextEpisode] {
            app.handle(command, now: .zero)
            #expect(app.dashboard.playRatio == live[app.position], "after \(command), at tape step \(app.position + 1)")
        }
    }

    @Test("space plays a replay at the pacer's speed and it stops at the end of the tape")
    func replayPlays() throws {
        let path = try recordTape(steps: 30)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var app = try ReplayApp(engine: try ReplayEngine(path: path), at: 25)
        #expect(Fixtures.render(app, width: 100, height: 32).text.contains(" REPLAY  │ space play  "))
        app.handle(.togglePause, now: .zero)
        #expect(app.isPlaying)
        #expect(Fixtures.render(app, width: 100, height: 32).text.contains(" REPLAY  8 steps/s │ space pause  "),
                "while it plays, space pauses")
        let turn = app.tick(now: .seconds(1))
        #expect(turn.steps == 8)
        app.advance(steps: turn.steps, deadline: .seconds(1), clock: ManualClock(.seconds(1)))
        #expect(app.position == 29)
        #expect(!app.isPlaying)
        #expect(app.dashboard.message == "this is the last step of the tape")
    }

    @Test("a replay that reaches the end of a tape cut short or damaged says so, rather than that the tape ends there")
    func endOfIncompleteTape() throws {
        let path = try recordTape(steps: 30)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let cut = Scratch.path("cut.tape"), damaged = Scratch.path("damaged.tape")
        try Data(bytes.dropLast(2)).write(to: URL(fileURLWithPath: cut))
        bytes[bytes.count - 2] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: damaged))
        for (tape, message) in [(cut, "the tape is cut short here: its writer did not finish"),
                                (damaged, "the tape is damaged after this step (playgrid tape verify says where)")] {
            var app = try ReplayApp(engine: try ReplayEngine(path: tape), at: 29)
            app.handle(key: .character("."), now: .zero)
            #expect(app.position == 29)
            #expect(app.dashboard.message == message)
        }
    }

    @Test("following a tape keeps to its newest step as the writer adds to it; space stops following")
    func follow() throws {
        let path = Scratch.path("follow.tape")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var session = try Fixtures.session("rock-garden")
        let tape = try TapeWriter(path: path, scenario: session.scenario, origin: "rock-garden", seed: 1, agent: "player",
                                  fun: .standard)
        for _ in 0..<40 { try tape.append(try session.step()) }
        try tape.flush()
        let follower = TapeFollower(path: path)
        #expect(try follower.poll().count == 40)
        var app = try ReplayApp(following: follower, now: .zero)
        #expect(app.position == 39)
        #expect(app.dashboard.mode == .follow)
        #expect(app.dashboard.position == "tape step 40 of 40, live")
        #expect(Fixtures.render(app, width: 100, height: 32).text.contains(" FOLLOW  │ space pause  "))
        app.handle(.help, now: .zero)
        #expect(Fixtures.render(app, width: 100, height: 32).text.contains("┌─ Keys: follow ─"))
        app.handle(.dismiss, now: .zero)

        for _ in 0..<20 { try tape.append(try session.step()) }
        try tape.flush()
        _ = app.tick(now: .milliseconds(100))
        #expect(app.position == 39, "polls wait for the poll interval")
        _ = app.tick(now: .milliseconds(250))
        #expect(app.position == 59)
        #expect(app.frame.step == session.frame.step)

        app.handle(.togglePause, now: .milliseconds(250))
        #expect(!app.isFollowing)
        for _ in 0..<10 { try tape.append(try session.step()) }
        try tape.finish()
        _ = app.tick(now: .milliseconds(500))
        #expect(app.position == 59, "not following: the view stays where the user left it")
        #expect(app.dashboard.position == "tape step 60 of 70, paused")
        #expect(Fixtures.render(app, width: 100, height: 32).text.contains(" FOLLOW  │ space follow  "))
        app.handle(.togglePause, now: .milliseconds(500))
        #expect(app.position == 69)
        #expect(app.dashboard.position == "tape step 70 of 70, finished")
    }

    @Test("the driver presents each change a key makes, follows a resize, and stops on q")
    func driverLoop() throws {
        let terminal = RecordingTerminal(size: Size(width: 100, height: 32), keys: [
            .character("."), .character("."), .character(","), .character("h"),
            .resize(Size(width: 60, height: 20)), .resize(Size(width: 80, height: 24)), .character("q"),
        ])
        let driver = ScreenDriver(backend: terminal, theme: Fixtures.unicode,
                                 clock: ManualClock(advancingEachReadingBy: .microseconds(100)))
        var app = WatchApp(session: try Fixtures.session("rock-garden"), mode: .paused)
        driver.run(&app)
        #expect(app.isFinished)
        let texts = terminal.presented.map(\.text)
        #expect(texts.count == 7, "the first frame, then one per key before q")
        #expect(texts[0].contains("step 0/120"))
        #expect(texts[1].contains("step 1/120"))
        #expect(texts[2].contains("step 2/120"))
        #expect(texts[3].contains("step 1/120"))
        #expect(texts[4].contains("visits this trial"))
        #expect(texts[5].contains("Terminal too small: 60×20"))
        #expect(terminal.presented[6].size == Size(width: 80, height: 24))
        #expect(texts[6].contains("step 1/120"))
        #expect(app.frame.step == 1)
    }
}

/// What must match between a live step and its replay.
struct WorldStateSummary: Equatable {
    var state: WorldState
    var step: Int
    var episode: Int
    var task: Float?

    init(_ frame: Frame) {
        state = frame.world.state
        step = frame.step
        episode = frame.episode
        task = frame.reward?.task
    }
}
