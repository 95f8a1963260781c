import Clocks
import Terminal

/// What the driver needs of a screen's state: a reducer over keys and ticks that says what to draw.
public protocol DashboardApp {
    var dashboard: DashboardState { get }
    var trace: Trace { get }
    var isFinished: Bool { get }
    var failure: String? { get }
    mutating func handle(key: Key, now: Duration)
    mutating func handle(_ command: Command, now: Duration)
    /// What to do on this turn of the driver's loop: steps due now (`Int.max` at full speed: run until the turn's
    /// deadline) and whether to present a frame after them.
    mutating func tick(now: Duration) -> FramePacer.Tick
    @discardableResult mutating func advance(steps: Int, deadline: Duration, clock: any MonotonicClock) -> Int
    func keyTimeout(now: Duration) -> Int
}

/// The thin edge between an app (`WatchApp`, `ReplayApp`) and a terminal: each turn runs the steps that are due, presents a
/// frame when one is due, and waits for one key.
///
/// It drives the watch, play and replay screens alike, and runs the same against `NCursesTerminal`,
/// `RecordingTerminal` and the benchmark's null backend. The clock is injected, so tests script time with a
/// `ManualClock`.
public final class ScreenDriver {
    public let backend: any TerminalBackend
    public let theme: Theme
    let palette: MapPalette
    let clock: any MonotonicClock
    /// The longest a turn spends stepping before it draws and reads keys, which bounds key latency at
    /// full speed.
    public let turnBudget: Duration
    private var screen: Screen
    /// Frames presented so far.
    public private(set) var presentedFrames = 0
    /// Called after each present with the app shown (benchmarks use it to time key latency).
    public var onPresent: ((any DashboardApp) -> Void)?

    public init(backend: any TerminalBackend, theme: Theme, turnBudget: Duration = .milliseconds(10),
                clock: any MonotonicClock) {
        self.backend = backend
        self.theme = theme
        palette = MapPalette(theme: theme)
        self.clock = clock
        self.turnBudget = turnBudget
        screen = Screen(size: backend.size)
    }

    /// Runs turns until the user quits or the session fails.
    public func run<App: DashboardApp>(_ app: inout App) {
        while !app.isFinished { turn(&app) }
    }

    /// One turn of the loop: follow a resize, run due steps, present if due, then wait for one key.
    public func turn<App: DashboardApp>(_ app: inout App) {
        let now = clock.now
        if backend.size != screen.size {
            screen = Screen(size: backend.size)
            app.handle(.resize(backend.size), now: now)
        }
        let due = app.tick(now: now)
        if due.steps > 0 { app.advance(steps: due.steps, deadline: now + turnBudget, clock: clock) }
        if due.present { present(app) }
        guard !app.isFinished else { return }
        if let key = backend.readKey(timeoutMilliseconds: app.keyTimeout(now: clock.now)) {
            app.handle(key: key, now: clock.now)
        }
    }

    /// Draws the app's dashboard and hands it to the backend.
    public func present<App: DashboardApp>(_ app: App) {
        Dashboard.draw(app.dashboard, trace: app.trace, palette: palette, theme: theme, into: &screen)
        backend.present(screen)
        presentedFrames += 1
        onPresent?(app)
    }
}
