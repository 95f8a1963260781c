import Checksum
import GridWorld
import Records
import ScenarioFiles

/// Reads a tape from its bytes: checks the prefix and header, then scans every record, checking each checksum, and
/// indexes the chunks and key frames so that any step can be found quickly. (`init(path:)`, in module Tapes, reads
/// a file's bytes.)
///
/// Reading stops at the first damaged record or where the bytes end; `problem` then says why and where, and
/// everything before it stays readable. A reader can take more bytes later (`ingest`), which is how a tape
/// another process is still writing is followed.
public struct TapeReader: Sendable {
    public let path: String
    /// The tape format version it was written in (`TapeFormat.readableVersions`).
    public let version: UInt16
    public let header: TapeHeader
    /// The embedded scenario, parsed.
    public let scenario: Scenario
    public private(set) var bytes: [UInt8]
    /// Steps in the complete chunk records read so far.
    public private(set) var stepCount = 0
    /// Records read so far, the header included.
    public private(set) var recordCount = 1
    /// The end record was read: the writer finished the tape.
    public private(set) var isComplete = false
    /// Why reading stopped short of a complete tape: damage, or the bytes ending early. Nil when complete.
    public private(set) var problem: TapeError?
    /// Global step numbers at which episodes begin, ascending.
    public private(set) var episodeStarts: [Int] = []
    /// Steps that ended their episode.
    public private(set) var completedEpisodes = 0
    /// Byte offset of each record read, the header's first.
    public private(set) var recordOffsets: [Int] = [TapeFormat.prefixSize]
    /// Counters of the last step read (trial, episode, step), if any.
    public private(set) var lastCounters: (trial: Int, episode: Int, step: Int)?
    /// The training snapshots read so far (version 3 tapes), in order; each runs from its first step to the next's.
    public private(set) var snapshots: [TapeSnapshot] = []
    /// Per snapshot, where its record starts and how many chunk records come before it: where a tape can be cut back
    /// to the snapshots before it, and go on.
    package private(set) var snapshotCuts: [(offset: Int, chunksBefore: Int)] = []

    /// Where a chunk record is and what it summarises (for readers of the tape in module Tapes).
    package struct ChunkRef: Sendable {
        package var summary: TapeChunk.Summary
        package var record: Int
        package var offset: Int
        var payload: Range<Int>
    }

    /// Where a key frame record is and the step it stands before.
    package struct KeyframeRef: Sendable {
        package var head: TapeKeyframe.Head
        package var record: Int
        var payload: Range<Int>
    }

    package private(set) var chunks: [ChunkRef] = []
    package private(set) var keyframes: [KeyframeRef] = []
    /// Where scanning goes on when more bytes come.
    private var scanOffset: Int
    /// Counters the next chunk's first step must carry.
    private var nextCounters: (trial: Int, episode: Int, step: Int) = (0, 0, 1)
    private var damaged = false

    /// Reads a tape held in memory; `name` stands for it in messages.
    public init(bytes: [UInt8], name: String) throws(TapeError) {
        path = name
        self.bytes = bytes
        let (version, header, scenario, offset) = try TapeReader.readHead(bytes, name: name)
        self.version = version
        self.header = header
        self.scenario = scenario
        scanOffset = offset
        scan()
    }

    /// Adds bytes a writer appended since, and reads the records they complete. Does nothing after damage or
    /// the end record.
    public mutating func ingest(_ more: [UInt8]) {
        guard !more.isEmpty else { return }
        bytes.append(contentsOf: more)
        if !damaged && !isComplete { scan() }
    }

    /// Whether reading stopped at damage (not merely at the end of the bytes so far).
    public var isDamaged: Bool { damaged }

    /// Number of trials the tape touches.
    public var trials: Int { lastCounters.map { $0.trial + 1 } ?? 0 }
    /// Number of episodes the tape touches (the last may be unfinished).
    public var episodes: Int { episodeStarts.count }
    /// Bytes of the intact part of the tape.
    public var intactBytes: Int { scanOffset }
    /// Number of chunk records.
    public var chunkCount: Int { chunks.count }
    /// Number of key frames.
    public var keyframeCount: Int { keyframes.count }

    // MARK: Reading the bytes

