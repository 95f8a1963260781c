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

/// The live training screen as a user sees it: curves over the whole run, play events by kind, progress, and the
/// newest snapshot played in its pane; and the loop that turns q into one stop request.
@Suite struct TrainingViewGoldenTests {
    /// Forty updates of made-up but smooth figures, and a snapshot of the scripted player in rock-garden.
    static func progress() throws -> TrainingProgress {
        var p = TrainingProgress(title: "PlayGrid meta-training on rock-garden → tiny.pgck", total: 81_920, tapes: "tapes")
        for u in 1...40 {
            var events = [Int](repeating: 0, count: EventKind.allCases.count)
            events[Int(EventKind.pushed.rawValue)] = u
            events[Int(EventKind.rockSank.rawValue)] = u / 4
            events[Int(EventKind.spun.rawValue)] = 40 - u
            p.points.append(TrainingProgress.Point(steps: u * 1024, task: Double(u) / 40, fun: Double(u % 8) / 10,
                                                   play: 0.5 - Double(u) / 100, effectivePlay: Double(u) / 100, playEvents: events))
        }
        p.done = 40 * 1024
        p.stepsPerSecond = 20_480
        var session = try Fixtures.session("rock-garden")
        var frames: [Frame] = []
        for _ in 0..<12 { frames.append(try session.step()) }
        var report = try Runner.run(scenario: try Fixtures.scenario("rock-garden"), agent: PlayerAgent(), fun: .standard, seed: 1,
                                    length: .episodes(1))
        (report.taskReturnMean, report.playRatio) = (0.75, 0.25)
        p.snapshots = [PlayedSnapshot(scenario: "rock-garden", update: 40, trainingStep: 40_960, report: report, frames: frames)]
        return p
    }

