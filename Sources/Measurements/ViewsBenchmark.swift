import Agents
import Clocks
import Fun
import GridWorld
import Engine
import Terminal
import Views

/// How fast the screens are, measured against the headless engine in the same run (for `playgrid bench`).
///
/// - compose: drawing one full 100×32 frame of a 40×25 map with every panel, probability bars and an overlay;
/// - watch: the real loop (`ScreenDriver` + `WatchApp`) at full speed on a null terminal, as a ratio of the
///   same session stepping headless, with the frames per second it presented;
/// - the same watch-versus-headless ratio with the random agent on a shipped scenario, where a step costs
///   almost nothing and the loop's own cost per step shows;
/// - key latency: time from a key reaching the loop to the present that shows its effect, keys arriving
///   every 50 ms during the full-speed run.
public enum ViewsBenchmark {
    public struct Result: Sendable {
        public var terminal: Size
        public var map: Size
        public var composeMilliseconds: Double
        public var headlessStepsPerSecond: Double
        public var watchStepsPerSecond: Double
        public var watchFramesPerSecond: Double
        public var keyLatencyMedianMilliseconds: Double
        public var keyLatencyMaxMilliseconds: Double

        /// Watch speed as a share of headless speed (target ≥ 0.5).
        public var watchRatio: Double { watchStepsPerSecond / max(1e-9, headlessStepsPerSecond) }
        /// The same comparison with the random agent on rock-garden, whose steps cost almost nothing, so
        /// the loop's own cost per step (history snapshot, trace) shows.
        public var cheapHeadlessStepsPerSecond: Double
        public var cheapWatchStepsPerSecond: Double
        public var cheapWatchRatio: Double { cheapWatchStepsPerSecond / max(1e-9, cheapHeadlessStepsPerSecond) }
    }

    /// A 40×25 walled field with sand beds and scattered rocks, for measuring a map larger than its panel.
    public static func largeScenario() -> Scenario {
        var map = MapTemplate(width: 40, height: 25)
        var rng = SplitMix64(seed: 40_25)
        for y in 0..<25 {
            for x in 0..<40 where x == 0 || y == 0 || x == 39 || y == 24 { map[x, y] = (.wall, .none, 0) }
        }
        for bed in 0..<8 {
            let bx = 3 + (bed % 4) * 9, by = 4 + (bed / 4) * 11
            for dy in 0..<3 { for dx in 0..<4 { map[bx + dx, by + dy] = (.sand, .none, 0) } }
        }
        for _ in 0..<30 {
            let x = 2 + Int(rng.next() % 36), y = 2 + Int(rng.next() % 21)
            if map[x, y].tile == .floor { map[x, y] = (.floor, .rock, 0) }
        }
        map[37, 22] = (.floor, .goal, 0)
        map.agentStart = GridPoint(x: 1, y: 1)
        map.agentFacing = .right
        return Scenario(name: "large-field", summary: "A 40×25 field for measuring the screen.", map: map, task: .reachGoal,
                        delight: [.rockSank: 1], maxSteps: 400, episodesPerTrial: 2)
    }

    /// Runs every measurement (`seconds` for each timed one) with the scripted player and delight.
    public static func run(theme: Theme, cheap: Scenario, seconds: Double = 0.6) throws -> Result {
        let size = Size(width: 100, height: 32)
        let scenario = largeScenario()
        let compose = try composeMilliseconds(scenario: scenario, size: size, theme: theme, seconds: seconds / 2)
        let watched = try Session(scenario: scenario, agent: PlayerAgent(), funSpec: .standard, seed: 1)
        let headless = try headlessRate(watched, seconds: seconds)
        let watch = try watchRun(watched, size: size, theme: theme, seconds: seconds)
        let random = try Session(scenario: cheap, agent: RandomAgent(), funSpec: .standard, seed: 1)
        let cheapHeadless = try headlessRate(random, seconds: seconds / 2)
        let cheapWatch = try watchRun(random, size: size, theme: theme, seconds: seconds / 2)
        return Result(terminal: size, map: Size(width: scenario.map.width, height: scenario.map.height),
                      composeMilliseconds: compose, headlessStepsPerSecond: headless,
                      watchStepsPerSecond: watch.steps, watchFramesPerSecond: watch.frames,
                      keyLatencyMedianMilliseconds: watch.latencyMedian, keyLatencyMaxMilliseconds: watch.latencyMax,
                      cheapHeadlessStepsPerSecond: cheapHeadless, cheapWatchStepsPerSecond: cheapWatch.steps)
    }

