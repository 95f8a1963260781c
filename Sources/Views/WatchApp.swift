import Agents
import Clocks
import GridWorld
import Engine
import Terminal

/// The watch and play screens' whole state and its reducer: commands and clock ticks in, state out.
///
/// It owns the session (through a bounded `History`, so any step can be undone), the `Trace` the panels
/// draw from, the mode, the pacer and the overlays. It never touches a terminal: `ScreenDriver` reads keys,
/// feeds them here, and presents `Dashboard.draw(app.dashboard, …)`. Time comes in as `now` from any fixed
/// origin, so tests drive it with made-up times.
///
/// Manual play takes one step per key. Where a play half takes the whole turn (exclusive coupling, the default) a
/// digit plays at once: `2` is the step ⟨stay, kick⟩. Where both halves act together (simultaneous coupling) a digit
/// picks the play half (0 = none) and waits; the next move key, `e`, or `.` (wait) takes the step ⟨that task, the
/// picked play⟩ and clears the pick, so `1` then `.` pushes without moving. `d` alone moves right without playing.
public struct WatchApp: DashboardApp {
    /// The speeds `+` and `-` move between: the pacer's, then as fast as the engine goes.
    public static let speeds: [Double] = FramePacer.speeds + [.infinity]
    /// The speed watch starts at.
    public static let defaultSpeed: Double = 8

    public let scenarioName: String
    public let agentName: String
    public private(set) var history: History
    public private(set) var trace: Trace
    public private(set) var mode: ViewMode
    /// The mode `t` hands control back to.
    private var modeBeforeTakeOver: ViewMode = .live
    public private(set) var pacer: FramePacer
    public private(set) var speedIndex: Int
    public private(set) var overlay: Overlay?
    public private(set) var showsHelp = false
    /// The play half chosen for the next manual step (simultaneous coupling only).
    public private(set) var pendingPlay: PlayAction = .none
    /// What the agent would do now (kept while a person drives).
    public private(set) var preview: Decision?
    /// A notice for the status line; cleared by the next command.
    public private(set) var message: String?
    /// The user asked to quit, or the session failed.
    public private(set) var isFinished = false
    /// Why the session stopped, when it could not go on.
    public private(set) var failure: String?
    /// Something the user did changed the screen: show it now rather than at the next frame slot.
    public private(set) var needsPresent = true
    /// Steps taken since the app started, forward steps only (for benchmarks and tests).
    public private(set) var stepsTaken = 0
    /// Receives each step that extends the furthest point reached (`--record`): stepping back and forward
    /// again does not record twice. A person changing a step already recorded stops the recording, since
    /// a tape holds one path.
    public var recorder: ((Frame) throws -> Void)?
    /// Steps of the session already given to the recorder.
    private var recordedSteps = 0

    /// A watch of `session`, live (or paused, or manual from the first step) at `speed` steps per second.
    public init(session: Session, scenarioName: String? = nil, mode: ViewMode = .live, speed: Double = WatchApp.defaultSpeed,
                historyDepth: Int = 1000, maxFramesPerSecond: Double = 30, now: Duration = .zero) {
        self.scenarioName = scenarioName ?? session.scenario.name
        agentName = session.agent.name
        history = History(session, depth: historyDepth)
        let world = session.world
        trace = Trace(capacity: historyDepth, components: session.funSpec.terms.count, mapWidth: world.width,
                      mapHeight: world.height, trial: session.frame.trial)
        self.mode = mode
        speedIndex = WatchApp.speeds.firstIndex { $0 >= speed } ?? WatchApp.speeds.count - 1
        pacer = FramePacer(stepsPerSecond: min(WatchApp.speeds[speedIndex], FramePacer.speeds.last!),
                           maxFramesPerSecond: maxFramesPerSecond, paused: mode != .live, now: now)
        if mode == .manual {
            // `playgrid play`: t hands the agent the controls and it plays live.
            modeBeforeTakeOver = .live
            preview = history.session.preview()
        }
    }

