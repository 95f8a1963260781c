import Clocks
import GridWorld
import Engine
import Tapes
import Terminal

/// The replay screen's state and reducer: a tape played back, scrubbed, and jumped through by episode and event.
///
/// Like `WatchApp` it is driven by commands and ticks with an injected time, and draws through `Dashboard`, so
/// a replayed step looks exactly as it did live. Jumps refill the trace from up to `traceDepth` steps before
/// the target, so the chart, log and heat maps describe the past of the frame shown.
public struct ReplayApp: DashboardApp {
    public private(set) var engine: ReplayEngine
    public private(set) var trace: Trace
    /// Play of each episode of the shown step's trial, through that step.
    public private(set) var trialPlay = TrialPlay()
    /// The steps with play, from the first step of the shown step's run (the tape's, or its training snapshot's) through
    /// `through`: the HUD's play ratio, as the live screen counted it, from what the tape recorded.
    private var runPlay = (through: -1, played: 0)
    public private(set) var isPlaying: Bool
    public private(set) var pacer: FramePacer
    public private(set) var speedIndex: Int
    public private(set) var overlay: Overlay?
    public private(set) var showsHelp = false
    public private(set) var message: String?
    public private(set) var isFinished = false
    public private(set) var failure: String?
    public private(set) var needsPresent = true
    let traceDepth: Int
    /// Reads what a writer appends to the tape (`watch --follow`); nil for a finished tape.
    let follower: TapeFollower?
    /// Keeping to the newest step as the tape grows (space stops and resumes this).
    public private(set) var isFollowing = false
    private var lastPoll: Duration = .zero
    /// How often a followed tape is read.
    static let pollInterval = Duration.milliseconds(200)

    /// A replay of `engine`'s tape standing at step `at` (from 0), paused.
    public init(engine: ReplayEngine, at: Int = 0, traceDepth: Int = 300, now: Duration = .zero) throws(TapeError) {
        try self.init(engine: engine, follower: nil, at: at, traceDepth: traceDepth, now: now)
    }

    /// Follows a tape another process is writing, standing at its newest step. `follower` must have read
    /// at least one step.
    public init(following follower: TapeFollower, traceDepth: Int = 300, now: Duration = .zero) throws(TapeError) {
        guard let reader = follower.reader else {
            throw TapeError(.misuse, path: follower.path, "the tape has no header yet")
        }
        try self.init(engine: try ReplayEngine(reader: reader), follower: follower,
                      at: reader.snapshots.last?.firstStep ?? reader.stepCount - 1, traceDepth: traceDepth, now: now)
        isFollowing = true
        lastPoll = now
        if !reader.snapshots.isEmpty {
            // The newest training snapshot, played from its start.
            isPlaying = true
            pacer.setPaused(false, now: now)
        }
    }

    private init(engine: ReplayEngine, follower: TapeFollower?, at: Int, traceDepth: Int, now: Duration) throws(TapeError) {
        self.engine = engine
        self.follower = follower
        self.traceDepth = traceDepth
        let reader = engine.reader
        trace = Trace(capacity: traceDepth, components: reader.header.funComponents.count,
                      mapWidth: reader.scenario.map.width, mapHeight: reader.scenario.map.height)
        isPlaying = false
        speedIndex = FramePacer.speeds.firstIndex { $0 >= WatchApp.defaultSpeed } ?? 0
        pacer = FramePacer(stepsPerSecond: FramePacer.speeds[speedIndex], paused: true, now: now)
        guard engine.count > 0 else { throw TapeError(.misuse, path: reader.path, "the tape has no steps to replay") }
        try jump(to: min(max(0, at), engine.count - 1))
    }

    public var frame: Frame { engine.frame! }
    public var position: Int { engine.position ?? 0 }

