import Fun
import GridWorld
import Session

/// Records a run as a tape: feed it every frame (from `Runner.run(onStep:)` or an interactive session).
///
/// Append-only: the header goes out at once, then a key frame before every `keyframeEvery` chunks and one
/// record per chunk of `chunkSize` steps, each written whole in one system call, then an end record from
/// `finish()`. A writer that is killed leaves a tape whose every complete record reads back.
///
/// The writer re-simulates each recorded action on its own copy of the world (from the scenario and seed): that
/// is where key frames come from, and it checks that the frames it is fed follow the tape (each one's
/// transition must be the one the action gives), so a recorded tape always replays exactly.
public final class TapeWriter {
    public let header: TapeHeader
    public let scenario: Scenario
    public let path: String
    /// Everything a step changes, in one value: one exclusive access per step instead of one per field.
    private var core: Core

    struct Core {
        var output: TapeOutput
        var shadow: TrialWorld
        /// The last recorded step ended its episode.
        var pendingEpisode = false
        var chunk: TapeChunk
        var chunksWritten = 0
        var finished = false
        /// Counters the next frame must carry.
        var expected: (trial: Int, episode: Int, step: Int) = (0, 0, 1)
        var steps = 0
        var bytesWritten = 0
        var sink = ByteSink()
    }

    /// Steps recorded so far.
    public var steps: Int { core.steps }
    /// Bytes written so far.
    public var bytesWritten: Int { core.bytesWritten }

    /// Opens a tape file for a run; refuses to overwrite an existing file unless `force`.
    public convenience init(path: String, scenario: Scenario, origin: String, seed: UInt64, agent: String,
                            checkpointHash: String? = nil, fun: FunSpec, force: Bool = false,
                            chunkSize: Int = TapeFormat.defaultChunkSize,
                            keyframeEvery: Int = TapeFormat.defaultKeyframeEvery) throws(TapeError) {
        let header = TapeHeader(scenarioText: scenario.sourceText, scenarioOrigin: origin, seed: seed, agent: agent,
                                checkpointHash: checkpointHash, funSpec: fun.description, funComponents: fun.terms.map(\.model),
                                chunkSize: chunkSize, keyframeEvery: keyframeEvery)
        try self.init(path: path, header: header, scenario: scenario, force: force)
    }

    /// Opens a tape file with a header made by the caller. `scenario` must be the header's text, parsed.
    public init(path: String, header: TapeHeader, scenario: Scenario, force: Bool = false) throws(TapeError) {
        try Self.check(header, scenario, path: path)
        self.header = header
        self.scenario = scenario
        self.path = path
        let shadow = try Self.startWorld(scenario, header, path)
        core = Core(output: try TapeOutput.create(path: path, force: force), shadow: shadow,
                    chunk: TapeChunk(components: header.funComponents.count, capacity: header.chunkSize))
        try core.start(header)
    }

    /// A writer that keeps the tape in memory (`bytes`), for tests and measurements.
    public init(inMemory header: TapeHeader, scenario: Scenario, name: String = "(memory)") throws(TapeError) {
        try Self.check(header, scenario, path: name)
        self.header = header
        self.scenario = scenario
        path = name
        let shadow = try Self.startWorld(scenario, header, name)
        core = Core(output: .memory([]), shadow: shadow,
                    chunk: TapeChunk(components: header.funComponents.count, capacity: header.chunkSize))
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
    /// Throws `misuse` when the frame does not follow the tape (wrong counters, or its transition is not what
    /// its action gives), and `io` when the file cannot be written. O(1) amortised; a chunk is encoded and
    /// written every `chunkSize` steps.
    public func append(_ frame: Frame) throws(TapeError) {
        guard let transition = frame.transition, let action = frame.decision?.action else { return }
        var outputs: AgentOutputs?
        if let d = frame.decision, d.taskProbabilities != nil || d.playProbabilities != nil || d.value != nil {
            outputs = AgentOutputs(taskProbabilities: d.taskProbabilities, playProbabilities: d.playProbabilities, value: d.value)
        }
        // The world is compared only where a chunk completes (see `Core.append`); copying it costs, so skip it elsewhere.
        let world = core.chunk.count + 1 >= header.chunkSize ? frame.world.state : nil
        try core.append(action: action, transition: transition, counters: (frame.trial, frame.episode, frame.step),
                        fun: frame.reward?.fun ?? [], outputs: outputs, manual: frame.manual, world: world,
                        header: header, episodesPerTrial: scenario.episodesPerTrial, path: path)
    }

    /// Records one step given its parts; `transition` and `counters` must be what the action gives.
    public func append(action: ActionPair, transition: Transition, counters: (trial: Int, episode: Int, step: Int),
                       fun: [Float], outputs: AgentOutputs? = nil, manual: Bool = false, world: WorldState? = nil) throws(TapeError) {
        try core.append(action: action, transition: transition, counters: counters, fun: fun, outputs: outputs, manual: manual,
                        world: world, header: header, episodesPerTrial: scenario.episodesPerTrial, path: path)
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
        try? core.output.close()
    }
}

extension TapeWriter.Core {
    mutating func start(_ header: TapeHeader) throws(TapeError) {
        try emit(raw: TapeFormat.prefix)
        sink.bytes.removeAll(keepingCapacity: true)
        header.encode(into: &sink)
        try emitRecord(.header)
    }

