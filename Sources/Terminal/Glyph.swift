/// What one cell shows: a Unicode scalar, optionally followed by one combining scalar.
///
/// Two `UInt32`s rather than a `Character` keep cells trivially copyable and comparable in the diff's
/// hot loop (`Character` equality runs Unicode normalisation). A cell covered by the right half of a
/// double-width glyph holds `continuation` and is drawn by its left neighbour.
public struct Glyph: Hashable, Sendable, CustomStringConvertible {
    public var first: UInt32
    public var second: UInt32

    @inlinable public init(_ scalar: Unicode.Scalar) {
        first = scalar.value
        second = 0
    }

    /// The first two scalars of `character` (longer clusters such as ZWJ emoji keep only these).
    public init(_ character: Character) {
        let scalars = character.unicodeScalars
        var iterator = scalars.makeIterator()
        first = iterator.next()?.value ?? 0x20
        second = iterator.next()?.value ?? 0
    }

    /// A glyph from a string of exactly one grapheme of at most two scalars; nil otherwise.
    public init?(exactly text: String) {
        guard text.count == 1, let character = text.first, character.unicodeScalars.count <= 2 else { return nil }
        self.init(character)
    }

    @usableFromInline init(first: UInt32, second: UInt32) {
        self.first = first
        self.second = second
    }

    public static let space = Glyph(Unicode.Scalar(0x20))
    /// The right half of a double-width glyph.
    public static let continuation = Glyph(first: 0, second: 0)

    public var isContinuation: Bool { first == 0 }

    /// The glyph as a string (empty for a continuation).
    public var description: String {
        var text = ""
        if let scalar = Unicode.Scalar(first), first != 0 { text.unicodeScalars.append(scalar) }
        if let scalar = Unicode.Scalar(second), second != 0 { text.unicodeScalars.append(scalar) }
        return text
    }

    /// Columns the glyph takes in a terminal: 0 (control or combining), 1, or 2 (East Asian wide, emoji).
    public var width: Int { Glyph.columns(of: first) }

    /// Locale-independent column width of a scalar, following the tables glibc's `wcwidth` uses.
    ///
    /// The screen model must not depend on the process locale (tests run in the C locale), so the
    /// ranges are kept here; `ThemeTests` checks that they agree with `wcwidth` for every theme glyph.
    public static func columns(of scalar: UInt32) -> Int {
        if scalar < 0x20 || (scalar >= 0x7F && scalar < 0xA0) { return 0 }
        if scalar < 0x300 { return 1 }
        // Letterlike symbols, arrows, maths, box drawing, blocks and shapes: all narrow, and drawn often.
        if (0x2100..<0x2319).contains(scalar) || (0x2500..<0x25FD).contains(scalar) { return 1 }
        if contains(zeroWidthRanges, scalar) { return 0 }
        if scalar >= 0x1100, contains(wideRanges, scalar) { return 2 }
        return 1
    }

    private static func contains(_ ranges: [ClosedRange<UInt32>], _ value: UInt32) -> Bool {
        var low = 0, high = ranges.count - 1
        while low <= high {
            let mid = (low + high) / 2
            if value < ranges[mid].lowerBound { high = mid - 1 } else if value > ranges[mid].upperBound { low = mid + 1 } else { return true }
        }
        return false
    }

    private static let zeroWidthRanges: [ClosedRange<UInt32>] = [
        0x0300...0x036F, 0x0483...0x0489, 0x0591...0x05BD, 0x0610...0x061A, 0x064B...0x065F,
        0x1AB0...0x1AFF, 0x1DC0...0x1DFF, 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2064,
        0x20D0...0x20FF, 0xFE00...0xFE0F, 0xFE20...0xFE2F, 0xFEFF...0xFEFF, 0xE0100...0xE01EF,
    ]

    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0,
        0x23F3...0x23F3, 0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F,
        0x2693...0x2693, 0x26A1...0x26A1, 0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5,
        0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA, 0x26F2...0x26F3, 0x26F5...0x26F5,
        0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B, 0x2728...0x2728,
        0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797,
        0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55,
        0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
        0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
        0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1B000...0x1B2FF,
        0x1F004...0x1F004, 0x1F0CF...0x1F0CF, 0x1F18E...0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F251,
        0x1F300...0x1F320, 0x1F32D...0x1F335, 0x1F337...0x1F37C, 0x1F37E...0x1F393, 0x1F3A0...0x1F3CA,
        0x1F3CF...0x1F3D3, 0x1F3E0...0x1F3F0, 0x1F3F4...0x1F3F4, 0x1F3F8...0x1F43E, 0x1F440...0x1F440,
        0x1F442...0x1F4FC, 0x1F4FF...0x1F53D, 0x1F54B...0x1F54E, 0x1F550...0x1F567, 0x1F57A...0x1F57A,
        0x1F595...0x1F596, 0x1F5A4...0x1F5A4, 0x1F5FB...0x1F64F, 0x1F680...0x1F6C5, 0x1F6CC...0x1F6CC,
        0x1F6D0...0x1F6D2, 0x1F6D5...0x1F6D7, 0x1F6DC...0x1F6DF, 0x1F6EB...0x1F6EC, 0x1F6F4...0x1F6FC,
        0x1F7E0...0x1F7EB, 0x1F7F0...0x1F7F0, 0x1F90C...0x1F93A, 0x1F93C...0x1F945, 0x1F947...0x1F9FF,
        0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]
}