    public var dashboard: DashboardState {
        let header = engine.reader.header
        return DashboardState(scenarioName: engine.reader.scenario.name, seed: header.seed, agentName: header.agent,
                              funNames: header.funComponents, frame: frame,
                              episodesPerTrial: engine.reader.scenario.episodesPerTrial, mode: follower == nil ? .replay : .follow,
                              speed: isPlaying ? FramePacer.speeds[speedIndex] : nil, overlay: overlay, showsHelp: showsHelp,
                              playRatio: Double(runPlay.played) / Double(max(1, position - runStart(of: position) + 1)),
                              playByEpisode: trialPlay.ratios, message: message,
                              position: snapshotPosition ?? "tape step \(position + 1) of \(engine.count)"
                                  + (follower == nil ? "" : isFollowing ? (follower!.isFinished ? ", finished" : ", live") : ", paused"),
                              isFollowing: isFollowing)
    }

    /// On a tape of training snapshots: which snapshot is shown, and the update and training step it was taken at (short:
    /// the HUD's column is narrow, and the step within the snapshot is the HUD's own trial, episode and step).
    var snapshotPosition: String? {
        let reader = engine.reader
        guard let i = reader.snapshotIndex(containing: position) else { return nil }
        let s = reader.snapshots[i]
        let state = follower == nil ? "" : isFollowing ? (follower!.isFinished ? ", finished" : ", live") : ", paused"
        return "snapshot \(i + 1)/\(reader.snapshots.count) · update \(s.update) · \(Format.count(s.trainingStep))" + state
    }

    public mutating func handle(key: Key, now: Duration) {
        guard let command = KeyMap.command(for: key, in: .replay) else { return }
        handle(command, now: now)
    }

    public mutating func handle(_ command: Command, now: Duration) {
        message = nil
        needsPresent = true
        do {
            switch command {
            case .quit: isFinished = true
            case .help: showsHelp.toggle()
            case .dismiss: showsHelp = false
            case .resize, .takeOver, .move, .use, .play: break
            case .toggleOverlay(let chosen): overlay = overlay == chosen ? nil : chosen
            case .togglePause:
                if follower != nil {
                    if isFollowing {
                        // Stops a snapshot being played too, not only the jump to the next one.
                        pause(now: now)
                    } else {
                        isFollowing = true
                        try catchUp()
                        // Following plays the newest snapshot of a training tape: carry on from where it was paused.
                        if !engine.reader.snapshots.isEmpty && !isPlaying && position < engine.count - 1 {
                            isPlaying = true
                            pacer.setPaused(false, now: now)
                        }
                    }
                } else {
                    isPlaying.toggle()
                    pacer.setPaused(!isPlaying, now: now)
                }
            case .faster, .slower:
                speedIndex = max(0, min(FramePacer.speeds.count - 1, speedIndex + (command == .faster ? 1 : -1)))
                pacer.setSpeed(FramePacer.speeds[speedIndex], now: now)
            case .stepForward:
                pause(now: now)
                try forward()
            case .stepBack:
                pause(now: now)
                try back()
            case .nextEpisode:
                pause(now: now)
                if try engine.nextEpisode() != nil { try jump(to: position) } else { message = "this is the last episode" }
            case .previousEpisode:
                pause(now: now)
                if try engine.previousEpisode() != nil { try jump(to: position) } else { message = "this is the first episode" }
            case .nextEvent:
                pause(now: now)
                try seekEvent(forward: true)
            case .previousEvent:
                pause(now: now)
                try seekEvent(forward: false)
            case .nextSnapshot, .previousSnapshot:
                pause(now: now)
                let forward = command == .nextSnapshot
                if engine.reader.snapshots.isEmpty {
                    message = "this tape holds no training snapshots (playgrid train --tapes writes them)"
                } else if try (forward ? engine.nextSnapshot() : engine.previousSnapshot()) != nil {
                    try jump(to: position)
                } else {
                    message = forward ? "this is the newest snapshot" : "this is the first snapshot"
                }
            }
        } catch {
            failure = "\(error)"
            isFinished = true
        }
    }