    mutating func append(action: ActionPair, transition: Transition, counters: (trial: Int, episode: Int, step: Int),
                         fun: [Float], outputs: AgentOutputs?, manual: Bool, world: WorldState?,
                         header: TapeHeader, episodesPerTrial: Int, path: String) throws(TapeError) {
        guard !finished else { throw TapeError(.misuse, path: path, "the tape is finished; nothing more can be recorded") }
        guard fun.count == header.funComponents.count else {
            throw TapeError(.misuse, path: path, "step \(steps) has \(fun.count) fun components; the tape records \(header.funComponents.count)", step: steps)
        }
        if chunk.isEmpty {
            if chunksWritten % header.keyframeEvery == 0 {
                sink.bytes.removeAll(keepingCapacity: true)
                TapeKeyframe(index: steps, snapshot: shadow.snapshot, pendingEpisode: pendingEpisode)
                    .encode(into: &sink, initialCells: shadow.world.rules.initialCells)
                try emitRecord(.keyframe)
            }
            chunk.firstStep = steps
            (chunk.trial, chunk.episode, chunk.step) = expected
        }
        if pendingEpisode {
            do { try shadow.beginNextEpisode() } catch {
                throw TapeError(.badScenario, path: path, "the scenario cannot draw the next MDP: \(error)", step: steps)
            }
        }
        let replayed = shadow.step(action)
        guard replayed == transition else {
            throw TapeError(.misuse, path: path, "step \(steps) does not follow the tape: action \(action) gives events [\(replayed.events.names.joined(separator: " "))] and task reward \(replayed.taskReward), the frame says [\(transition.events.names.joined(separator: " "))] and \(transition.taskReward)", step: steps)
        }
        guard counters == expected else {
            throw TapeError(.misuse, path: path, "step \(steps) is trial \(counters.trial) episode \(counters.episode) step \(counters.step); the tape is at trial \(expected.trial) episode \(expected.episode) step \(expected.step)", step: steps)
        }
        // The whole world is compared once a chunk (a full compare every step would cost more than the rest).
        if let world, chunk.count + 1 >= header.chunkSize, world != shadow.world.state {
            throw TapeError(.misuse, path: path, "step \(steps) does not follow the tape: the frame's world differs from the re-simulated one", step: steps)
        }
        chunk.append(action: action, transition: transition, fun: fun, outputs: outputs, manual: manual)
        steps += 1
        pendingEpisode = transition.isLast
        if pendingEpisode {
            let next = TapeChunk.nextEpisode(trial: expected.trial, episode: expected.episode, episodesPerTrial: episodesPerTrial)
            expected = (next.0, next.1, 1)
        } else {
            expected.step += 1
        }
        if chunk.count >= header.chunkSize { try flush() }
    }

    mutating func flush() throws(TapeError) {
        guard !chunk.isEmpty else { return }
        sink.bytes.removeAll(keepingCapacity: true)
        chunk.encode(into: &sink)
        try emitRecord(.chunk)
        chunk.removeAll()
        chunksWritten += 1
    }

    mutating func finish() throws(TapeError) {
        guard !finished else { return }
        try flush()
        sink.bytes.removeAll(keepingCapacity: true)
        sink.varint(steps)
        sink.varint(chunksWritten)
        try emitRecord(.end)
        finished = true
        try output.close()
    }

    mutating func emitRecord(_ kind: RecordKind) throws(TapeError) {
        var record = ByteSink()
        record.bytes.reserveCapacity(sink.bytes.count + TapeFormat.recordHeaderSize + TapeFormat.recordTrailerSize)
        record.byte(kind.rawValue)
        record.u32(UInt32(sink.bytes.count))
        record.u32(CRC32.checksum(record.bytes))
        record.bytes.append(contentsOf: sink.bytes)
        record.u32(CRC32.checksum(sink.bytes))
        try emit(raw: record.bytes)
    }

    mutating func emit(raw: [UInt8]) throws(TapeError) {
        try output.write(raw)
        bytesWritten += raw.count
    }
}
