import Checksum
import Foundation
import GridWorld
import MetaRL
import NeuralCore
import TapeCodec
import Tapes

/// Play as offline data for skills (SiMPL): every recorded step of some tapes, with the observation it was chosen on
/// (`GridFeatures`, as the recurrent agent sees it) and the action pair taken.
///
/// Each tape is re-simulated (`TapePass`), so a tape that diverges from its scenario is refused rather than learned
/// from. Every tape must give observations of one layout (one view size): the decoder reads them.
public struct PlayTapes: Sendable {
    /// `steps × observationSize` features, step-major, in tape order.
    public private(set) var observations: ContiguousArray<Float> = []
    public private(set) var tasks: ContiguousArray<Int32> = []
    public private(set) var plays: ContiguousArray<Int32> = []
    /// The first step of each episode (its index here), in order.
    public private(set) var episodeStarts: [Int] = []
    public let encoding: ObservationEncoding
    /// Each tape's file name and the CRC32 of its bytes, and its scenario's name.
    public private(set) var sources: [FamilyID] = []
    public private(set) var scenarios: [String] = []

    public var steps: Int { tasks.count }
    public var observationSize: Int { encoding.size }

    /// Reads `paths` in order; refuses, in one line naming the tape, one that cannot be read or re-simulated, one with
    /// no steps, one given twice (or a copy of another: its episodes would sit on both sides of the held-out split, and
    /// the held-out figures would score training data), or one whose scenario's observations have another layout
    /// than the first tape's.
    public init(paths: [String]) throws(PlaySkillsError) {
        guard !paths.isEmpty else { throw PlaySkillsError("no tapes given") }
        var readers: [TapeReader] = []
        for path in paths {
            let reader: TapeReader
            do { reader = try TapeReader(path: path) } catch { throw PlaySkillsError("\(error)") }
            if reader.isDamaged, let problem = reader.problem { throw PlaySkillsError("\(problem)") }
            if let twin = readers.firstIndex(where: { $0.bytes == reader.bytes }) {
                throw PlaySkillsError("\(path): holds the same recording as \(paths[twin]); give each tape once, or held-out episodes would also be trained on")
            }
            readers.append(reader)
        }
        encoding = GridFeatures.layout(viewSize: readers[0].scenario.viewSize)
        for (path, reader) in zip(paths, readers) {
            let layout = GridFeatures.layout(viewSize: reader.scenario.viewSize)
            if encoding != layout {
                throw PlaySkillsError("\(path): scenario \(reader.scenario.name) has a \(reader.scenario.viewSize)×\(reader.scenario.viewSize) view (\(layout.size) inputs), but \(paths[0]) has \(encoding.size) inputs; skills are learned from tapes of one observation layout")
            }
            let start = steps
            try append(reader, size: layout.size)
            guard steps > start else { throw PlaySkillsError("\(path): holds no steps") }
            sources.append(FamilyID(name: URL(fileURLWithPath: path).lastPathComponent,
                                    fingerprint: reader.bytes.withUnsafeBytes { CRC32Hex.of($0) }))
            scenarios.append(reader.scenario.name)
        }
    }

    mutating func append(_ reader: TapeReader, size: Int) throws(PlaySkillsError) {
        var bytes = [UInt8](repeating: 0, count: ObservationLayout.size(viewSize: reader.scenario.viewSize))
        var features = [Float](repeating: 0, count: size)
        let tapeStart = steps
        do {
            try TapePass.run(reader, before: { step, world throws(TapeError) in
                bytes.withUnsafeMutableBufferPointer { b in
                    features.withUnsafeMutableBufferPointer { GridFeatures.encode(world, bytes: b, into: $0) }
                }
                if step.step == 1 || steps == tapeStart { episodeStarts.append(steps) }
                observations.append(contentsOf: features)
                tasks.append(Int32(step.action.task.rawValue))
                plays.append(Int32(step.action.play.rawValue))
            }, visit: { _, _, _ throws(TapeError) in })
        } catch {
            throw PlaySkillsError("\(error)")
        }
    }

    /// Every step where an H-step window inside one episode starts, episode by episode: `(episode, start)`.
    public func windows(horizon: Int) -> [(episode: Int, start: Int)] {
        var out: [(Int, Int)] = []
        for (e, start) in episodeStarts.enumerated() {
            let end = e + 1 < episodeStarts.count ? episodeStarts[e + 1] : steps
            if end - start >= horizon { for s in start...(end - horizon) { out.append((e, s)) } }
        }
        return out
    }
}

/// The CRC32 of a tape's bytes as 8 hex digits, the fingerprint a skill file records of each tape.
enum CRC32Hex {
    static func of(_ bytes: UnsafeRawBufferPointer) -> String {
        let crc = CRC32.checksum(bytes)
        let hex = String(crc, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }
}

/// Why skills could not be learned, saved, read or used: one line naming the file.
public struct PlaySkillsError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