    @Test("the training screen at 100x32: four charts, play events by kind, the snapshot pane and the progress line")
    func trainingScreen() throws {
        var screen = Screen(width: 100, height: 32)
        TrainingView.draw(try Self.progress(), cursor: TrainingView.Cursor(snapshot: 0, frame: 11), palette: MapPalette(theme: Fixtures.unicode),
                          theme: Fixtures.unicode, into: &screen)
        #expect(screen.text == """
             PlayGrid meta-training on rock-garden → tiny.pgck
            ┌─ task return 1.000 ──────────────────────────────────────┐┌─ rock-garden · update 40 · 41k steps ┐
            │                                  ▂▃▄▅▆█                  ││                                      │
            │                           ▁▂▄▅▆▇███████                  ││                                      │
            │                    ▁▂▃▄▆▇██████████████                  ││                                      │
            │              ▂▃▄▅▆█████████████████████                  ││                                      │
            │       ▁▂▄▅▆▇███████████████████████████                  ││                                      │
            │▁▂▃▄▆▇██████████████████████████████████                  ││                                      │
            └──────────────────────────────────────────────────────────┘│                                      │
            ┌─ fun return 0.000 ───────────────────────────────────────┐│       █ █ █ █ █ █ █ █ █ █ █ █        │
            │     ▁█      ▁█      ▁█      ▁█      ▁█                   ││       █ · · · · · · · · · · █        │
            │    ▂██     ▂██     ▂██     ▂██     ▂██                   ││       █ · · · · · · ◌ ▶ · · █        │
            │   ▃███    ▃███    ▃███    ▃███    ▃███                   ││       █ · · · · · · ░ ░ · ★ █        │
            │  ▄████   ▄████   ▄████   ▄████   ▄████                   ││       █ · ● · · · · · ● · · █        │
            │ ▅█████  ▅█████  ▅█████  ▅█████  ▅█████                   ││       █ · · ░ ░ · · · · · · █        │
            │▆██████ ▆██████ ▆██████ ▆██████ ▆██████                   ││       █ · · ░ ░ · · ● · · · █        │
            └──────────────────────────────────────────────────────────┘│       █ · · · · · · · ░ ░ ░ █        │
            ┌─ play ratio (bars) / effective (points) 0.10 / 0.40 ─────┐│       █ · · ● · · · · · · · █        │
            │                                                          ││       █ █ █ █ █ █ █ █ █ █ █ █        │
            │                                                          ││                                      │
            │                                                          ││                                      │
            │▃▂▂▁▁                                                     ││                                      │
            │███████▇▆▆▅▅▄▄▃▃▂▁▁         ••••••••••••                  ││                                      │
            │██████████████••••••••••••••▃▃▂▂▁                         ││                                      │
            │••••••••••••••█████████████████████▇▇▆▆▅                  ││                                      │
            └──────────────────────────────────────────────────────────┘│                                      │
            ┌─ play events per 1k steps ───────────────────────────────┐│                                      │
            │ pushed    ▁▁▂▂▂▂▂▂▃▃▃▃▃▃▄▄▄▄▄▅▅▅▅▅▅▆▆▆▆▆▆▇▇▇▇▇▇███  39.1 ││ trial: task 0.75/episode · play 25%  │
            │ spun      ███▇▇▇▇▇▇▆▆▆▆▆▅▅▅▅▅▅▄▄▄▄▄▄▃▃▃▃▃▂▂▂▂▂▂▁▁▁   0.0 ││ episode 1 · step 12 · ⟨right, none⟩  │
            │ rock-sank ▁▁▁▂▂▂▂▂▂▂▂▃▃▃▃▄▄▄▄▅▅▅▅▅▅▅▅▆▆▆▆▇▇▇▇▇▇▇▇█   9.8 ││ so far: task  0.00 · fun +1.00       │
            └──────────────────────────────────────────────────────────┘└──────────────────────────────────────┘
             ██████████·········· 50% 41k/82k steps  20k/s  ETA 0:02                            q stop and save
            """)
    }

    @Test("a goal-conditioned run's progress line shows its coverage and GOID goals after the speed")
    func goalsOnTheProgressLine() throws {
        var p = try Self.progress()
        p.goals = "coverage 0.58  goid 125"
        var screen = Screen(width: 100, height: 32)
        TrainingView.draw(p, cursor: TrainingView.Cursor(snapshot: 0, frame: 11), palette: MapPalette(theme: Fixtures.unicode),
                          theme: Fixtures.unicode, into: &screen)
        let last = screen.text.split(separator: "\n", omittingEmptySubsequences: false)[31]
        #expect(last.contains("20k/s  ETA 0:02  coverage 0.58  goid 125") && last.contains("q stop and save"), "\(last)")
    }

    @Test("the cursor plays a snapshot through, holds on its last frame, then moves to the next scenario's")
    func cursor() throws {
        var p = try Self.progress()
        p.snapshots.append(p.snapshots[0])
        p.snapshots[1].frames.removeLast(7)
        let c = TrainingView.Cursor()
        #expect(c.advanced(by: 11, in: p.snapshots) == TrainingView.Cursor(snapshot: 0, frame: 11))
        #expect(c.advanced(by: 21, in: p.snapshots) == TrainingView.Cursor(snapshot: 0, frame: 21))
        #expect(c.advanced(by: 22, in: p.snapshots) == TrainingView.Cursor(snapshot: 1, frame: 0))
        #expect(c.advanced(by: 22 + 15, in: p.snapshots) == TrainingView.Cursor(snapshot: 0, frame: 0))
        #expect(TrainingView.Cursor(snapshot: 5, frame: 0).advanced(by: 0, in: []) == TrainingView.Cursor())
    }

    @Test("q asks the training to stop once, the screen says it is stopping, and the loop ends when training does")
    func quitStopsOnce() throws {
        let terminal = RecordingTerminal(size: Size(width: 100, height: 32), keys: [.character("q"), .interrupt])
        let clock = ManualClock()
        let driver = TrainingScreenDriver(backend: terminal, theme: Fixtures.unicode, clock: clock)
        var stops = 0, turns = 0
        let progress = try Self.progress()
        driver.run(progress: { progress }, stop: { stops += 1 }, isDone: {
            turns += 1
            clock.advance(by: .milliseconds(100))
            return turns > 3
        })
        #expect(stops == 1)
        #expect(terminal.lastScreen?.text.contains("stopping: saving the checkpoint") == true)
        #expect(terminal.presented.first?.text.contains("q stop and save") == true)
    }
}

/// Replay of a tape of training snapshots: > and < jump between them, and the position says which is shown.
@Suite struct SnapshotReplayTests {
    let scenario: Scenario
    let header: TapeHeader

    init() throws {
        scenario = try Fixtures.scenario("rock-garden")
        header = TapeHeader(scenarioText: scenario.sourceText, scenarioOrigin: "rock-garden", seed: 2, agent: "training",
                            funSpec: "delight=1", funComponents: ["delight"])
    }

    /// A tape of two snapshots (updates 0 and 50), each the player's first episode of seed 2.
    func twoSnapshots() throws -> ReplayEngine {
        let writer = try TapeWriter(inMemory: header, scenario: scenario, snapshots: true)
        for update in [0, 50] {
            try writer.beginSnapshot(update: update, trainingStep: update * 1024)
            _ = try Runner.run(scenario: scenario, agent: PlayerAgent(), fun: .standard, seed: 2, length: .episodes(1)) { try writer.append($0) }
        }
        try writer.finish()
        return try ReplayEngine(reader: try TapeReader(bytes: writer.bytes, name: "snapshots.tape"))
    }

    @Test("a snapshot's chart, log and heat map hold its own steps only, whether jumped to or played into")
    func snapshotsStandApart() throws {
        let engine = try twoSnapshots()
        let second = engine.reader.snapshots[1].firstStep
        var app = try ReplayApp(engine: engine)
        app.handle(key: .character(">"), now: .zero)
        #expect(app.position == second && app.trace.count == 1 && app.trace.visits.reduce(0, +) == 1)
        app.handle(key: .character("<"), now: .zero)
        while app.position < second { app.handle(.stepForward, now: .zero) }
        #expect(app.trace.count == 1 && app.trace.visits.reduce(0, +) == 1)
        app.handle(.stepBack, now: .zero)
        #expect(app.position == second - 1 && app.trace.count == second)
    }

    @Test("following a tape of snapshots, space pauses the newest snapshot where it is and space again plays it on")
    func followPauses() throws {
        let path = Scratch.path("follow-snapshots.tape")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try TapeWriter(path: path, header: header, scenario: scenario, snapshots: true)
        try writer.beginSnapshot(update: 0, trainingStep: 0)
        _ = try Runner.run(scenario: scenario, agent: PlayerAgent(), fun: .standard, seed: 2, length: .episodes(1)) { try writer.append($0) }
        try writer.finish()
        let follower = TapeFollower(path: path)
        _ = try follower.poll()
        var app = try ReplayApp(following: follower, now: .zero)
        #expect(app.isFollowing && app.isPlaying)
        app.handle(.togglePause, now: .zero)
        #expect(!app.isFollowing && !app.isPlaying)
        #expect(app.tick(now: .seconds(1)).steps == 0, "paused: the snapshot stays where it is")
        app.handle(.togglePause, now: .seconds(1))
        #expect(app.isFollowing && app.isPlaying && app.position == 0)
    }

    @Test("> and < jump between training snapshots; a plain tape says it has none")
    func jumps() throws {
        let engine = try twoSnapshots()
        let second = engine.reader.snapshots[1].firstStep
        var app = try ReplayApp(engine: engine)
        #expect(app.dashboard.position == "snapshot 1/2 · update 0 · 0")
        app.handle(key: .character(">"), now: .zero)
        #expect(app.position == second && app.dashboard.position == "snapshot 2/2 · update 50 · 51k")
        app.handle(key: .character(">"), now: .zero)
        #expect(app.position == second && app.message == "this is the newest snapshot")
        app.handle(key: .character("<"), now: .zero)
        #expect(app.position == 0)

        let plain = try TapeWriter(inMemory: header, scenario: scenario)
        _ = try Runner.run(scenario: scenario, agent: PlayerAgent(), fun: .standard, seed: 2, length: .episodes(1)) { try plain.append($0) }
        try plain.finish()
        var plainApp = try ReplayApp(engine: try ReplayEngine(reader: try TapeReader(bytes: plain.bytes, name: "plain.tape")))
        plainApp.handle(key: .character(">"), now: .zero)
        #expect(plainApp.message == "this tape holds no training snapshots (playgrid train --tapes writes them)")
    }
}
