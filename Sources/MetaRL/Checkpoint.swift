import Checksum
import Foundation
import NeuralCore
import Records

/// Why a checkpoint could not be written or read; each message names the file and what to do.
public enum CheckpointError: Error, Equatable, CustomStringConvertible {
    case io(path: String, message: String)
    /// `found`: what the file is instead, when its first bytes tell (`FileKind.identified`), else empty.
    case notACheckpoint(path: String, found: String)
    case unsupportedVersion(path: String, found: UInt32, supported: UInt32)
    case truncated(path: String, expectedBytes: Int, foundBytes: Int)
    case checksumMismatch(path: String, stored: UInt32, computed: UInt32)
    case corruptHeader(path: String, message: String)
    case inconsistent(path: String, message: String)

    public var description: String {
        switch self {
        case .io(let p, let m): return "\(p): \(m)"
        case .notACheckpoint(let p, let found): return "\(p): not a PlayGrid checkpoint (missing the PGCK signature)\(found)"
        case .unsupportedVersion(let p, let f, let s):
            return "\(p): checkpoint format version \(f) is not supported (this build reads version \(s))"
        case .truncated(let p, let e, let f):
            return "\(p): checkpoint is truncated (expected \(e) bytes, found \(f)); it was damaged or not fully written"
        case .checksumMismatch(let p, let s, let c):
            return "\(p): checkpoint is damaged (CRC32 \(String(s, radix: 16)) stored, \(String(c, radix: 16)) computed)"
        case .corruptHeader(let p, let m): return "\(p): checkpoint header is unreadable: \(m)"
        case .inconsistent(let p, let m): return "\(p): checkpoint is inconsistent: \(m)"
        }
    }
}

/// Everything needed to rebuild a trained policy and resume its training, in one versioned file.
///
/// Layout (little-endian): `"PGCK"`, format version (UInt32), header length (UInt32), a JSON header (model and
/// trainer configuration, optimiser settings, counters, what it was trained on, a skill discriminator and a goal
/// curriculum's state), then
/// the parameters, Adam's first and second moments as Float32 arrays, and a CRC32 of all preceding bytes.
/// Files are written atomically: a temporary file in the same folder is written, flushed to disk and renamed.
public struct Checkpoint: Sendable, Equatable {
    public static let formatVersion: UInt32 = 1
    public static let magic = FileKind.checkpoint.signature

    public var policy: PolicyConfiguration
    public var trainer: TrainerConfiguration
    public var parameters: ContiguousArray<Float>
    public var optimizer: Adam
    public var updateCount: Int
    public var environmentSteps: Int
    /// What it was trained on and how (nil for checkpoints that predate identities and do not say).
    public var identity: TrainingIdentity?
    /// The skill discriminator trained alongside (DIAYN: `playgrid train --skills K`), nil without skills.
    public var discriminator: SkillDiscriminator?
    /// The skill model a high-level agent chooses skills of (`playgrid train --skills-from`), nil otherwise.
    public var skillModel: SkillVAE?
    /// The goal curriculum's state (`playgrid train --goals`), nil without goals.
    public var goalCurriculum: GoalCurriculumState?

    public init(policy: PolicyConfiguration, trainer: TrainerConfiguration, parameters: ContiguousArray<Float>,
                optimizer: Adam, updateCount: Int, environmentSteps: Int, identity: TrainingIdentity?,
                discriminator: SkillDiscriminator? = nil, skillModel: SkillVAE? = nil, goalCurriculum: GoalCurriculumState? = nil) {
        self.policy = policy
        self.trainer = trainer
        self.parameters = parameters
        self.optimizer = optimizer
        self.updateCount = updateCount
        self.environmentSteps = environmentSteps
        self.identity = identity
        self.discriminator = discriminator
        self.skillModel = skillModel
        self.goalCurriculum = goalCurriculum
    }

    /// A snapshot of a trainer's current state.
    public init<E: MetaEnvironment>(trainer t: Trainer<E>, identity: TrainingIdentity?) {
        let environment = t.environment
        self.init(policy: t.policy.configuration, trainer: t.configuration, parameters: t.parameters,
                  optimizer: t.optimizer, updateCount: t.updateCount, environmentSteps: t.environmentSteps,
                  identity: identity, discriminator: environment.skillDiscriminator, skillModel: environment.skillModel,
                  goalCurriculum: environment.goalCurriculumState)
    }

