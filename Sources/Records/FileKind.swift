/// The kinds of file PlayGrid writes, by the bytes each begins with: one home for the signatures, so that a reader
/// handed the wrong file can say what it was handed ("a tape, not a checkpoint") instead of only what it was not.
public enum FileKind: CaseIterable, Sendable {
    case checkpoint, tape, skillFile, funTape

    /// The bytes a file of this kind begins with.
    public var signature: [UInt8] {
        switch self {
        case .checkpoint: Array("PGCK".utf8)
        case .tape: [0x89, 0x50, 0x47, 0x54, 0x41, 0x50, 0x45, 0x0A]  // \x89 P G T A P E \n, as PNG's
        case .skillFile: Array("PGSK".utf8)
        case .funTape: Array("PGFT".utf8)
        }
    }

    /// The kind as a reader names it, with what makes one.
    public var name: String {
        switch self {
        case .checkpoint: "a checkpoint (playgrid train)"
        case .tape: "a tape (playgrid run --record)"
        case .skillFile: "a skill file (playgrid skills learn)"
        case .funTape: "a learned-fun record"
        }
    }

    /// The kind of PlayGrid file that begins with `start`, if any.
    public static func of(_ start: some Collection<UInt8>) -> FileKind? {
        allCases.first { start.starts(with: $0.signature) }
    }

    /// What a file beginning with `start` is, when that can be told from its first bytes: one of PlayGrid's kinds,
    /// an empty file, JSON (a run report) or an SVG; nil otherwise.
    public static func describe(_ start: some Collection<UInt8>) -> String? {
        let start = Array(start)
        if start.isEmpty { return "an empty file" }
        if let kind = of(start) { return kind.name }
        switch start.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) {
        case UInt8(ascii: "{"): return "a JSON file"
        case UInt8(ascii: "<"): return "an SVG or other XML file"
        default: return nil
        }
    }

    /// "; it is a tape (playgrid run --record)": words to end an error about a file that is not of the expected
    /// kind; empty when its start tells nothing.
    public static func identified(_ start: some Collection<UInt8>) -> String {
        describe(start).map { "; it is \($0)" } ?? ""
    }
}
