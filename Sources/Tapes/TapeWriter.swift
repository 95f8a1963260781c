import Clocks
import Fun
import GridWorld
import Engine

/// Records a run as a tape file: feed it every frame (from `Runner.run(onStep:)` or an interactive session).
///
/// Append-only: the header goes out at once, then a key frame before every `keyframeEvery` chunks and one
/// record per chunk of `chunkSize` steps, written whole (batched while they come faster than ten a second), then
/// an end record from `finish()`. A writer that is killed leaves a tape whose every complete record reads back;
/// it loses at most the records of its last 0.1 s.
///
/// `TapeEncoder` (module TapeCodec) makes the records; this is the file edge: when a chunk is due, when records go
/// to the file, and the file itself. Recording costs no simulation (key frames are taken from the frames), and the
/// writer checks what is cheap to check on every step — the counters follow on, and the MDP seeds are those of the
/// tape's seed — leaving the full check to `tape verify`, which re-simulates.
public final class TapeWriter {
    public let header: TapeHeader
    public let scenario: Scenario
    public let path: String
    /// Everything a step changes, in one value. Unchecked: a writer is used from one thread, and a dynamic
    /// exclusivity check per step would cost a tenth of what recording a step costs.
    @exclusivity(unchecked) private var core: Core

    struct Core {
        var encoder: TapeEncoder
        var output: TapeOutput
        /// What batching and the chunk deadline read; a test passes a `ManualClock`.
        let clock: any MonotonicClock
        /// When the chunk being gathered got its first step, and whether the last one took 0.25 s or more.
        var chunkStarted: UInt64 = 0
        var slowChunks = true
        /// When records last went to the file.
        var lastWrite: UInt64 = 0
    }

    /// Steps recorded so far.
    public var steps: Int { core.encoder.steps }
    /// The update of the last training snapshot on the tape (one continued included), if any.
    public private(set) var lastSnapshotUpdate: Int?
    /// Bytes recorded so far (those of the last 0.1 s may still wait in memory for the next write).
    public var bytesWritten: Int { core.encoder.byteCount }

    /// Opens a tape file for a run; refuses to overwrite an existing file unless `force`. `clock` times the
    /// batching of writes (see `append`).
    public convenience init(path: String, scenario: Scenario, origin: String, seed: UInt64, agent: String,
                            checkpointHash: String? = nil, fun: FunSpec, force: Bool = false,
                            chunkSize: Int = TapeFormat.defaultChunkSize,
                            keyframeEvery: Int = TapeFormat.defaultKeyframeEvery,
                            clock: any MonotonicClock = SystemClock()) throws(TapeError) {
        let header = TapeHeader(scenarioText: scenario.sourceText, scenarioOrigin: origin, seed: seed, agent: agent,
                                checkpointHash: checkpointHash, funSpec: fun.description, funComponents: fun.terms.map(\.model),
                                chunkSize: chunkSize, keyframeEvery: keyframeEvery)
        try self.init(path: path, header: header, scenario: scenario, force: force, clock: clock)
    }

    /// Opens a tape file with a header made by the caller. `scenario` must be the header's text, parsed; `snapshots`
    /// opens a tape of training snapshots (see `beginSnapshot`).
    public init(path: String, header: TapeHeader, scenario: Scenario, force: Bool = false, snapshots: Bool = false,
                clock: any MonotonicClock = SystemClock()) throws(TapeError) {
        self.header = header
        self.scenario = scenario
        self.path = path
        let encoder = try TapeEncoder(header: header, scenario: scenario, path: path, snapshots: snapshots)
        core = Core(encoder: encoder, output: try TapeOutput.create(path: path, force: force, signature: TapeFormat.magic), clock: clock)
        try core.writeOut()
    }