    /// The policy this checkpoint's parameters belong to.
    public var recurrentPolicy: RecurrentPolicy { RecurrentPolicy(policy) }

    /// A trainer that resumes from this checkpoint on `environment`.
    public func makeTrainer<E: MetaEnvironment>(environment: E) throws(TrainingError) -> Trainer<E> {
        try Trainer(environment: environment, policy: recurrentPolicy, configuration: trainer, parameters: parameters,
                    optimizer: optimizer, updateCount: updateCount, environmentSteps: environmentSteps)
    }

    struct Header: Codable {
        var policy: PolicyConfiguration
        var trainer: TrainerConfiguration
        var parameterCount: Int
        var updateCount: Int
        var environmentSteps: Int
        var adamLearningRate: Float
        var adamBeta1: Float
        var adamBeta2: Float
        var adamEpsilon: Float
        var adamStepCount: Int
        var identity: TrainingIdentity?
        var discriminator: SkillDiscriminator?
        var skillModel: SkillVAE?
        var goalCurriculum: GoalCurriculumState?
        /// Where version-1 files kept their identity, as an untyped JSON string.
        var userConfiguration: String?
    }

    /// The file's bytes.
    public func encoded() -> [UInt8] {
        let header = Header(policy: policy, trainer: trainer, parameterCount: parameters.count, updateCount: updateCount,
                            environmentSteps: environmentSteps, adamLearningRate: optimizer.learningRate,
                            adamBeta1: optimizer.beta1, adamBeta2: optimizer.beta2, adamEpsilon: optimizer.epsilon,
                            adamStepCount: optimizer.stepCount, identity: identity, discriminator: discriminator,
                            skillModel: skillModel, goalCurriculum: goalCurriculum, userConfiguration: nil)
        // Non-finite floats become null, so encoding these structs of numbers and strings cannot fail.
        let json = Array((try? StableJSON.data(header)) ?? Data())
        var bytes = Checkpoint.magic
        bytes.reserveCapacity(16 + json.count + 12 * parameters.count)
        LittleEndian.append(Checkpoint.formatVersion, to: &bytes)
        LittleEndian.append(UInt32(json.count), to: &bytes)
        bytes += json
        for array in [parameters, optimizer.firstMoment, optimizer.secondMoment] {
            array.withUnsafeBufferPointer { p in
                for v in p { LittleEndian.append(v.bitPattern, to: &bytes) }
            }
        }
        LittleEndian.append(CRC32.checksum(bytes), to: &bytes)
        return bytes
    }