    /// The clock every measurement reads.
    static let clock = SystemClock()
    static func now() -> Duration { clock.now }

    /// Milliseconds to draw one frame with every panel: HUD with both heads' bars, chart, log, heat overlay.
    static func composeMilliseconds(scenario: Scenario, size: Size, theme: Theme, seconds: Double) throws -> Double {
        var app = WatchApp(session: try Session(scenario: scenario, agent: PlayerAgent(), funSpec: .standard, seed: 1), mode: .paused)
        for _ in 0..<120 { app.handle(.stepForward, now: .zero) }
        app.handle(.toggleOverlay(.heatmap), now: .zero)
        var state = app.dashboard
        let action = state.frame.decision?.action ?? ActionPair(.stay)
        state.frame.decision = Decision(action, taskProbabilities: [0.05, 0.1, 0.4, 0.05, 0.3, 0.1],
                                        playProbabilities: [0.5, 0.2, 0.1, 0.05, 0.05, 0.05, 0.05], value: 0.42)
        let palette = MapPalette(theme: theme)
        var screen = Screen(size: size)
        let start = now()
        var frames = 0
        repeat {
            Dashboard.draw(state, trace: app.trace, palette: palette, theme: theme, into: &screen)
            frames += 1
        } while now() - start < .seconds(seconds)
        return (now() - start) / .milliseconds(1) / Double(frames)
    }

    /// The same session stepping with nothing on screen: the baseline.
    static func headlessRate(_ session: Session, seconds: Double) throws -> Double {
        var session = session
        let start = now()
        var steps = 0
        repeat {
            for _ in 0..<64 { try session.step() }
            steps += 64
        } while now() - start < .seconds(seconds)
        return Double(steps) / ((now() - start) / .seconds(1))
    }

    /// The watch loop at full speed for `seconds`, with a key every 50 ms whose effect is timed.
    static func watchRun(_ session: Session, size: Size, theme: Theme, seconds: Double)
        throws -> (steps: Double, frames: Double, latencyMedian: Double, latencyMax: Double) {
        let terminal = NullTerminal(size: size)
        let driver = ScreenDriver(backend: terminal, theme: theme, clock: clock)
        var app = WatchApp(session: session, speed: .infinity, now: now())
        let start = now()
        terminal.script = { at in
            if at - start >= .seconds(seconds) { return .character("q") }
            if at - (terminal.sentAt ?? start) >= .milliseconds(50) { return .character("h") }
            return nil
        }
        var latencies: [Double] = []
        var shownOverlay = app.overlay
        driver.onPresent = { shown in
            if shown.dashboard.overlay != shownOverlay, let sent = terminal.sentAt {
                latencies.append((now() - sent) / .milliseconds(1))
                shownOverlay = shown.dashboard.overlay
            }
        }
        driver.run(&app)
        let elapsed = (now() - start) / .seconds(1)
        if let failure = app.failure { throw ViewsBenchmarkError(message: failure) }
        latencies.sort()
        return (Double(app.stepsTaken) / elapsed, Double(driver.presentedFrames) / elapsed,
                latencies.isEmpty ? 0 : latencies[latencies.count / 2], latencies.last ?? 0)
    }
}

/// A benchmark that could not run.
public struct ViewsBenchmarkError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// A terminal that shows nothing and types what its script says: the benchmark's backend.
final class NullTerminal: TerminalBackend {
    let size: Size
    let colorDepth = ColorDepth.xterm256
    let isUTF8 = true
    /// The key to deliver at a time, if any.
    var script: (Duration) -> Key? = { _ in nil }
    /// When the last key was delivered.
    private(set) var sentAt: Duration?

    init(size: Size) { self.size = size }

    func present(_ screen: Screen) {}

    func readKey(timeoutMilliseconds: Int) -> Key? {
        let at = ViewsBenchmark.now()
        guard let key = script(at) else { return nil }
        sentAt = at
        return key
    }
}