    /// Goes on with a tape of training snapshots at `path`, written for a run of `header` (scenario text, seed, fun),
    /// for a run resumed at update `update`: the tape is cut back to its snapshots up to that update (its end record,
    /// and what a killed run recorded past its checkpoint or cut short), and the snapshots that follow are appended.
    /// Refuses a damaged tape, one of plain runs or of another run, with one line.
    public init(continuing path: String, header: TapeHeader, resumingAt update: Int, clock: any MonotonicClock = SystemClock()) throws(TapeError) {
        let reader = try TapeReader(path: path)
        let old = reader.header
        guard old.scenarioText == header.scenarioText, old.seed == header.seed, old.funComponents == header.funComponents else {
            throw TapeError(.misuse, path: path, "was recorded for another scenario, seed or fun, so it cannot be continued; give another folder")
        }
        let encoder = try TapeEncoder(continuing: reader, resumingAt: update)
        self.header = old
        scenario = reader.scenario
        self.path = path
        core = Core(encoder: encoder, output: try TapeOutput.reopen(path: path, keeping: encoder.byteCount), clock: clock)
        lastSnapshotUpdate = encoder.lastSnapshotUpdate
    }

    /// A writer that keeps the tape in memory (`bytes`), for tests and measurements.
    public init(inMemory header: TapeHeader, scenario: Scenario, name: String = "(memory)", snapshots: Bool = false,
                clock: any MonotonicClock = SystemClock()) throws(TapeError) {
        self.header = header
        self.scenario = scenario
        path = name
        core = Core(encoder: try TapeEncoder(header: header, scenario: scenario, path: name, snapshots: snapshots),
                    output: .memory([]), clock: clock)
        try core.writeOut()
    }

    /// The tape so far, for a writer made `inMemory`.
    public var bytes: [UInt8] {
        if case .memory(let b) = core.output { return b }
        return []
    }

    /// Records one frame. Frames without a step (an episode's opening frame) are skipped.
    ///
    /// Throws `misuse` when the frame does not follow the tape (its counters, or MDP seeds not of the tape's
    /// seed), and `io` when the file cannot be written. O(1) amortised; a chunk is encoded and written every
    /// `chunkSize` steps (or sooner, once a chunk has waited a second: a slow run, such as a screen being watched,
    /// reaches the file, and a follower, within about a second), with the key frame that follows it taken from
    /// the frame that completes it.
    public func append(_ frame: Frame) throws(TapeError) {
        // Field by field: copying the whole decision or reward out of the frame costs more than recording it;
        // and most agents say nothing but their action, so that path carries no outputs to build and destroy.
        guard let transition = frame.transition, let action = frame.decision?.action, frame.reward != nil else { return }
        let counters = (frame.trial, frame.episode, frame.step)
        if frame.decision.unsafelyUnwrapped.hasOutputs {
            let d = frame.decision.unsafelyUnwrapped
            let outputs = AgentOutputs(taskProbabilities: d.taskProbabilities, playProbabilities: d.playProbabilities, value: d.value,
                                       recall: d.recall.map { ($0.similarity, $0.gate) },
                                       memory: d.memory.map { ($0.taskValues, $0.size, $0.nearest) },
                                       skill: d.skill.map { ($0.given, $0.recognised, $0.reward) })
            try frame.reward.unsafelyUnwrapped.fun.withUnsafeBufferPointer { fun throws(TapeError) in
                try core.append(action: action, transition: transition, counters: counters, generators: frame.generators,
                                fun: fun, outputs: outputs, manual: frame.manual)
            }
        } else {
            try frame.reward.unsafelyUnwrapped.fun.withUnsafeBufferPointer { fun throws(TapeError) in
                try core.append(action: action, transition: transition, counters: counters, generators: frame.generators,
                                fun: fun, outputs: nil, manual: frame.manual)
            }
        }
        if core.chunkIsDue() {
            try core.completeChunk(after: frame.snapshot, initialCells: frame.world.rules.initialCells)
        }
    }

    /// Records one step given its parts: `after` is the trial world the action left (before any next episode begins).
    public func append(action: ActionPair, transition: Transition, after: TrialWorld, fun: [Float],
                       outputs: AgentOutputs? = nil, manual: Bool = false) throws(TapeError) {
        try fun.withUnsafeBufferPointer { fun throws(TapeError) in
            try core.append(action: action, transition: transition, counters: (after.trial, after.episode, after.world.state.step),
                            generators: after.generators, fun: fun, outputs: outputs, manual: manual)
        }
        if core.chunkIsDue() {
            try core.completeChunk(after: after.snapshot, initialCells: after.world.rules.initialCells)
        }
    }

