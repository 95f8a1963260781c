/// A colour as a view asks for it; mapped to the nearest colour the terminal has when presented.
///
/// Views name colours once (in themes or code) and never care how many colours the terminal has:
/// `terminalIndex(for:)` picks the nearest of xterm's 256, of the 8 ANSI colours, or none.
/// Stored as one `UInt32` so that cells stay small and trivially comparable.
public struct Color: Hashable, Sendable, CustomStringConvertible {
    @usableFromInline let raw: UInt32

    @inlinable init(raw: UInt32) { self.raw = raw }

    /// The terminal's own foreground or background.
    public static let `default` = Color(raw: 0)

    /// One of xterm's 256 colours (0–15 are the ANSI colours, whose exact shade depends on the terminal).
    @inlinable public static func indexed(_ index: UInt8) -> Color { Color(raw: 0x0100_0000 | UInt32(index)) }

    /// A 24-bit colour, shown as the nearest palette entry.
    @inlinable public static func rgb(_ red: UInt8, _ green: UInt8, _ blue: UInt8) -> Color {
        Color(raw: 0x0200_0000 | UInt32(red) << 16 | UInt32(green) << 8 | UInt32(blue))
    }

    public static let black = indexed(0), red = indexed(1), green = indexed(2), yellow = indexed(3)
    public static let blue = indexed(4), magenta = indexed(5), cyan = indexed(6), white = indexed(7)
    public static let brightBlack = indexed(8), brightRed = indexed(9), brightGreen = indexed(10)
    public static let brightYellow = indexed(11), brightBlue = indexed(12), brightMagenta = indexed(13)
    public static let brightCyan = indexed(14), brightWhite = indexed(15)

    /// The names accepted by `init?(parsing:)`, index order (0–15).
    public static let ansiNames = [
        "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
        "bright-black", "bright-red", "bright-green", "bright-yellow",
        "bright-blue", "bright-magenta", "bright-cyan", "bright-white",
    ]

    /// What the colour is.
    public enum Kind: Hashable, Sendable {
        case `default`
        case indexed(UInt8)
        case rgb(UInt8, UInt8, UInt8)
    }

    public var kind: Kind {
        switch raw >> 24 {
        case 1: return .indexed(UInt8(truncatingIfNeeded: raw))
        case 2: return .rgb(UInt8(truncatingIfNeeded: raw >> 16), UInt8(truncatingIfNeeded: raw >> 8),
                            UInt8(truncatingIfNeeded: raw))
        default: return .default
        }
    }

