import Checksum
import GridWorld
import Records
/// Constants of the tape format (docs/tape-format.md): the file prefix, record kinds and defaults.
public enum TapeFormat {
    /// The first 8 bytes of every tape: a high byte (catches 7-bit transfers), "PGTAPE", a newline (catches
    /// newline conversion).
    public static let magic = FileKind.tape.signature
    /// The format version this build writes for a run: 2 stores all 64 bits of a step's events and the hidden rules'
    /// state in key frames.
    public static let version: UInt16 = 2
    /// The version of a tape of training snapshots: version 2 plus snapshot records, each starting the tape's run
    /// again from its seed with the policy of a later training step. Plain runs stay version 2, so builds that
    /// predate snapshots read them.
    public static let snapshotVersion: UInt16 = 3
    /// The versions this build reads: version 1 tapes (32-bit events, key frames without hidden rules) of scenarios
    /// that declare no hidden rules, whose worlds' rules are then the empty state; version 3 tapes of snapshots.
    public static let readableVersions: ClosedRange<UInt16> = 1...snapshotVersion
    /// Magic, version (u16), CRC-32 of those 10 bytes (u32).
    public static let prefixSize = 14
    /// Kind byte, payload length (u32), CRC-32 of those 5 bytes (u32).
    public static let recordHeaderSize = 9
    /// The payload's CRC-32 after it.
    public static let recordTrailerSize = 4
    /// Larger payloads are damage (a key frame of the largest map is about 200 KiB).
    public static let maximumPayload = 64 << 20
    /// Steps per chunk record by default: one checksum per chunk.
    public static let defaultChunkSize = 256
    /// A key frame before every chunk by default, so a seek re-simulates fewer than `defaultChunkSize` steps.
    public static let defaultKeyframeEvery = 1

    /// The file prefix for a version.
    static func prefix(version: UInt16) -> [UInt8] {
        var sink = ByteSink()
        sink.bytes = magic
        sink.u16(version)
        sink.u32(CRC32.checksum(sink.bytes))
        return sink.bytes
    }
}

/// What a record holds; its raw value is the record's kind byte.
public enum RecordKind: UInt8, Sendable, CustomStringConvertible {
    /// The run's identity: scenario text, seed, agent, fun, tool. Always the first record.
    case header = 0x48 // "H"
    /// The full state before a step, to resume simulation there.
    case keyframe = 0x4B // "K"
    /// A run of steps, column by column.
    case chunk = 0x43 // "C"
    /// The run starts again from the tape's seed, played by the policy of a later training step (version 3).
    case snapshot = 0x53 // "S"
    /// The last record of a finished tape, with its totals.
    case end = 0x45 // "E"

    public var description: String {
        switch self {
        case .header: "header"
        case .keyframe: "key frame"
        case .chunk: "chunk"
        case .snapshot: "snapshot"
        case .end: "end"
        }
    }
}

/// The identity of a recorded run: everything needed to re-simulate it besides the actions.
public struct TapeHeader: Hashable, Sendable {
    /// The scenario file's full text, parsed again to replay.
    public var scenarioText: String
    /// What the scenario was called on the command line (a shipped name or a path), for display.
    public var scenarioOrigin: String
    public var seed: UInt64
    /// The agent's name (`random`, `player`, a bundled agent's name).
    public var agent: String
    /// A learned agent's checkpoint hash, when it has one.
    public var checkpointHash: String?
    /// The fun spec as printed (`delight=1`).
    public var funSpec: String
    /// Fun component names, in the order each step stores them.
    public var funComponents: [String]
    public var toolVersion: String
    /// Steps per chunk record.
    public var chunkSize: Int
    /// A key frame before every this many chunks.
    public var keyframeEvery: Int

    public init(scenarioText: String, scenarioOrigin: String, seed: UInt64, agent: String, checkpointHash: String? = nil,
                funSpec: String, funComponents: [String], toolVersion: String = ToolVersion.current,
                chunkSize: Int = TapeFormat.defaultChunkSize, keyframeEvery: Int = TapeFormat.defaultKeyframeEvery) {
        self.scenarioText = scenarioText
        self.scenarioOrigin = scenarioOrigin
        self.seed = seed
        self.agent = agent
        self.checkpointHash = checkpointHash
        self.funSpec = funSpec
        self.funComponents = funComponents
        self.toolVersion = toolVersion
        self.chunkSize = chunkSize
        self.keyframeEvery = keyframeEvery
    }

    /// The scenario text's fingerprint (`Scenario.fingerprint`), as stored beside it.
    public var scenarioHash: UInt64 { Scenario.fingerprint(sourceText: scenarioText) }

    func encode(into sink: inout ByteSink) {
        sink.string(scenarioText)
        sink.u64(scenarioHash)
        sink.string(scenarioOrigin)
        sink.u64(seed)
        sink.string(agent)
        if let checkpointHash {
            sink.byte(1)
            sink.string(checkpointHash)
        } else {
            sink.byte(0)
        }
        sink.string(funSpec)
        sink.varint(funComponents.count)
        for name in funComponents { sink.string(name) }
        sink.string(toolVersion)
        sink.varint(chunkSize)
        sink.varint(keyframeEvery)
    }

    /// Reads a header payload; returns it and the hash stored beside the text.
    static func decode(_ source: inout ByteSource) throws(ByteSource.Overrun) -> (TapeHeader, storedHash: UInt64) {
        let text = try source.string()
        let hash = try source.u64()
        let origin = try source.string()
        let seed = try source.u64()
        let agent = try source.string()
        let checkpoint: String? = try source.byte() == 0 ? nil : try source.string()
        let fun = try source.string()
        let n = try source.count(max: 64)
        var names: [String] = []
        for _ in 0..<n { names.append(try source.string()) }
        let tool = try source.string()
        let chunkSize = try source.count(max: 1 << 20)
        let keyframeEvery = try source.count(max: 1 << 20)
        guard chunkSize >= 1, keyframeEvery >= 1 else { throw ByteSource.Overrun(what: "a chunk size and key-frame interval of at least 1") }
        let header = TapeHeader(scenarioText: text, scenarioOrigin: origin, seed: seed, agent: agent, checkpointHash: checkpoint,
                                funSpec: fun, funComponents: names, toolVersion: tool, chunkSize: chunkSize, keyframeEvery: keyframeEvery)
        return (header, hash)
    }
}

/// Where a training snapshot starts on a tape and which policy played it: the run from the tape's seed again, by the
/// policy after `update` updates and `trainingStep` environment steps of training.
public struct TapeSnapshot: Hashable, Sendable {
    /// The snapshot's first step over the whole tape.
    public var firstStep: Int
    public var update: Int
    public var trainingStep: Int

    public init(firstStep: Int, update: Int, trainingStep: Int) {
        self.firstStep = firstStep
        self.update = update
        self.trainingStep = trainingStep
    }
}
