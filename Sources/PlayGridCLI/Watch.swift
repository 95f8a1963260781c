import ArgumentParser
import Session
import Views

/// `playgrid watch`: an agent plays live in the terminal; pause, step, step back, take over.
struct Watch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Watch an agent play live: pause, step forward and back, take over with the keyboard (? lists the keys).")

    @OptionGroup var world: WorldOptions

    @Option(help: "Agent: random, greedy, player, q (default: the best available, \(AgentChoice.best)).")
    var agent: String = AgentChoice.best

    @Flag(help: "Start paused (space resumes, . steps).")
    var paused = false

    @Option(help: "Theme from assets/themes (default: unicode on UTF-8 terminals, else ascii).")
    var theme: String?

    func run() throws {
        try reportingFailures {
            let session = try Session(scenario: try world.loadScenario(), agent: try AgentChoice.make(agent),
                                      funSpec: try world.funSpec(), seed: world.seed)
            try ScreenCommand.run(theme: theme) { now in
                WatchApp(session: session, mode: paused ? .paused : .live, now: now)
            }
        }
    }
}

/// `playgrid play`: you choose both halves of each action.
struct Play: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Play yourself: arrows or WASD move, e uses, digits pick the play half (0 = none), . waits; t lets the agent drive.")

    @OptionGroup var world: WorldOptions

    @Option(help: "Agent whose suggestions are shown, and who drives after t (default: \(AgentChoice.best)).")
    var agent: String = AgentChoice.best

    @Option(help: "Theme from assets/themes (default: unicode on UTF-8 terminals, else ascii).")
    var theme: String?

    func run() throws {
        try reportingFailures {
            let session = try Session(scenario: try world.loadScenario(), agent: try AgentChoice.make(agent),
                                      funSpec: try world.funSpec(), seed: world.seed)
            try ScreenCommand.run(theme: theme) { now in WatchApp(session: session, mode: .manual, now: now) }
        }
    }
}
