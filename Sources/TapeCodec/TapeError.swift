/// Why a tape cannot be written, read, replayed or verified: a value with a message that names the tape.
public struct TapeError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// The file cannot be created, opened, read or written.
        case io
        /// The tape exists and `--force` was not given.
        case exists
        /// The file does not start like a PlayGrid tape.
        case notATape
        /// A tape of a format version this build does not read.
        case unsupportedVersion
        /// A record's checksum or contents are wrong: the bytes were changed.
        case damaged
        /// The tape ends early (its writer stopped before closing it); every complete record still reads.
        case truncated
        /// The embedded scenario does not parse, or its MDPs cannot be drawn.
        case badScenario
        /// Re-simulating the recorded actions does not give the recorded states, rewards or events.
        case diverged
        /// A step number beyond the tape, or frames fed to a writer out of order.
        case misuse
    }

    public var kind: Kind
    /// The tape's path (or a name for an in-memory tape).
    public var path: String
    public var message: String
    /// The record the problem is in (numbered from 0, the header), when it is in one.
    public var record: Int?
    /// The byte offset of that record, or of the problem.
    public var offset: Int?
    /// The step (numbered from 0 over the whole tape) where re-simulation diverged.
    public var step: Int?

    public init(_ kind: Kind, path: String, _ message: String, record: Int? = nil, offset: Int? = nil, step: Int? = nil) {
        self.kind = kind
        self.path = path
        self.message = message
        self.record = record
        self.offset = offset
        self.step = step
    }

    public var description: String {
        var location = ""
        if let record { location += " record \(record)" }
        if let offset { location += location.isEmpty ? " at byte \(offset)" : " (at byte \(offset))" }
        if let step, record == nil { location += " step \(step)" }
        return "\(path):\(location.isEmpty ? "" : location + ":") \(message)"
    }

    /// The process exit status a command gives for this error: 2 not a tape or unsupported version,
    /// 3 damaged or truncated, 4 diverged, 1 anything else.
    public var exitStatus: Int32 {
        switch kind {
        case .notATape, .unsupportedVersion: 2
        case .damaged, .truncated: 3
        case .diverged: 4
        case .io, .exists, .badScenario, .misuse: 1
        }
    }
}
