import ArgumentParser
import Engine
import Foundation
import Fun
import ScenarioFiles
import Tapes
import Views

/// `playgrid watch`: an agent plays live in the terminal; pause, step, step back, take over.
struct Watch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Watch an agent play live: pause, step forward and back, take over with the keyboard (? lists the keys).")

    @OptionGroup var world: WorldOptions

    @Option(help: ArgumentHelp("Agent: \(AgentChoice.help); by default the best available: the bundled explorer, else player.", valueName: "agent"))
    var agent: String = AgentChoice.best

    @OptionGroup var controls: AgentControls

    @Flag(help: "Start paused (space resumes, . steps).")
    var paused = false

    @OptionGroup var recording: RecordingOptions

    @Option(help: "Show a tape another playgrid is still recording, keeping to its newest step (on a tape of train --tapes, playing each new snapshot as it lands).")
    var follow: String?

    @Option(help: "Theme from assets/themes (default: unicode on UTF-8 terminals, else ascii).")
    var theme: String?

    func validate() throws {
        guard let follow else { return }
        if recording.record != nil { throw ValidationError("give --follow or --record, not both") }
        // The tape says what is shown; an option that would choose it otherwise is refused, not silently ignored.
        let ignored = [(world.scenario != ScenarioCatalog.defaultName, "SCENARIO"), (world.seed != 1, "--seed"),
                       (world.fun != .standard, "--fun"), (agent != AgentChoice.best, "--agent"),
                       (controls.isSet, "--no-play, --reset-memory or --skill"), (paused, "--paused")].filter(\.0).map(\.1)
        if !ignored.isEmpty {
            throw ValidationError("--follow shows \(follow) as it is recorded (its scenario, agent, seed and fun); remove \(ignored.joined(separator: ", "))")
        }
    }

    func run() throws {
        try reportingFailures {
            if let follow {
                let folder = URL(fileURLWithPath: follow).deletingLastPathComponent().path
                guard FileManager.default.fileExists(atPath: folder) else {
                    throw CommandFailure("\(follow): no folder \(folder), so nothing can be recording this tape")
                }
                let follower = TapeFollower(path: follow)
                guard !(try follower.waitForSteps(timeout: .seconds(30))).isEmpty || follower.reader.map({ $0.stepCount > 0 }) == true else {
                    throw CommandFailure("\(follow): no steps were written to the tape within 30 seconds")
                }
                return try ScreenCommand(theme: theme).run { now in try ReplayApp(following: follower, now: now) }
            }
            let fun = world.fun
            let scenario = try world.loadScenario()
            let session = try Session(scenario: scenario, agent: try AgentChoice.make(agent, fun: fun, scenario: scenario, controls: controls),
                                      funSpec: fun, seed: world.seed)
            let screen = try ScreenCommand(theme: theme)
            try recording.run(session, origin: world.scenario, seed: world.seed) { recorder in
                try screen.run { now in
                    var app = WatchApp(session: session, mode: paused ? .paused : .live, now: now)
                    app.recorder = recorder
                    return app
                }
            }
        }
    }
}

/// `playgrid play`: you choose both halves of each action.
struct Play: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Play yourself: arrows or WASD move, e uses, a digit plays (1-6; under simultaneous coupling it rides with the next move), . waits; t lets the agent drive.")

    @OptionGroup var world: WorldOptions

    @Option(help: ArgumentHelp("Agent whose suggestions are shown, and who drives after t: \(AgentChoice.help).", valueName: "agent"))
    var agent: String = AgentChoice.best

    @OptionGroup var recording: RecordingOptions

    @Option(help: "Theme from assets/themes (default: unicode on UTF-8 terminals, else ascii).")
    var theme: String?

    func run() throws {
        try reportingFailures {
            let fun = world.fun
            let scenario = try world.loadScenario()
            let session = try Session(scenario: scenario, agent: try AgentChoice.make(agent, fun: fun, scenario: scenario),
                                      funSpec: fun, seed: world.seed)
            let screen = try ScreenCommand(theme: theme)
            try recording.run(session, origin: world.scenario, seed: world.seed) { recorder in
                try screen.run { now in
                    var app = WatchApp(session: session, mode: .manual, now: now)
                    app.recorder = recorder
                    return app
                }
            }
        }
    }
}

/// `playgrid replay`: a recorded tape, scrubbed step by step, by episode and by event.
struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay a tape: space plays, . and , (or → ←) step, ] [ jump episodes, } { jump events, > < jump training snapshots, + - speed.")

    @Argument(help: "The tape to replay (recorded with --record).")
    var tape: String

    @Option(help: "Start at this step of the tape (from 1).")
    var at: Int = 1

    @Option(help: "Theme from assets/themes (default: unicode on UTF-8 terminals, else ascii).")
    var theme: String?

    func validate() throws {
        if at < 1 { throw ValidationError("--at must be at least 1") }
    }

    func run() throws {
        try reportingFailures {
            let engine = try ReplayEngine(path: tape)
            guard engine.count > 0 else { throw CommandFailure("\(tape): the tape has no steps to replay") }
            guard at <= engine.count else {
                throw CommandFailure("\(tape): --at \(at) is past the end of the tape, which has \(engine.count) steps")
            }
            try ScreenCommand(theme: theme).run { now in try ReplayApp(engine: engine, at: at - 1, now: now) }
        }
    }
}

/// `--record TAPE [--force]` for the screens: every new step goes to the tape, finished when the screen closes.
struct RecordingOptions: ParsableArguments {
    @Option(help: "Record the steps to this tape (replay it with playgrid replay).")
    var record: String?

    @Flag(help: "Overwrite the --record tape if it exists.")
    var force = false

    /// Runs `body` with a recorder for the app (nil when not recording), then finishes the tape.
    func run(_ session: Session, origin: String, seed: UInt64, _ body: (((Frame) throws -> Void)?) throws -> Void) throws {
        guard let record else { return try body(nil) }
        let tape = try TapeWriter(path: record, scenario: session.scenario, origin: origin, seed: seed,
                                  agent: session.agent.name, fun: session.funSpec, force: force)
        do {
            try body { frame in try tape.append(frame) }
        } catch {
            try? tape.finish()
            throw error
        }
        try tape.finish()
    }
}
