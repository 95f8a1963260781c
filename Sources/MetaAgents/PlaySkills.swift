import Checksum
import Foundation
import MetaRL
import NeuralCore
import Records

/// Skills learned from tapes of play (`playgrid skills learn`): SiMPL's skill model (`SkillVAE`), what it was learned
/// from and how, and how well it reconstructs held-out segments.
///
/// File layout (little-endian), as a checkpoint's: `"PGSK"`, format version (UInt32), header length (UInt32), a JSON
/// header (everything but the parameters), the parameters as Float32, and a CRC32 of all preceding bytes; written
/// atomically.
public struct PlaySkills: Sendable, Equatable {
    public static let formatVersion: UInt32 = 1
    public static let magic = FileKind.skillFile.signature

    public var model: SkillVAE
    /// What the decoder and prior read: the observation encoding of the tapes.
    public var observation: ObservationEncoding
    /// The tapes (file name, CRC32 of the bytes) and their scenarios.
    public var tapes: [FamilyID]
    public var scenarios: [String]
    public var seed: UInt64
    /// Optimiser steps taken, and segments per step.
    public var steps: Int
    public var batch: Int
    /// Segments trained on and held out (whole episodes are held out), and the held-out terms at the end.
    public var trainingSegments: Int
    public var heldOutSegments: Int
    public var heldOut: HeldOut
    public var tool: String

    /// The held-out figures a skill file reports.
    public struct HeldOut: Codable, Sendable, Equatable {
        /// Steps whose most likely pair (both halves), and task half, under the most likely skill is the one taken.
        public var accuracy: Double
        public var taskAccuracy: Double
        /// Nats per segment: reconstruction, KL(q ‖ uniform), KL(q ‖ prior).
        public var reconstruction: Double
        public var kl: Double
        public var priorKL: Double
        public init(_ t: SkillVAE.Terms) {
            accuracy = t.accuracy
            taskAccuracy = t.taskAccuracy
            reconstruction = t.reconstruction
            kl = t.kl
            priorKL = t.priorKL
        }
    }

    public var horizon: Int { model.shape.horizon }
    public var skills: Int { model.shape.skills }

    /// The fingerprint of the model (shape and parameters): what an agent trained on these skills records.
    public var fingerprint: String {
        var crc: UInt32 = 0
        model.parameters.withUnsafeBytes { crc = CRC32.checksum($0) }
        return "\(model.shape.horizon)-\(model.shape.skills)-\(model.shape.hidden)-" + String(crc, radix: 16)
    }

    public init(model: SkillVAE, observation: ObservationEncoding, tapes: [FamilyID], scenarios: [String], seed: UInt64,
                steps: Int, batch: Int, trainingSegments: Int, heldOutSegments: Int, heldOut: HeldOut, tool: String) {
        self.model = model
        self.observation = observation
        self.tapes = tapes
        self.scenarios = scenarios
        self.seed = seed
        self.steps = steps
        self.batch = batch
        self.trainingSegments = trainingSegments
        self.heldOutSegments = heldOutSegments
        self.heldOut = heldOut
        self.tool = tool
    }

    struct Header: Codable {
        var shape: SkillVAE.Shape
        var parameterCount: Int
        var observation: ObservationEncoding
        var tapes: [FamilyID]
        var scenarios: [String]
        var seed: UInt64
        var steps: Int
        var batch: Int
        var trainingSegments: Int
        var heldOutSegments: Int
        var heldOut: HeldOut
        var tool: String
    }

    /// The file's bytes.
    public func encoded() -> [UInt8] {
        let header = Header(shape: model.shape, parameterCount: model.parameters.count, observation: observation, tapes: tapes,
                            scenarios: scenarios, seed: seed, steps: steps, batch: batch, trainingSegments: trainingSegments,
                            heldOutSegments: heldOutSegments, heldOut: heldOut, tool: tool)
        let json = Array((try? StableJSON.data(header)) ?? Data())
        var bytes = Self.magic
        bytes.reserveCapacity(16 + json.count + 4 * model.parameters.count)
        LittleEndian.append(Self.formatVersion, to: &bytes)
        LittleEndian.append(UInt32(json.count), to: &bytes)
        bytes += json
        for v in model.parameters { LittleEndian.append(v.bitPattern, to: &bytes) }
        LittleEndian.append(CRC32.checksum(bytes), to: &bytes)
        return bytes
    }