    /// Starts a training snapshot on a tape opened with `snapshots`: the frames that follow are a run from the tape's
    /// seed again (trial 0, episode 0, step 1), played by the policy after `update` updates and `trainingStep`
    /// environment steps. Call `flush()` after its last frame so that a follower sees it whole at once.
    public func beginSnapshot(update: Int, trainingStep: Int) throws(TapeError) {
        try core.encoder.beginSnapshot(update: update, trainingStep: trainingStep)
        lastSnapshotUpdate = update
    }

    /// Writes the steps gathered so far as a chunk record (a short one if the chunk is not full).
    public func flush() throws(TapeError) {
        try core.flush()
    }

    /// Flushes, writes the end record (the totals) and closes the file. The tape is then complete.
    public func finish() throws(TapeError) {
        try core.finish()
    }

    deinit {
        // An unfinished tape stays as it is: truncated, every complete record readable.
        try? core.writeOut()
        try? core.output.close()
    }
}


extension TapeWriter.Core {
    mutating func append(action: ActionPair, transition: Transition, counters: (trial: Int, episode: Int, step: Int),
                         generators: TrialWorld.Generators, fun: UnsafeBufferPointer<Float>, outputs: AgentOutputs?,
                         manual: Bool) throws(TapeError) {
        guard encoder.stepsInChunk == 0 else {
            return try encoder.append(action: action, transition: transition, counters: counters, generators: generators,
                                      fun: fun, outputs: outputs, manual: manual)
        }
        // The first step of a chunk: its deadline starts now, and the key frame framed before it may be due out.
        let framed = encoder.records.count
        try encoder.append(action: action, transition: transition, counters: counters, generators: generators,
                           fun: fun, outputs: outputs, manual: manual)
        chunkStarted = clock.nanoseconds
        if encoder.records.count != framed { try writeOutIfDue() }
    }

    /// The chunk is full, or it has waited a second. The clock (~50 ns a read) is read on every step only while
    /// chunks take a while to fill (the last took 0.25 s or more), else on every 64th. Inlined: it is asked
    /// every step, and usually answers from two comparisons.
    @inline(__always)
    mutating func chunkIsDue() -> Bool {
        let n = encoder.stepsInChunk
        if n >= encoder.chunkSize { return true }
        guard slowChunks || n & 63 == 0 else { return false }
        return clock.nanoseconds &- chunkStarted >= 1_000_000_000
    }

    /// Closes a chunk; `after` is the trial world after its last step, the next key frame when one is due.
    mutating func completeChunk(after: TrialWorld.Snapshot, initialCells: ContiguousArray<UInt8>) throws(TapeError) {
        slowChunks = clock.nanoseconds &- chunkStarted >= 250_000_000
        encoder.completeChunk(after: after, initialCells: initialCells)
        try writeOutIfDue()
    }

    /// Closes the chunk and writes every waiting record.
    mutating func flush() throws(TapeError) {
        encoder.closeChunk()
        try writeOut()
    }

    /// Frames the end record, writes everything and closes the file.
    mutating func finish() throws(TapeError) {
        guard !encoder.isFinished else { return }
        encoder.finish()
        try writeOut()
        try output.close()
    }

    /// Records go to the file whole, in one system call per batch: at once when the last write was 0.1 s ago or
    /// more (a slow run, or a live screen, writes every record as it completes), else once 32 KiB wait or the next
    /// record finds 0.1 s gone (a fast run writes about ten times a second).
    mutating func writeOutIfDue() throws(TapeError) {
        if encoder.records.count >= 32 << 10 || clock.nanoseconds &- lastWrite >= 100_000_000 { try writeOut() }
    }

    /// Writes every waiting record.
    mutating func writeOut() throws(TapeError) {
        guard !encoder.records.isEmpty else { return }
        try output.write(encoder.records)
        encoder.records.removeAll(keepingCapacity: true)
        lastWrite = clock.nanoseconds
    }
}

/// One training snapshot as it was played, for a screen to show as it lands: which policy, the run's report, and its
/// frames (what `TrainingTapes` in MetaAgents appends to a tape, and the training screen replays).
public struct PlayedSnapshot: Sendable {
    public var scenario: String
    public var update: Int
    public var trainingStep: Int
    public var report: RunReport
    public var frames: [Frame]

    public init(scenario: String, update: Int, trainingStep: Int, report: RunReport, frames: [Frame]) {
        self.scenario = scenario
        self.update = update
        self.trainingStep = trainingStep
        self.report = report
        self.frames = frames
    }
}