    public var session: Session { history.session }
    public var frame: Frame { history.frame }
    public var speed: Double { WatchApp.speeds[speedIndex] }
    public var isMaxSpeed: Bool { speed.isInfinite }

    /// What the screen shows now.
    public var dashboard: DashboardState {
        DashboardState(scenarioName: scenarioName, seed: session.seed, agentName: agentName,
                       funNames: session.funSpec.terms.map(\.model), frame: frame,
                       episodesPerTrial: session.scenario.episodesPerTrial, mode: mode,
                       speed: mode == .manual ? nil : speed, overlay: overlay, showsHelp: showsHelp,
                       pendingPlay: pendingPlay, preview: mode == .manual ? preview : nil,
                       playRatio: session.metrics.playRatio, playByEpisode: session.metrics.trialPlay.ratios, message: message)
    }

    // MARK: Keys and commands

    /// Handles a key as the current mode reads it (keys that mean nothing here are ignored).
    public mutating func handle(key: Key, now: Duration) {
        guard let command = KeyMap.command(for: key, in: mode.inputMode) else { return }
        handle(command, now: now)
    }

    /// Applies one command.
    public mutating func handle(_ command: Command, now: Duration) {
        message = nil
        needsPresent = true
        switch command {
        case .quit:
            isFinished = true
        case .help:
            showsHelp.toggle()
        case .dismiss:
            showsHelp = false
        case .resize:
            break
        case .toggleOverlay(let chosen):
            overlay = overlay == chosen ? nil : chosen
        case .togglePause:
            guard mode == .live || mode == .paused else { return }
            setMode(mode == .live ? .paused : .live, now: now)
        case .faster, .slower:
            speedIndex = max(0, min(WatchApp.speeds.count - 1, speedIndex + (command == .faster ? 1 : -1)))
            pacer.setSpeed(min(speed, FramePacer.speeds.last!), now: now)
        case .stepForward:
            if mode == .manual {
                manualStep(.stay)
            } else {
                setMode(.paused, now: now)
                step()
            }
        case .stepBack:
            if mode == .live { setMode(.paused, now: now) }
            stepBack()
            if mode == .manual { pendingPlay = .none; preview = session.preview() }
        case .takeOver:
            if mode == .manual {
                setMode(modeBeforeTakeOver, now: now)
            } else {
                modeBeforeTakeOver = mode
                setMode(.manual, now: now)
            }
        case .move(let direction):
            guard mode == .manual else { return }
            manualStep(WatchApp.taskAction(direction))
        case .use:
            guard mode == .manual else { return }
            manualStep(.use)
        case .play(let number):
            guard mode == .manual else { return }
            guard let play = PlayAction(rawValue: UInt8(clamping: number)) else {
                message = "no play action \(number): the play keys are 0 (none) to \(PlayAction.count - 1)"
                return
            }
            let afforded = play == .none || session.world.rules.playMask & (1 << play.rawValue) != 0
            if session.world.rules.coupling == .exclusive {
                // The play half takes the whole turn, so there is no task half to wait for; no play would be no turn (help
                // and the footer offer 1-6 here), so 0 says so rather than nothing.
                guard play != .none else {
                    message = "0 does nothing here, where a play is the whole turn; . waits a turn"
                    return
                }
                pendingPlay = play
                manualStep(.stay)
                if !afforded { message = "\(play.name) is not afforded in this scenario; it did nothing" }
            } else {
                pendingPlay = play
                if !afforded { message = "\(play.name) is not afforded in this scenario; it will do nothing" }
            }
        case .nextEpisode:
            pauseIfLive(now: now)
            seekForward(limit: frame.world.rules.maxSteps + 1) { $0.transition?.isLast == true }
        case .previousEpisode:
            pauseIfLive(now: now)
            seekBackToEpisodeStart()
        case .nextEvent:
            pauseIfLive(now: now)
            seekForward(limit: 10_000) { StepRecord(frame: $0).isNotable }
        case .previousEvent:
            pauseIfLive(now: now)
            seekBackToEvent()
        case .nextSnapshot, .previousSnapshot:
            break
        }
    }