    /// Parses and verifies a skill file's bytes; `path` labels the one-line errors.
    public static func decode(_ b: [UInt8], path: String) throws(PlaySkillsError) -> PlaySkills {
        guard b.count >= 4, Array(b[0..<4]) == magic else {
            throw PlaySkillsError("\(path): not a PlayGrid skill file (missing the PGSK signature)\(FileKind.identified(b.prefix(16))); make one with playgrid skills learn")
        }
        guard b.count >= 16 else { throw PlaySkillsError("\(path): skill file is truncated (\(b.count) bytes)") }
        let version = LittleEndian.uint32(b, at: 4)
        guard version == formatVersion else {
            throw PlaySkillsError("\(path): skill file format version \(version) is not supported (this build reads version \(formatVersion))")
        }
        let stored = LittleEndian.uint32(b, at: b.count - 4)
        let computed = CRC32.checksum(b[0..<(b.count - 4)])
        guard stored == computed else {
            throw PlaySkillsError("\(path): skill file is damaged or truncated (CRC32 \(String(stored, radix: 16)) stored, \(String(computed, radix: 16)) computed)")
        }
        let headerLength = Int(LittleEndian.uint32(b, at: 8))
        guard 12 + headerLength + 4 <= b.count else { throw PlaySkillsError("\(path): skill file header runs past the end of the file") }
        let header: Header
        do {
            header = try StableJSON.decode(Header.self, from: Data(b[12..<(12 + headerLength)]))
        } catch {
            throw PlaySkillsError("\(path): skill file header is unreadable: \(StableJSON.reason(error))")
        }
        let n = header.parameterCount
        guard n >= 0, b.count == 12 + headerLength + 4 * n + 4 else {
            throw PlaySkillsError("\(path): skill file holds \(b.count - 16 - headerLength) bytes of parameters, its header says \(4 * max(0, n))")
        }
        let s = header.shape
        guard s.horizon >= 1, s.skills >= 2, s.hidden >= 1, s.taskActions >= 1, s.playActions >= 1, s.observationSize == header.observation.size else {
            throw PlaySkillsError("\(path): skill file's model shape is inconsistent")
        }
        var parameters = ContiguousArray<Float>(repeating: 0, count: n)
        let start = 12 + headerLength
        for i in 0..<n { parameters[i] = Float(bitPattern: LittleEndian.uint32(b, at: start + 4 * i)) }
        guard let model = SkillVAE(shape: s, parameters: parameters) else {
            throw PlaySkillsError("\(path): skill file's model needs other than the \(n) parameters it holds")
        }
        return PlaySkills(model: model, observation: header.observation, tapes: header.tapes, scenarios: header.scenarios,
                          seed: header.seed, steps: header.steps, batch: header.batch, trainingSegments: header.trainingSegments,
                          heldOutSegments: header.heldOutSegments, heldOut: header.heldOut, tool: header.tool)
    }

    /// Reads and verifies a skill file.
    public static func read(from path: String) throws(PlaySkillsError) -> PlaySkills {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw PlaySkillsError("\(path): is a folder, expected a skill file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PlaySkillsError("\(path): cannot read the skill file (missing or unreadable)")
        }
        return try decode(Array(data), path: path)
    }

    /// Writes the file atomically: a reader sees the old file or the whole new one.
    public func write(to path: String) throws(PlaySkillsError) {
        do { try AtomicFile.write(encoded(), to: path) } catch { throw PlaySkillsError("\(path): \(error.message)") }
    }
}