    private mutating func pause(now: Duration) {
        isPlaying = false
        isFollowing = false
        pacer.setPaused(true, now: now)
    }

    /// What the last step of a replayed tape says: a tape cut short or damaged after it ends there, not where it was
    /// recorded to, and the replay must not pass that off as the run's end.
    static func endOfTape(_ problem: TapeError?) -> String {
        guard let problem else { return "this is the last step of the tape" }
        return problem.kind == .truncated
            ? "the tape is cut short here: its writer did not finish"
            : "the tape is damaged after this step (playgrid tape verify says where)"
    }

    /// One step forward; false at the end of the tape.
    @discardableResult
    private mutating func forward() throws(TapeError) -> Bool {
        guard let next = try engine.forward() else {
            message = follower == nil ? Self.endOfTape(engine.reader.problem) : "this is the last step of the tape"
            return false
        }
        if engine.reader.snapshotStarts(at: position) {
            // A training snapshot's run begins: the trace starts afresh with it, as a jump to it does.
            try jump(to: position)
        } else {
            remember(next)
            try countRunPlay()
        }
        return true
    }

    /// One step back, taking the step left out of the trace and the trial's play; a trace that runs out is filled
    /// again from the tape.
    private mutating func back() throws(TapeError) {
        let undone = frame
        guard try engine.backward() != nil else {
            message = "this is the first step of the tape"
            return
        }
        try countRunPlay()
        guard trace.count > 1 else { return try jump(to: position) }
        trace.pop()
        if undone.trial == frame.trial {
            trialPlay.remove(episode: undone.episode, played: undone.decision?.action.play != PlayAction.none)
        } else {
            _ = try countTrial(of: position, before: position + 1)
        }
    }

    /// Adds a step just shown to the trace and to its trial's play.
    private mutating func remember(_ frame: Frame) {
        if frame.step == 1 && frame.episode == 0 { trialPlay.removeAll() }
        trialPlay.add(episode: frame.episode, played: frame.decision?.action.play != PlayAction.none)
        trace.push(frame)
    }

    /// Goes to step `index`, rebuilding the trace from the steps before it in its run (a training snapshot's steps are
    /// another policy's play from the start), and the trial's play and the hidden rules it has seen work from the tape.
    private mutating func jump(to index: Int) throws(TapeError) {
        let from = max(runStart(of: index), index - traceDepth + 1)
        let first = try engine.recorded(from)
        trace.removeAll(trial: first.trial, rulesSeen: try countTrial(of: from, before: from))
        var frame = try engine.seek(to: from)
        remember(frame)
        while engine.position! < index {
            frame = try engine.forward()!
            remember(frame)
        }
        try countRunPlay()
    }

    /// Where the run that step `index` belongs to begins: its training snapshot's first step, or the tape's.
    func runStart(of index: Int) -> Int {
        let reader = engine.reader
        return reader.snapshotIndex(containing: index).map { reader.snapshots[$0].firstStep } ?? 0
    }

    /// Brings `runPlay` to the shown step, counting only the recorded steps between where it stood and here when both
    /// are in one run, so stepping and jumping stay cheap on a long tape.
    private mutating func countRunPlay() throws(TapeError) {
        let target = position, start = runStart(of: target)
        func played(_ i: Int) throws(TapeError) -> Int { try engine.recorded(i).action.play != .none ? 1 : 0 }
        if runPlay.through < 0 || runStart(of: runPlay.through) != start {
            runPlay = (start - 1, 0)
        }
        while runPlay.through < target {
            runPlay.through += 1
            runPlay.played += try played(runPlay.through)
        }
        while runPlay.through > target {
            runPlay.played -= try played(runPlay.through)
            runPlay.through -= 1
        }
    }

