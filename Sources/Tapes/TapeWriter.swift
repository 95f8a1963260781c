import Checksum
import Clocks
import Fun
import GridWorld
import Engine

/// Records a run as a tape: feed it every frame (from `Runner.run(onStep:)` or an interactive session).
///
/// Append-only: the header goes out at once, then a key frame before every `keyframeEvery` chunks and one
/// record per chunk of `chunkSize` steps, written whole (batched while they come faster than ten a second), then
/// an end record from `finish()`. A writer that is killed leaves a tape whose every complete record reads back;
/// it loses at most the records of its last 0.1 s.
///
/// Key frames are taken from the frames themselves (a frame carries the world and its generators), so recording
/// costs no simulation. The writer checks what is cheap to check on every step — the counters follow on, and the
/// MDP seeds are those of the tape's seed — and leaves the full check to `tape verify`, which re-simulates.
public final class TapeWriter {
    public let header: TapeHeader
    public let scenario: Scenario
    public let path: String
    /// Everything a step changes, in one value. Unchecked: a writer is used from one thread, and a dynamic
    /// exclusivity check per step would cost a tenth of what recording a step costs.
    @exclusivity(unchecked) private var core: Core

    struct Core {
        /// What steps are checked against, copied out of the header: reading the header (strings and arrays) on
        /// every step would cost a dozen reference-count updates.
        let chunkSize: Int
        let keyframeEvery: Int
        let components: Int
        let episodesPerTrial: Int
        let seed: UInt64
        let path: String
        /// What batching and the chunk deadline read; a test passes a `ManualClock`.
        let clock: any MonotonicClock
        var output: TapeOutput
        /// The last recorded step ended its episode.
        var pendingEpisode = false
        var chunk: TapeChunk
        var chunksWritten = 0
        var finished = false
        /// The key frame to write before the next chunk, with its level's starting cells (what its grid is
        /// stored against): taken from the frame that completed the last chunk.
        var nextKeyframe: (frame: TapeKeyframe, initialCells: ContiguousArray<UInt8>)?
        /// Counters the next frame must carry.
        var expected: (trial: Int, episode: Int, step: Int) = (0, 0, 1)
        /// The MDP seed generator as the recorded trial world must have it now (advanced once per trial).
        var levelSeeds: SplitMix64
        var steps = 0
        var bytesWritten = 0
        var sink = ByteSink()
        /// When the chunk being gathered got its first step, and whether the last one took 0.25 s or more.
        var chunkStarted: UInt64 = 0
        var slowChunks = true
        /// Whole records not yet written, and when records last went to the file.
        var pending: [UInt8] = []
        var lastWrite: UInt64 = 0
    }

    /// Steps recorded so far.
    public var steps: Int { core.steps }
    /// Bytes recorded so far (those of the last 0.1 s may still wait in memory for the next write).
    public var bytesWritten: Int { core.bytesWritten }

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

    /// Opens a tape file with a header made by the caller. `scenario` must be the header's text, parsed.
    public init(path: String, header: TapeHeader, scenario: Scenario, force: Bool = false,
                clock: any MonotonicClock = SystemClock()) throws(TapeError) {
        try Self.check(header, scenario, path: path)
        self.header = header
        self.scenario = scenario
        self.path = path
        let start = try Self.startWorld(scenario, header, path)
        core = Core(output: try TapeOutput.create(path: path, force: force), header: header, scenario: scenario, start: start,
                    path: path, clock: clock)
        try core.start(header)
    }

    /// A writer that keeps the tape in memory (`bytes`), for tests and measurements.
    public init(inMemory header: TapeHeader, scenario: Scenario, name: String = "(memory)",
                clock: any MonotonicClock = SystemClock()) throws(TapeError) {
        try Self.check(header, scenario, path: name)
        self.header = header
        self.scenario = scenario
        path = name
        let start = try Self.startWorld(scenario, header, name)
        core = Core(output: .memory([]), header: header, scenario: scenario, start: start, path: name, clock: clock)
        try core.start(header)
    }

    private static func startWorld(_ scenario: Scenario, _ header: TapeHeader, _ path: String) throws(TapeError) -> TrialWorld {
        do {
            return try TrialWorld(scenario: scenario, seed: header.seed)
        } catch {
            throw TapeError(.badScenario, path: path, "the scenario cannot start: \(error)")
        }
    }

