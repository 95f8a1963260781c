import Checksum
import GridWorld

/// Turns a run's steps into tape records in memory: checks that each step follows the tape, gathers steps into
/// chunks, takes the key frames, and frames every record (kind, length, header checksum, payload, payload checksum)
/// onto `records`, starting with the file prefix and the header.
///
/// It makes no system calls and reads no clock: a writer (`TapeWriter`) decides when a chunk is due and when the
/// framed records go to their file, and takes them from `records`. Key frames are taken from the trial world the
/// caller passes (a frame carries it), so encoding costs no simulation.
package struct TapeEncoder {
    /// What steps are checked against, copied out of the header: reading the header (strings and arrays) on every
    /// step would cost a dozen reference-count updates. A chunk is framed at `chunkSize` steps at the latest.
    package let chunkSize: Int
    let keyframeEvery: Int
    let components: Int
    let episodesPerTrial: Int
    let seed: UInt64
    /// The tape's name in messages.
    let path: String
    /// The last recorded step ended its episode.
    private var pendingEpisode = false
    private var chunk: TapeChunk
    private var chunksWritten = 0
    package private(set) var isFinished = false
    /// The key frame to write before the next chunk, with its level's starting cells (what its grid is stored
    /// against): taken from the world that completed the last chunk.
    private var nextKeyframe: (frame: TapeKeyframe, initialCells: ContiguousArray<UInt8>)?
    /// Counters the next step must carry.
    private var expected: (trial: Int, episode: Int, step: Int) = (0, 0, 1)
    /// The MDP seed generator as the recorded trial world must have it now (advanced once per trial, unless trials
    /// draw from a pool).
    private var levelSeeds: SplitMix64
    /// Steps encoded so far.
    package private(set) var steps = 0
    /// Bytes framed so far, the prefix included.
    package private(set) var byteCount = 0
    private var sink = ByteSink()
    /// Framed records the writer has not taken yet; it empties this as it writes them out.
    package var records: [UInt8] = []
    /// The tape holds training snapshots (format version 3).
    let holdsSnapshots: Bool
    /// The tape's run at its start, where every snapshot begins again.
    private let start: TrialWorld

    /// An encoder for a run of `scenario` (the header's text, parsed), with the prefix and header record framed;
    /// `snapshots` makes a tape of training snapshots (version 3, see `beginSnapshot`).
    /// Throws `badScenario` when the scenario has no text or cannot start, `misuse` for impossible chunk settings.
    package init(header: TapeHeader, scenario: Scenario, path: String, snapshots: Bool = false) throws(TapeError) {
        guard !header.scenarioText.isEmpty else {
            throw TapeError(.badScenario, path: path, "the scenario has no source text (built in code?); a tape needs the scenario file's text to replay")
        }
        guard header.chunkSize >= 1, header.chunkSize <= 1 << 20, header.keyframeEvery >= 1, header.keyframeEvery <= 1 << 20 else {
            throw TapeError(.misuse, path: path, "chunk size and key-frame interval must be from 1 to \(1 << 20)")
        }
        let start: TrialWorld
        do {
            start = try TrialWorld(scenario: scenario, seed: header.seed)
        } catch {
            throw TapeError(.badScenario, path: path, "the scenario cannot start: \(error)")
        }
        chunkSize = header.chunkSize
        keyframeEvery = header.keyframeEvery
        components = header.funComponents.count
        episodesPerTrial = scenario.episodesPerTrial
        seed = header.seed
        self.path = path
        chunk = TapeChunk(components: header.funComponents.count, capacity: header.chunkSize)
        nextKeyframe = (TapeKeyframe(index: 0, snapshot: start.snapshot, pendingEpisode: false), start.world.rules.initialCells)
        levelSeeds = start.generators.levelSeeds
        holdsSnapshots = snapshots
        self.start = start
        records.append(contentsOf: TapeFormat.prefix(version: snapshots ? TapeFormat.snapshotVersion : TapeFormat.version))
        byteCount = records.count
        header.encode(into: &sink)
        frameRecord(.header)
    }

    /// An encoder that goes on with a tape of training snapshots that `reader` read, for a run resumed at update
    /// `update`: the next step must come after `beginSnapshot`. A complete tape goes on from where its end record
    /// stands. A tape whose writer was killed, or that holds snapshots of updates after `update` (the run went on past
    /// the checkpoint it resumes from), is cut back to the start of its first snapshot after `update` — and, when it
    /// was killed, before its last snapshot, which may be cut short. The writer cuts the file at `byteCount`.
    package init(continuing reader: TapeReader, resumingAt update: Int) throws(TapeError) {
        let path = reader.path
        guard reader.version == TapeFormat.snapshotVersion else {
            throw TapeError(.misuse, path: path, "is not a tape of training snapshots, so it cannot be continued")
        }
        var kept = reader.snapshots.prefix { $0.update <= update }.count
        if !reader.isComplete { kept = min(kept, reader.snapshots.count - 1) }
        let cut: (offset: Int, steps: Int, chunks: Int)
        if reader.isComplete && kept == reader.snapshots.count, let end = reader.recordOffsets.last {
            cut = (end, reader.stepCount, reader.chunkCount)
        } else if reader.problem?.kind != .damaged, kept >= 0, kept < reader.snapshots.count {
            let (offset, chunksBefore) = reader.snapshotCuts[kept]
            cut = (offset, reader.snapshots[kept].firstStep, chunksBefore)
        } else {
            let why = reader.problem?.kind == .damaged ? "is damaged" : "holds no complete snapshot before update \(update + 1)"
            throw TapeError(.misuse, path: path, "\(why), so it cannot be continued; give another folder")
        }
        try self.init(header: reader.header, scenario: reader.scenario, path: path, snapshots: true)
        records.removeAll()
        steps = cut.steps
        chunksWritten = cut.chunks
        byteCount = cut.offset
        nextKeyframe = nil
        lastSnapshotUpdate = kept > 0 ? reader.snapshots[kept - 1].update : nil
    }

    /// For an encoder that goes on with a tape: the update of the last snapshot it keeps.
    package private(set) var lastSnapshotUpdate: Int?

    /// Steps gathered in the chunk not yet framed.
    package var stepsInChunk: Int { chunk.count }

    /// Adds one step: `counters` are its (trial, episode, step) as the frame after it carries them, `generators`
    /// the trial world's. The first step of a chunk frames the key frame that is due before it.
    ///
    /// Throws `misuse` when the step does not follow the tape (its counters, or MDP seeds not of the tape's seed) or
    /// the tape is finished. O(components) amortised.
    package mutating func append(action: ActionPair, transition: Transition, counters: (trial: Int, episode: Int, step: Int),
                                 generators: TrialWorld.Generators, fun: UnsafeBufferPointer<Float>, outputs: AgentOutputs?,
                                 manual: Bool) throws(TapeError) {
        guard !isFinished else { throw TapeError(.misuse, path: path, "the tape is finished; nothing more can be recorded") }
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
                frameRecord(.keyframe)
                nextKeyframe = nil
            }
            chunk.firstStep = steps
            (chunk.trial, chunk.episode, chunk.step) = expected
        }
        chunk.append(action: action, transition: transition, fun: fun, outputs: outputs, manual: manual)
        steps += 1
        pendingEpisode = transition.isLast
        if pendingEpisode {
            let next = TapeChunk.nextEpisode(trial: expected.trial, episode: expected.episode, episodesPerTrial: episodesPerTrial)
            // A pool of recurring MDPs derives each trial's from the generator without advancing it (`TrialPool`).
            if next.0 != expected.trial && start.scenario.pool == nil { _ = levelSeeds.next() }
            expected = (next.0, next.1, 1)
        } else {
            expected.step += 1
        }
    }

    /// Frames the chunk; `after` is the trial world after its last step, the next key frame when one is due.
    package mutating func completeChunk(after: TrialWorld.Snapshot, initialCells: ContiguousArray<UInt8>) {
        if (chunksWritten + 1) % keyframeEvery == 0 {
            nextKeyframe = (TapeKeyframe(index: steps, snapshot: after, pendingEpisode: pendingEpisode), initialCells)
        }
        closeChunk()
    }

    /// Frames the steps gathered so far as a chunk record (a short one if the chunk is not full).
    package mutating func closeChunk() {
        guard !chunk.isEmpty else { return }
        sink.bytes.removeAll(keepingCapacity: true)
        chunk.encode(into: &sink)
        frameRecord(.chunk)
        chunk.removeAll()
        chunksWritten += 1
    }

    /// Starts a training snapshot: closes the chunk, frames a snapshot record (`update`, `trainingStep`) and starts
    /// the run again from the tape's seed, with a key frame before its first step. The steps that follow are the
    /// snapshot's, counted from trial 0, episode 0, step 1. Throws `misuse` on a tape not made for snapshots.
    package mutating func beginSnapshot(update: Int, trainingStep: Int) throws(TapeError) {
        guard holdsSnapshots else { throw TapeError(.misuse, path: path, "this tape was not opened for training snapshots") }
        guard !isFinished else { throw TapeError(.misuse, path: path, "the tape is finished; nothing more can be recorded") }
        closeChunk()
        sink.bytes.removeAll(keepingCapacity: true)
        sink.varint(update)
        sink.varint(trainingStep)
        frameRecord(.snapshot)
        nextKeyframe = (TapeKeyframe(index: steps, snapshot: start.snapshot, pendingEpisode: false), start.world.rules.initialCells)
        expected = (0, 0, 1)
        levelSeeds = start.generators.levelSeeds
        pendingEpisode = false
    }

    /// Frames the last chunk and the end record (the totals): the tape is then complete. Idempotent.
    package mutating func finish() {
        guard !isFinished else { return }
        closeChunk()
        sink.bytes.removeAll(keepingCapacity: true)
        sink.varint(steps)
        sink.varint(chunksWritten)
        frameRecord(.end)
        isFinished = true
    }

    /// Frames the payload in `sink` as a record of `kind` onto `records`.
    private mutating func frameRecord(_ kind: RecordKind) {
        let start = records.count
        records.append(kind.rawValue)
        withUnsafeBytes(of: UInt32(sink.bytes.count).littleEndian) { records.append(contentsOf: $0) }
        let headerCRC = records.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[start...])) }
        withUnsafeBytes(of: headerCRC.littleEndian) { records.append(contentsOf: $0) }
        records.append(contentsOf: sink.bytes)
        withUnsafeBytes(of: CRC32.checksum(sink.bytes).littleEndian) { records.append(contentsOf: $0) }
        byteCount += records.count - start
    }
}