    /// Counts the play of the trial that step `index` is in, from its first step up to (not including) `end`, as
    /// `trialPlay`, from what the tape recorded (no simulation); returns the hidden rules (bit `Mechanic.rawValue`)
    /// that worked in those steps.
    private mutating func countTrial(of index: Int, before end: Int) throws(TapeError) -> UInt8 {
        let step = try engine.recorded(index)
        let starts = engine.reader.episodeStarts
        let episodeStart = step.index - (step.step - 1)
        let found = starts.lastIndex { $0 <= episodeStart } ?? 0
        let trialStart = starts.isEmpty ? 0 : starts[max(0, found - step.episode)]
        trialPlay.removeAll()
        var seen: UInt8 = 0
        for i in trialStart..<end {
            let s = try engine.recorded(i)
            trialPlay.add(episode: s.episode, played: s.action.play != .none)
            seen |= s.events.mechanics
        }
        return seen
    }

    /// The nearest step before or after this one that the event log would mention.
    private mutating func seekEvent(forward: Bool) throws(TapeError) {
        let start = position
        var index = start
        while true {
            index += forward ? 1 : -1
            guard index >= 0, index < engine.count else {
                message = forward ? "no more events on the tape" : "no earlier events on the tape"
                return
            }
            let step = try engine.recorded(index)
            var events = step.events
            events.remove(.moved)
            if !events.isEmpty || Format.showsNonZero(step.taskReward) || step.fun.contains(where: Format.showsNonZero)
                || step.outcome.endsEpisode {
                if forward && index - start < 50 {
                    while position < index { try self.forward() }
                } else {
                    try jump(to: index)
                }
                return
            }
        }
    }

    /// Reads what was appended to a followed tape and, when following, moves to its newest step.
    private mutating func poll() throws(TapeError) {
        guard let follower else { return }
        let fresh = try follower.poll()
        guard !fresh.isEmpty, let reader = follower.reader else { return }
        engine.update(reader)
        if isFollowing { try catchUp() }
        needsPresent = true
    }

    /// Steps forward to the newest step on the tape (jumping when far behind). On a tape of training snapshots a new
    /// snapshot lands whole: it is played from its first step at the replay speed instead.
    private mutating func catchUp() throws(TapeError) {
        if let newest = engine.reader.snapshots.last {
            guard engine.reader.snapshotIndex(containing: position) != engine.reader.snapshots.count - 1 else { return }
            try jump(to: newest.firstStep)
            isPlaying = true
            pacer.setPaused(false, now: lastPoll)
            return
        }
        let last = engine.count - 1
        if last - position > traceDepth { return try jump(to: last) }
        while position < last { try forward() }
    }

    /// Steps due and whether to present.
    public mutating func tick(now: Duration) -> FramePacer.Tick {
        if follower != nil, now - lastPoll >= ReplayApp.pollInterval {
            lastPoll = now
            do { try poll() } catch {
                failure = "\(error)"
                isFinished = true
            }
        }
        let paced = pacer.tick(now: now)
        let present = paced.present || needsPresent
        needsPresent = false
        return FramePacer.Tick(steps: isPlaying ? paced.steps : 0, present: present)
    }

    /// Plays up to `steps` steps; stops (paused) at the end of the tape. Replay is cheap, so no deadline.
    @discardableResult
    public mutating func advance(steps: Int, deadline: Duration, clock: any MonotonicClock) -> Int {
        do {
            for _ in 0..<steps where isPlaying {
                if try !forward() {
                    isPlaying = false
                    pacer.setPaused(true, now: .zero)
                }
            }
        } catch {
            failure = "\(error)"
            isFinished = true
        }
        if steps > 0 { pacer.markDirty() }
        return steps
    }

    public func keyTimeout(now: Duration) -> Int {
        if needsPresent { return 0 }
        let wait = pacer.millisecondsUntilNextEvent(now: now)
        return follower == nil ? wait : min(wait, Int(ReplayApp.pollInterval / .milliseconds(1)))
    }
}