    private static func check(_ header: TapeHeader, _ scenario: Scenario, path: String) throws(TapeError) {
        guard !header.scenarioText.isEmpty else {
            throw TapeError(.badScenario, path: path, "the scenario has no source text (built in code?); a tape needs the scenario file's text to replay")
        }
        guard header.chunkSize >= 1, header.chunkSize <= 1 << 20, header.keyframeEvery >= 1, header.keyframeEvery <= 1 << 20 else {
            throw TapeError(.misuse, path: path, "chunk size and key-frame interval must be from 1 to \(1 << 20)")
        }
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
            let outputs = AgentOutputs(taskProbabilities: d.taskProbabilities, playProbabilities: d.playProbabilities, value: d.value)
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
    init(output: TapeOutput, header: TapeHeader, scenario: Scenario, start: TrialWorld, path: String, clock: any MonotonicClock) {
        chunkSize = header.chunkSize
        keyframeEvery = header.keyframeEvery
        components = header.funComponents.count
        episodesPerTrial = scenario.episodesPerTrial
        seed = header.seed
        self.path = path
        self.clock = clock
        self.output = output
        chunk = TapeChunk(components: header.funComponents.count, capacity: header.chunkSize)
        nextKeyframe = (TapeKeyframe(index: 0, snapshot: start.snapshot, pendingEpisode: false), start.world.rules.initialCells)
        levelSeeds = start.generators.levelSeeds
    }

    mutating func start(_ header: TapeHeader) throws(TapeError) {
        pending.append(contentsOf: TapeFormat.prefix)
        bytesWritten = pending.count
        sink.bytes.removeAll(keepingCapacity: true)
        header.encode(into: &sink)
        try emitRecord(.header)
        try writeOut()
    }

    mutating func append(action: ActionPair, transition: Transition, counters: (trial: Int, episode: Int, step: Int),
                         generators: TrialWorld.Generators, fun: UnsafeBufferPointer<Float>, outputs: AgentOutputs?,
                         manual: Bool) throws(TapeError) {
        guard !finished else { throw TapeError(.misuse, path: path, "the tape is finished; nothing more can be recorded") }
        guard fun.count == components else {
            throw TapeError(.misuse, path: path, "step \(steps) has \(fun.count) fun components; the tape records \(components)", step: steps)
        }
        guard counters == expected else {
            throw TapeError(.misuse, path: path, "step \(steps) is trial \(counters.trial) episode \(counters.episode) step \(counters.step); the tape is at trial \(expected.trial) episode \(expected.episode) step \(expected.step)", step: steps)
        }
        guard generators.levelSeeds == levelSeeds else {
            throw TapeError(.misuse, path: path, "step \(steps) does not follow the tape: its MDPs are not drawn from the tape's seed \(seed)", step: steps)
        }
        if chunk.isEmpty {
            if let (keyframe, initialCells) = nextKeyframe {
                sink.bytes.removeAll(keepingCapacity: true)
                keyframe.encode(into: &sink, initialCells: initialCells)
                try emitRecord(.keyframe)
                nextKeyframe = nil
            }
            chunk.firstStep = steps
            (chunk.trial, chunk.episode, chunk.step) = expected
            chunkStarted = clock.nanoseconds
        }
        chunk.append(action: action, transition: transition, fun: fun, outputs: outputs, manual: manual)
        steps += 1
        pendingEpisode = transition.isLast
        if pendingEpisode {
            let next = TapeChunk.nextEpisode(trial: expected.trial, episode: expected.episode, episodesPerTrial: episodesPerTrial)
            if next.0 != expected.trial { _ = levelSeeds.next() }
            expected = (next.0, next.1, 1)
        } else {
            expected.step += 1
        }
    }

    /// The chunk is full, or it has waited a second. The clock (~50 ns a read) is read on every step only while
    /// chunks take a while to fill (the last took 0.25 s or more), else on every 64th. Inlined: it is asked
    /// every step, and usually answers from two comparisons.
    @inline(__always)
    mutating func chunkIsDue() -> Bool {
        let n = chunk.count
        if n >= chunkSize { return true }
        guard slowChunks || n & 63 == 0 else { return false }
        return clock.nanoseconds &- chunkStarted >= 1_000_000_000
    }

    /// Closes a chunk; `after` is the trial world after its last step, the next key frame when one is due.
    mutating func completeChunk(after: TrialWorld.Snapshot, initialCells: ContiguousArray<UInt8>) throws(TapeError) {
        slowChunks = clock.nanoseconds &- chunkStarted >= 250_000_000
        if (chunksWritten + 1) % keyframeEvery == 0 {
            nextKeyframe = (TapeKeyframe(index: steps, snapshot: after, pendingEpisode: pendingEpisode), initialCells)
        }
        try closeChunk()
    }

    /// Encodes the steps gathered so far as a chunk record.
    mutating func closeChunk() throws(TapeError) {
        guard !chunk.isEmpty else { return }
        sink.bytes.removeAll(keepingCapacity: true)
        chunk.encode(into: &sink)
        try emitRecord(.chunk)
        chunk.removeAll()
        chunksWritten += 1
    }

    /// Closes the chunk and writes every waiting record.
    mutating func flush() throws(TapeError) {
        try closeChunk()
        try writeOut()
    }

    mutating func finish() throws(TapeError) {
        guard !finished else { return }
        try closeChunk()
        sink.bytes.removeAll(keepingCapacity: true)
        sink.varint(steps)
        sink.varint(chunksWritten)
        try emitRecord(.end)
        try writeOut()
        finished = true
        try output.close()
    }

    /// Frames a record (kind, length, header checksum, payload, payload checksum) and queues it. Records go to
    /// the file whole, in one system call per batch: at once when the last write was 0.1 s ago or more (a slow
    /// run, or a live screen, writes every record as it completes), else once 32 KiB wait or the next record
    /// finds 0.1 s gone (a fast run writes about ten times a second).
    mutating func emitRecord(_ kind: RecordKind) throws(TapeError) {
        let start = pending.count
        pending.append(kind.rawValue)
        withUnsafeBytes(of: UInt32(sink.bytes.count).littleEndian) { pending.append(contentsOf: $0) }
        let headerCRC = pending.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[start...])) }
        withUnsafeBytes(of: headerCRC.littleEndian) { pending.append(contentsOf: $0) }
        pending.append(contentsOf: sink.bytes)
        withUnsafeBytes(of: CRC32.checksum(sink.bytes).littleEndian) { pending.append(contentsOf: $0) }
        bytesWritten += pending.count - start
        if pending.count >= 32 << 10 || clock.nanoseconds &- lastWrite >= 100_000_000 { try writeOut() }
    }

    /// Writes every waiting record.
    mutating func writeOut() throws(TapeError) {
        guard !pending.isEmpty else { return }
        try output.write(pending)
        pending.removeAll(keepingCapacity: true)
        lastWrite = clock.nanoseconds
    }
}
