/// Text attributes a cell can carry.
public struct Attributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = Attributes(rawValue: 1 << 0)
    public static let dim = Attributes(rawValue: 1 << 1)
    public static let reverse = Attributes(rawValue: 1 << 2)
    public static let underline = Attributes(rawValue: 1 << 3)

    /// Names as themes spell them.
    public static let names: [(String, Attributes)] = [
        ("bold", .bold), ("dim", .dim), ("reverse", .reverse), ("underline", .underline),
    ]
}

/// Foreground, background and attributes: how a cell is drawn, apart from its glyph.
public struct Style: Hashable, Sendable {
    public var foreground: Color
    public var background: Color
    public var attributes: Attributes

    public init(foreground: Color = .default, background: Color = .default, attributes: Attributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    public static let plain = Style()

    /// The same style with extra attributes.
    public func adding(_ extra: Attributes) -> Style {
        var style = self
        style.attributes.formUnion(extra)
        return style
    }

    /// The same style on another background.
    public func on(_ background: Color) -> Style {
        var style = self
        style.background = background
        return style
    }
}

/// One screen cell: a glyph and its style. Small and trivially copyable so whole screens diff fast.
public struct Cell: Hashable, Sendable {
    public var glyph: Glyph
    public var foreground: Color
    public var background: Color
    public var attributes: Attributes

    @inlinable public init(_ glyph: Glyph, style: Style = .plain) {
        self.glyph = glyph
        foreground = style.foreground
        background = style.background
        attributes = style.attributes
    }

    public init(_ character: Character, style: Style = .plain) {
        self.init(Glyph(character), style: style)
    }

    /// A space in the terminal's default colours.
    public static let blank = Cell(Glyph.space)

    public var style: Style {
        get { Style(foreground: foreground, background: background, attributes: attributes) }
        set {
            foreground = newValue.foreground
            background = newValue.background
            attributes = newValue.attributes
        }
    }
}
