/// Decides when to advance the simulation and when to redraw, so the step rate and the refresh rate
/// are independent: at 5,000 steps per second the screen still redraws at most `maxFramesPerSecond`.
///
/// Pure and clock-injected: the caller passes `now` (time since any fixed origin) on every call, so
/// tests drive it with made-up times. A backlog larger than `maxStepsPerTick` is dropped rather than
/// replayed, so a slow machine runs slower instead of freezing to catch up.
public struct FramePacer: Equatable, Sendable {
    /// What to do on this tick.
    public struct Tick: Equatable, Sendable {
        /// Steps to run now.
        public var steps: Int
        /// Whether to draw and present a frame now.
        public var present: Bool

        public init(steps: Int, present: Bool) {
            self.steps = steps
            self.present = present
        }
    }

    /// The speeds `faster()` and `slower()` move between, in steps per second.
    public static let speeds: [Double] = [0.5, 1, 2, 4, 8, 15, 30, 60, 120, 250, 500, 1_000, 2_500, 5_000, 10_000]

    public private(set) var stepsPerSecond: Double
    public private(set) var isPaused: Bool
    public let maxFramesPerSecond: Double
    public let maxStepsPerTick: Int
    private var nextStepAt: Duration
    private var nextFrameAt: Duration
    private var isDirty: Bool

    /// A pacer at `stepsPerSecond`, presenting at most `maxFramesPerSecond`, starting at `now`.
    public init(stepsPerSecond: Double, maxFramesPerSecond: Double = 30, maxStepsPerTick: Int = 1_000,
                paused: Bool = false, now: Duration) {
        self.stepsPerSecond = max(0.01, stepsPerSecond)
        self.maxFramesPerSecond = max(1, maxFramesPerSecond)
        self.maxStepsPerTick = max(1, maxStepsPerTick)
        isPaused = paused
        nextStepAt = now + Self.interval(self.stepsPerSecond)
        nextFrameAt = now
        isDirty = true
    }

    static func interval(_ perSecond: Double) -> Duration { .nanoseconds(Int64((1e9 / perSecond).rounded())) }

    /// Asks for a redraw at the next frame slot (after a key, a resize, a manual step).
    public mutating func markDirty() { isDirty = true }

    /// Steps due since the last tick, and whether a frame is due. Call once per loop turn.
    public mutating func tick(now: Duration) -> Tick {
        var steps = 0
        if !isPaused {
            let interval = Self.interval(stepsPerSecond)
            while nextStepAt <= now && steps < maxStepsPerTick {
                steps += 1
                nextStepAt += interval
            }
            if nextStepAt <= now { nextStepAt = now + interval }
        }
        if steps > 0 { isDirty = true }
        guard isDirty, now >= nextFrameAt else { return Tick(steps: steps, present: false) }
        isDirty = false
        nextFrameAt = now + Self.interval(maxFramesPerSecond)
        return Tick(steps: steps, present: true)
    }

    /// How long the caller may wait for a key before the next step or frame is due (0 when one is due;
    /// `idle` when nothing is pending). Pass it as the key-read timeout.
    public func millisecondsUntilNextEvent(now: Duration, idle: Int = 250) -> Int {
        var deadline: Duration? = isPaused ? nil : nextStepAt
        if isDirty { deadline = min(deadline ?? nextFrameAt, nextFrameAt) }
        guard let deadline else { return idle }
        let wait = deadline - now
        guard wait > .zero else { return 0 }
        let (seconds, attoseconds) = wait.components
        let milliseconds = seconds * 1_000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int(min(Int64(idle), milliseconds))
    }

    /// Pauses or resumes; resuming starts counting steps from `now` (no burst for the paused time).
    public mutating func setPaused(_ paused: Bool, now: Duration) {
        if isPaused && !paused { nextStepAt = now + Self.interval(stepsPerSecond) }
        isPaused = paused
        isDirty = true
    }

    /// Changes the speed; the next step comes one new interval after `now`.
    public mutating func setSpeed(_ stepsPerSecond: Double, now: Duration) {
        self.stepsPerSecond = max(0.01, stepsPerSecond)
        nextStepAt = now + Self.interval(self.stepsPerSecond)
        isDirty = true
    }

    /// Moves to the next speed in `speeds` above the current one (stays at the top).
    public mutating func faster(now: Duration) {
        setSpeed(Self.speeds.first { $0 > stepsPerSecond } ?? Self.speeds[Self.speeds.count - 1], now: now)
    }

    /// Moves to the next speed in `speeds` below the current one (stays at the bottom).
    public mutating func slower(now: Duration) {
        setSpeed(Self.speeds.last { $0 < stepsPerSecond } ?? Self.speeds[0], now: now)
    }
}