    /// Parses `default`, an ANSI name (`red`, `bright-blue`, `gray` = bright-black), `#rrggbb`, or `0`–`255`.
    public init?(parsing text: String) {
        let name = text.lowercased()
        if name == "default" || name == "none" { self = .default; return }
        if name == "gray" || name == "grey" { self = .brightBlack; return }
        if let index = Color.ansiNames.firstIndex(of: name) { self = .indexed(UInt8(index)); return }
        if name.hasPrefix("#"), name.count == 7, let value = UInt32(name.dropFirst(), radix: 16) {
            self = .rgb(UInt8(value >> 16), UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value))
            return
        }
        if let index = UInt8(name) { self = .indexed(index); return }
        return nil
    }

    public var description: String {
        switch kind {
        case .default: return "default"
        case .indexed(let index): return index < 16 ? Color.ansiNames[Int(index)] : "\(index)"
        case .rgb(let r, let g, let b):
            let hex = (UInt32(r) << 16 | UInt32(g) << 8 | UInt32(b))
            let digits = String(hex, radix: 16)
            return "#" + String(repeating: "0", count: 6 - digits.count) + digits
        }
    }

    /// The colour's components as xterm shows them (nil for the terminal default).
    public var components: (red: UInt8, green: UInt8, blue: UInt8)? {
        switch kind {
        case .default: return nil
        case .rgb(let r, let g, let b): return (r, g, b)
        case .indexed(let index): return Color.xtermComponents(index)
        }
    }

    /// The curses colour number for a terminal of `depth`: -1 means the terminal default.
    public func terminalIndex(for depth: ColorDepth) -> Int {
        switch (depth, kind) {
        case (.monochrome, _), (_, .default): return -1
        case (.xterm256, .indexed(let index)): return Int(index)
        case (.xterm256, .rgb(let r, let g, let b)): return Color.nearestXterm256(r, g, b)
        case (.ansi8, .indexed(let index)) where index < 16: return Int(index % 8)
        case (.ansi8, _):
            let (r, g, b) = components!
            return Color.nearestAnsi8(r, g, b)
        }
    }

    /// Linear blend in RGB: `t` = 0 gives `self`, 1 gives `other`. The default colour blends as black.
    public func mixed(with other: Color, _ t: Double) -> Color {
        let a = components ?? (0, 0, 0), b = other.components ?? (0, 0, 0)
        let u = min(1, max(0, t.isNaN ? 0 : t))
        func mix(_ p: UInt8, _ q: UInt8) -> UInt8 { UInt8((Double(p) + (Double(q) - Double(p)) * u).rounded()) }
        return .rgb(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
    }

    static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

    /// xterm's default palette.
    static func xtermComponents(_ index: UInt8) -> (UInt8, UInt8, UInt8) {
        let ansi: [(UInt8, UInt8, UInt8)] = [
            (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
            (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255),
            (255, 0, 255), (0, 255, 255), (255, 255, 255),
        ]
        switch index {
        case 0..<16: return ansi[Int(index)]
        case 16..<232:
            let n = Int(index) - 16
            return (UInt8(cubeLevels[n / 36]), UInt8(cubeLevels[(n / 6) % 6]), UInt8(cubeLevels[n % 6]))
        default:
            let level = UInt8(8 + 10 * (Int(index) - 232))
            return (level, level, level)
        }
    }

    static func distance(_ a: (UInt8, UInt8, UInt8), _ r: Int, _ g: Int, _ b: Int) -> Int {
        let dr = Int(a.0) - r, dg = Int(a.1) - g, db = Int(a.2) - b
        return 2 * dr * dr + 4 * dg * dg + 3 * db * db
    }

    /// Nearest of the 6×6×6 cube and the grey ramp (16–255); 0–15 are skipped because terminals re-theme them.
    static func nearestXterm256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int {
        func level(_ v: UInt8) -> Int {
            var best = 0
            for i in 1..<6 where abs(cubeLevels[i] - Int(v)) < abs(cubeLevels[best] - Int(v)) { best = i }
            return best
        }
        let cube = 16 + 36 * level(r) + 6 * level(g) + level(b)
        let average = (Int(r) + Int(g) + Int(b)) / 3
        let grey = 232 + min(23, max(0, (average - 3) / 10))
        let (ri, gi, bi) = (Int(r), Int(g), Int(b))
        return distance(xtermComponents(UInt8(grey)), ri, gi, bi) < distance(xtermComponents(UInt8(cube)), ri, gi, bi)
            ? grey : cube
    }

    /// Nearest of the 8 ANSI colours.
    static func nearestAnsi8(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int {
        var best = 0, bestDistance = Int.max
        for index in 0..<8 {
            let d = distance(xtermComponents(UInt8(index)), Int(r), Int(g), Int(b))
            if d < bestDistance { (best, bestDistance) = (index, d) }
        }
        return best
    }
}

/// How many colours a terminal can show.
public enum ColorDepth: String, Hashable, Sendable, CaseIterable {
    case monochrome
    case ansi8
    case xterm256

    /// The depth for a terminal that reports `colors` colours (curses' `COLORS`; 0 when it has none).
    public init(colors: Int) {
        self = colors >= 256 ? .xterm256 : colors >= 8 ? .ansi8 : .monochrome
    }
}