    static func taskAction(_ direction: Direction) -> TaskAction {
        switch direction {
        case .up: .up
        case .down: .down
        case .left: .left
        case .right: .right
        }
    }

    private mutating func setMode(_ newMode: ViewMode, now: Duration) {
        mode = newMode
        pacer.setPaused(newMode != .live, now: now)
        pendingPlay = .none
        preview = newMode == .manual ? session.preview() : nil
    }

    private mutating func pauseIfLive(now: Duration) {
        if mode == .live { setMode(.paused, now: now) }
    }

    // MARK: Stepping

    /// One step of the agent; false when the session failed.
    @discardableResult
    private mutating func step(manual: ActionPair? = nil) -> Bool {
        do {
            let frame = try history.stepForward(manual: manual)
            trace.push(frame)
            stepsTaken += 1
            if let recorder {
                let reached = session.metrics.steps
                if reached > recordedSteps {
                    try recorder(frame)
                    recordedSteps = reached
                } else if manual != nil {
                    self.recorder = nil
                    message = "recording stopped: a step already on the tape was changed"
                }
            }
            return true
        } catch {
            failure = "the session stopped: \(error)"
            isFinished = true
            return false
        }
    }

    private mutating func manualStep(_ task: TaskAction) {
        step(manual: ActionPair(task, pendingPlay))
        pendingPlay = .none
        preview = session.preview()
    }

    private mutating func stepBack() {
        guard history.stepBack() else {
            message = session.metrics.steps == 0 ? "this is the first step: there is nothing before it"
                : "this is as far back as the history goes (\(history.depth) steps)"
            return
        }
        trace.pop()
    }

    private mutating func seekForward(limit: Int, until found: (Frame) -> Bool) {
        for _ in 0..<limit {
            guard step() else { return }
            if found(frame) { return }
        }
        message = "nothing found in the next \(limit) steps"
    }

    /// Whether the next step begins an episode: the first frame, or one that ended an episode.
    var isAtEpisodeStart: Bool { frame.step == 0 || frame.transition?.isLast == true }

    /// Steps back to where this episode began (or, from there, to where the previous one began).
    private mutating func seekBackToEpisodeStart() {
        guard history.canStepBack else { return stepBack() }
        repeat { stepBack() } while history.canStepBack && !isAtEpisodeStart
    }

    /// Steps back to the last step before this one that the event log mentions.
    private mutating func seekBackToEvent() {
        guard history.canStepBack else { return stepBack() }
        repeat { stepBack() } while history.canStepBack && !(frame.decision != nil && StepRecord(frame: frame).isNotable)
    }

    // MARK: Time

    /// Steps due and whether to present, at `now`. Call once per loop turn.
    public mutating func tick(now: Duration) -> FramePacer.Tick {
        let paced = pacer.tick(now: now)
        var steps = mode == .live ? paced.steps : 0
        if mode == .live && isMaxSpeed { steps = .max }
        let present = paced.present || needsPresent
        needsPresent = false
        return FramePacer.Tick(steps: steps, present: present)
    }

    /// Runs up to `steps` agent steps, stopping early once `clock` reaches `deadline` so keys stay
    /// responsive at any speed. Returns how many ran.
    @discardableResult
    public mutating func advance(steps: Int, deadline: Duration, clock: any MonotonicClock) -> Int {
        var done = 0
        // Reading the clock costs about as much as a cheap world step, so at full speed look every 8 steps.
        let every = steps == .max ? 8 : 1
        while done < steps && mode == .live && !isFinished {
            guard step() else { break }
            done += 1
            if done % every == 0, clock.now >= deadline { break }
        }
        if done > 0 { pacer.markDirty() }
        return done
    }

    /// How long the driver may wait for a key before something is due.
    public func keyTimeout(now: Duration) -> Int {
        if needsPresent || (mode == .live && isMaxSpeed) { return 0 }
        return pacer.millisecondsUntilNextEvent(now: now)
    }
}