    /// Parses and verifies a checkpoint's bytes; `path` only labels errors.
    public static func decode(_ b: [UInt8], path: String = "<memory>") throws(CheckpointError) -> Checkpoint {
        if b.count < 4 || Array(b[0..<4]) != magic { throw .notACheckpoint(path: path, found: FileKind.identified(b.prefix(16))) }
        if b.count < 16 { throw .truncated(path: path, expectedBytes: 16, foundBytes: b.count) }
        let version = LittleEndian.uint32(b, at: 4)
        if version != formatVersion { throw .unsupportedVersion(path: path, found: version, supported: formatVersion) }
        let stored = LittleEndian.uint32(b, at: b.count - 4)
        let computed = b.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<(b.count - 4)])) }
        let headerLength = Int(LittleEndian.uint32(b, at: 8))
        if 12 + headerLength + 4 > b.count {
            // The declared length may itself be the damage, so only a file that ends inside its header is called cut short.
            if stored != computed && !endsInsideHeader(b) { throw .checksumMismatch(path: path, stored: stored, computed: computed) }
            throw .truncated(path: path, expectedBytes: 12 + headerLength + 4, foundBytes: b.count)
        }
        let header: Header
        do {
            header = try StableJSON.decode(Header.self, from: Data(b[12..<(12 + headerLength)]))
        } catch {
            if stored != computed { throw .checksumMismatch(path: path, stored: stored, computed: computed) }
            throw .corruptHeader(path: path, message: StableJSON.reason(error))
        }
        let n = header.parameterCount
        // A count no file could hold is damage, and working out the size it needs would overflow (a trap), below
        // zero as well as above.
        if n < 0 || n > (Int.max - 16 - headerLength) / 12 {
            if stored != computed { throw .checksumMismatch(path: path, stored: stored, computed: computed) }
            throw .inconsistent(path: path, message: "the header counts \(n) parameters, which no file can hold")
        }
        let expected = 12 + headerLength + 12 * n + 4
        if n < 0 || b.count != expected {
            if b.count < expected { throw .truncated(path: path, expectedBytes: expected, foundBytes: b.count) }
            throw .inconsistent(path: path, message: "\(b.count - expected) unexpected trailing bytes")
        }
        if stored != computed { throw .checksumMismatch(path: path, stored: stored, computed: computed) }
        // Sizes no network has would overflow working out how many parameters they need (a trap), so they are
        // refused before a policy is built from them.
        if let problem = implausibleShape(header.policy) ?? implausibleCounts(header) { throw .inconsistent(path: path, message: problem) }
        let policy = RecurrentPolicy(header.policy)
        if policy.parameterCount != n {
            throw .inconsistent(path: path, message: "the model configuration needs \(policy.parameterCount) parameters, the file holds \(n)")
        }
        var offset = 12 + headerLength
        func floats() -> ContiguousArray<Float> {
            var out = ContiguousArray<Float>(repeating: 0, count: n)
            for i in 0..<n { out[i] = Float(bitPattern: LittleEndian.uint32(b, at: offset + 4 * i)) }
            offset += 4 * n
            return out
        }
        let parameters = floats()
        var adam = Adam(parameterCount: n, learningRate: header.adamLearningRate, beta1: header.adamBeta1,
                        beta2: header.adamBeta2, epsilon: header.adamEpsilon)
        adam.firstMoment = floats()
        adam.secondMoment = floats()
        adam.stepCount = header.adamStepCount
        return Checkpoint(policy: header.policy, trainer: header.trainer, parameters: parameters, optimizer: adam,
                          updateCount: header.updateCount, environmentSteps: header.environmentSteps,
                          identity: header.identity ?? header.userConfiguration.flatMap { TrainingIdentity(legacy: $0, observationSize: header.policy.observationSize) },
                          discriminator: header.discriminator, skillModel: header.skillModel, goalCurriculum: header.goalCurriculum)
    }

    /// Whether all that follows the fixed part is text, as the JSON header is: a whole checkpoint has thousands of
    /// bytes of binary numbers after its header, and they hold control bytes (as its checksum all but surely does).
    static func endsInsideHeader(_ b: [UInt8]) -> Bool {
        b[12...].allSatisfy { $0 >= 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    }

    /// What is impossible about a saved model's sizes (nil: nothing): each far beyond any network PlayGrid trains
    /// (a GRU of 1,024 units, observations of a few thousand numbers), yet small enough that the parameter count
    /// they imply cannot overflow.
    static func implausibleShape(_ p: PolicyConfiguration) -> String? {
        let sizes: [(String, Int, ClosedRange<Int>)] = [
            ("observation size", p.observationSize, 1...1 << 20), ("task actions", p.taskActionCount, 1...1 << 16),
            ("play actions", p.playActionCount, 1...1 << 16), ("hidden size", p.hiddenSize, 1...1 << 16),
            ("trunk size", p.trunkSize, 0...1 << 16), ("recall capacity", p.recallCapacity, 0...1 << 20),
        ]
        guard let (name, value, range) = sizes.first(where: { !$0.2.contains($0.1) }) else { return nil }
        return "the model's \(name) is \(value), outside \(range.lowerBound)…\(range.upperBound)"
    }

    /// What is impossible about a header's counters (nil: nothing): negative, a resumed run traps converting them;
    /// near Int.max, adding the steps it is asked for overflows (a trap).
    static func implausibleCounts(_ h: Header) -> String? {
        let counts = [("update count", h.updateCount), ("environment steps", h.environmentSteps), ("optimiser step count", h.adamStepCount)]
        guard let (name, value) = counts.first(where: { !(0...(1 << 62)).contains($0.1) }) else { return nil }
        return "its \(name) is \(value), outside 0…\(1 << 62)"
    }

    /// Reads and verifies a checkpoint file.
    public static func read(from path: String) throws(CheckpointError) -> Checkpoint {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw .io(path: path, message: "is a folder, expected a checkpoint file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .io(path: path, message: "cannot read the checkpoint file (missing or unreadable)")
        }
        return try decode(Array(data), path: path)
    }

    /// Writes the checkpoint atomically: a reader sees the old file or the complete new one, never a mix.
    public func write(to path: String) throws(CheckpointError) {
        do {
            try AtomicFile.write(encoded(), to: path)
        } catch {
            throw .io(path: path, message: error.message)
        }
    }
}