    /// Checks the prefix and reads the header record; returns the format version, the header, its scenario and where
    /// the next record starts.
    static func readHead(_ bytes: [UInt8], name: String) throws(TapeError) -> (UInt16, TapeHeader, Scenario, Int) {
        let magic = TapeFormat.magic
        if bytes.isEmpty { throw TapeError(.notATape, path: name, "empty file; not a PlayGrid tape") }
        let m = min(bytes.count, magic.count)
        guard Array(bytes[0..<m]) == Array(magic[0..<m]) else {
            throw TapeError(.notATape, path: name, "not a PlayGrid tape (it does not start with the tape signature)\(FileKind.identified(bytes.prefix(16)))")
        }
        guard bytes.count >= TapeFormat.prefixSize else {
            throw TapeError(.truncated, path: name, "truncated inside the file prefix (\(bytes.count) bytes); no record is complete", offset: bytes.count)
        }
        let version = UInt16(bytes[8]) | UInt16(bytes[9]) << 8
        let storedCRC = bytes[10..<14].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << UInt32(8 * $1.offset) }
        guard CRC32.checksum(bytes[0..<10]) == storedCRC else {
            throw TapeError(.damaged, path: name, "damaged file prefix (checksum mismatch in the first \(TapeFormat.prefixSize) bytes)", offset: 0)
        }
        let readable = TapeFormat.readableVersions
        guard readable.contains(version) else {
            throw TapeError(.unsupportedVersion, path: name, "tape format version \(version); this playgrid reads versions \(readable.lowerBound) to \(readable.upperBound)")
        }
        let offset = TapeFormat.prefixSize
        let record: (RecordKind, Range<Int>)
        switch frame(bytes, at: offset) {
        case .record(let kind, let payload): record = (kind, payload)
        case .incomplete(let what):
            throw TapeError(.truncated, path: name, "truncated inside record 0 (header): \(what); no record is complete", record: 0, offset: offset)
        case .damaged(let what):
            throw TapeError(.damaged, path: name, "damaged record 0 (header): \(what)", record: 0, offset: offset)
        }
        guard record.0 == .header else {
            throw TapeError(.damaged, path: name, "damaged record 0: a \(record.0) record where the header belongs", record: 0, offset: offset)
        }
        let decoded: (TapeHeader, storedHash: UInt64)
        do {
            decoded = try bytes.decode(record.1) { source throws(ByteSource.Overrun) in
                let result = try TapeHeader.decode(&source)
                guard source.isAtEnd else { throw ByteSource.Overrun(what: "the end of the header") }
                return result
            }
        } catch {
            throw TapeError(.damaged, path: name, "damaged record 0 (header): expected \(error.what)", record: 0, offset: offset)
        }
        let header = decoded.0
        guard header.scenarioHash == decoded.storedHash else {
            throw TapeError(.damaged, path: name, "damaged record 0 (header): the scenario text does not match its stored hash", record: 0, offset: offset)
        }
        let scenario: Scenario
        do {
            scenario = try ScenarioFile.parse(text: header.scenarioText, file: "\(name) (embedded scenario \(header.scenarioOrigin))")
        } catch {
            throw TapeError(.badScenario, path: name, "the embedded scenario does not parse: \(error)", record: 0)
        }
        guard version >= 2 || scenario.mechanics.isEmpty else {
            throw TapeError(.unsupportedVersion, path: name, "tape format version \(version) cannot hold the hidden rules its scenario declares (\(scenario.mechanics.declared.map(\.name).joined(separator: ", "))); record it again with this playgrid")
        }
        return (version, header, scenario, record.1.upperBound + TapeFormat.recordTrailerSize)
    }

    enum Framing {
        case record(RecordKind, Range<Int>)
        case incomplete(String)
        case damaged(String)
    }

    /// Checks the framing of the record at `offset`: header checksum, kind, length, payload checksum.
    static func frame(_ bytes: [UInt8], at offset: Int) -> Framing {
        let available = bytes.count - offset
        guard available >= TapeFormat.recordHeaderSize else {
            return .incomplete("\(available) of its \(TapeFormat.recordHeaderSize) header bytes")
        }
        func u32(_ at: Int) -> UInt32 { LittleEndian.uint32(bytes, at: at) }
        guard CRC32.checksum(bytes[offset..<(offset + 5)]) == u32(offset + 5) else {
            return .damaged("record header checksum mismatch")
        }
        guard let kind = RecordKind(rawValue: bytes[offset]) else {
            return .damaged("unknown record kind 0x\(String(bytes[offset], radix: 16))")
        }
        let length = Int(u32(offset + 1))
        guard length <= TapeFormat.maximumPayload else { return .damaged("record length \(length) is beyond any tape's") }
        let start = offset + TapeFormat.recordHeaderSize
        guard available >= TapeFormat.recordHeaderSize + length + TapeFormat.recordTrailerSize else {
            return .incomplete("\(available) of its \(TapeFormat.recordHeaderSize + length + TapeFormat.recordTrailerSize) bytes")
        }
        guard CRC32.checksum(bytes[start..<(start + length)]) == u32(start + length) else {
            return .damaged("payload checksum mismatch")
        }
        return .record(kind, start..<(start + length))
    }

    // MARK: Scanning

    /// Reads records from `scanOffset` until the bytes end, damage, or the end record.
    private mutating func scan() {
        problem = nil
        while true {
            let offset = scanOffset
            let index = recordCount
            if offset == bytes.count && isComplete { return }
            if isComplete {
                fail(.damaged, "damaged: \(bytes.count - offset) bytes after the end record", record: index, offset: offset)
                return
            }
            if offset == bytes.count {
                problem = TapeError(.truncated, path: path, "truncated: the tape ends after record \(index - 1) without an end record (its writer did not finish); \(stepCount) steps in \(index) complete records read", record: nil, offset: offset)
                return
            }
            switch TapeReader.frame(bytes, at: offset) {
            case .incomplete(let what):
                problem = TapeError(.truncated, path: path, "truncated inside record \(index) (\(what)); the \(index) complete records before it (\(stepCount) steps) read", record: index, offset: offset)
                return
            case .damaged(let what):
                fail(.damaged, "damaged record \(index): \(what)", record: index, offset: offset)
                return
            case .record(let kind, let payload):
                do {
                    try accept(kind, payload: payload, record: index, offset: offset)
                } catch {
                    fail(.damaged, "damaged record \(index) (\(kind)): expected \(error.what)", record: index, offset: offset)
                    return
                }
                recordCount += 1
                recordOffsets.append(offset)
                scanOffset = payload.upperBound + TapeFormat.recordTrailerSize
            }
        }
    }

    private mutating func fail(_ kind: TapeError.Kind, _ message: String, record: Int, offset: Int) {
        damaged = true
        problem = TapeError(kind, path: path, message, record: record, offset: offset)
    }

    private mutating func accept(_ kind: RecordKind, payload: Range<Int>, record: Int, offset: Int) throws(ByteSource.Overrun) {
        let chunkSize = header.chunkSize
        let stepCount = self.stepCount
        switch kind {
        case .header:
            throw ByteSource.Overrun(what: "one header only, at the start")
        case .keyframe:
            let head = try bytes.decode(payload) { source throws(ByteSource.Overrun) in
                return try TapeKeyframe.decodeHead(&source)
            }
            guard head.index == stepCount else { throw ByteSource.Overrun(what: "a key frame before step \(stepCount) (found \(head.index))") }
            keyframes.append(KeyframeRef(head: head, record: record, payload: payload))
        case .chunk:
            let summary = try bytes.decode(payload) { source throws(ByteSource.Overrun) in
                return try TapeChunk.decodeSummary(&source, maxSteps: chunkSize)
            }
            guard summary.firstStep == stepCount else { throw ByteSource.Overrun(what: "a chunk from step \(stepCount) (found \(summary.firstStep))") }
            let counters = (summary.trial, summary.episode, summary.step)
            guard counters == nextCounters else {
                throw ByteSource.Overrun(what: "a chunk at trial \(nextCounters.trial) episode \(nextCounters.episode) step \(nextCounters.step) (found \(counters))")
            }
            chunks.append(ChunkRef(summary: summary, record: record, offset: offset, payload: payload))
            // Walk the episode ends to keep the counters and the episode index.
            var (trial, episode, step) = counters
            var position = 0
            if step == 1 { episodeStarts.append(summary.firstStep) }
            var last = counters
            for end in summary.episodeEnds {
                last = (trial, episode, step + end - position)
                completedEpisodes += 1
                (trial, episode) = TapeChunk.nextEpisode(trial: trial, episode: episode, episodesPerTrial: scenario.episodesPerTrial)
                step = 1
                position = end + 1
                if position < summary.count { episodeStarts.append(summary.firstStep + position) }
            }
            if position < summary.count {
                last = (trial, episode, step + summary.count - 1 - position)
                nextCounters = (trial, episode, last.2 + 1)
            } else {
                nextCounters = (trial, episode, 1)
            }
            lastCounters = last
            self.stepCount += summary.count
        case .snapshot:
            guard version >= TapeFormat.snapshotVersion else {
                throw ByteSource.Overrun(what: "no snapshot record in a version \(version) tape")
            }
            let (update, trainingStep) = try bytes.decode(payload) { source throws(ByteSource.Overrun) in
                let update = try source.count(max: Int.max)
                let trainingStep = try source.count(max: Int.max)
                guard source.isAtEnd else { throw ByteSource.Overrun(what: "the end of the snapshot record") }
                return (update, trainingStep)
            }
            guard snapshots.last.map({ $0.firstStep < stepCount }) ?? true else {
                throw ByteSource.Overrun(what: "steps in the snapshot before it")
            }
            snapshots.append(TapeSnapshot(firstStep: stepCount, update: update, trainingStep: trainingStep))
            snapshotCuts.append((offset, chunks.count))
            nextCounters = (0, 0, 1)
        case .end:
            let (steps, chunkCount) = try bytes.decode(payload) { source throws(ByteSource.Overrun) in
                let steps = try source.varint()
                let chunks = try source.varint()
                guard source.isAtEnd else { throw ByteSource.Overrun(what: "the end of the end record") }
                return (steps, chunks)
            }
            guard steps == UInt64(stepCount), chunkCount == UInt64(chunks.count) else {
                throw ByteSource.Overrun(what: "totals of \(stepCount) steps in \(chunks.count) chunks (found \(steps) in \(chunkCount))")
            }
            isComplete = true
        }
    }

    // MARK: Access

    /// The chunk holding a step (binary search). O(log chunks).
    package func chunkIndex(containing step: Int) -> Int {
        var lo = 0, hi = chunks.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if chunks[mid].summary.firstStep <= step { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// The last key frame at or before a step, if any. O(log key frames).
    package func keyframeIndex(atOrBefore step: Int) -> Int? {
        guard let first = keyframes.first, first.head.index <= step else { return nil }
        var lo = 0, hi = keyframes.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if keyframes[mid].head.index <= step { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// The snapshot that step `step` belongs to (binary search), nil before the first or on a tape without them.
    public func snapshotIndex(containing step: Int) -> Int? {
        guard let first = snapshots.first, first.firstStep <= step else { return nil }
        var lo = 0, hi = snapshots.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if snapshots[mid].firstStep <= step { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// Whether a training snapshot starts at step `step`: the run starts again from the tape's seed there.
    public func snapshotStarts(at step: Int) -> Bool {
        snapshotIndex(containing: step).map { snapshots[$0].firstStep == step } ?? false
    }

    /// Decodes chunk `i`'s columns.
    package func chunk(_ i: Int) throws(TapeError) -> TapeChunk {
        let ref = chunks[i]
        do {
            return try bytes.decode(ref.payload) { source throws(ByteSource.Overrun) in
                return try TapeChunk.decode(&source, components: header.funComponents.count, maxSteps: header.chunkSize)
            }
        } catch {
            throw TapeError(.damaged, path: path, "damaged record \(ref.record) (chunk): expected \(error.what)", record: ref.record, offset: ref.offset)
        }
    }

    /// The decoded steps of chunk `i`, with their counters.
    public func steps(inChunk i: Int) throws(TapeError) -> [TapeStep] {
        try chunk(i).steps(episodesPerTrial: scenario.episodesPerTrial)
    }

    /// Decodes key frame `i` against the level it was recorded in (`world` must be of that MDP).
    package func keyframe(_ i: Int, initialCells: ContiguousArray<UInt8>) throws(TapeError) -> TapeKeyframe {
        let ref = keyframes[i]
        do {
            return try bytes.decode(ref.payload) { source throws(ByteSource.Overrun) in
                return try TapeKeyframe.decode(&source, version: version, initialCells: initialCells)
            }
        } catch {
            throw TapeError(.damaged, path: path, "damaged record \(ref.record) (key frame): expected \(error.what)", record: ref.record)
        }
    }

    /// Every step of the tape in order, decoded chunk by chunk.
    public func allSteps() throws(TapeError) -> [TapeStep] {
        var all: [TapeStep] = []
        all.reserveCapacity(stepCount)
        for i in chunks.indices { all += try steps(inChunk: i) }
        return all
    }
}
