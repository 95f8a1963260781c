/// Glyphs and colours for everything PlayGrid draws, keyed by stable names.
///
/// A theme is data (a JSON file in `assets/themes/`), so the look can change without code and an
/// ASCII theme can stand in when the terminal is not UTF-8. Every glyph is one column wide, checked
/// when loading, so maps never misalign. Names the world engine uses are in `worldNames`.
public struct Theme: Equatable, Sendable {
    /// A named glyph (absent for style-only entries such as `text`) and its style.
    public struct Entry: Equatable, Sendable {
        public var glyph: Glyph?
        public var style: Style

        public init(glyph: Glyph?, style: Style) {
            self.glyph = glyph
            self.style = style
        }
    }

    public let name: String
    /// False for themes that use ASCII only (safe on any terminal); checked when loading.
    public let isUnicode: Bool
    public let entries: [String: Entry]
    /// Partial fills of a horizontal bar cell, from 1/n to (n-1)/n; the full cell is `bar-fill`.
    public let barLevels: [Glyph]
    /// Heights of a sparkline or chart cell from lowest to full (at least two).
    public let sparkLevels: [Glyph]
    /// Colours of the heat overlay from cold to hot.
    public let heat: HeatRamp

    public init(name: String, isUnicode: Bool, entries: [String: Entry], barLevels: [Glyph], sparkLevels: [Glyph], heat: HeatRamp) {
        self.name = name
        self.isUnicode = isUnicode
        self.entries = entries
        self.barLevels = barLevels
        self.sparkLevels = sparkLevels
        self.heat = heat
    }

    /// Tiles, things and the agent, as the world engine names them.
    public static let worldNames = [
        "floor", "wall", "sand", "water", "grass", "plate", "bridge",
        "rock", "sunk-rock", "ball", "key", "door", "door-open", "goal", "fruit", "bell",
        "switch", "switch-on", "lamp", "lamp-on", "block", "hole", "pad", "lever",
        "agent-up", "agent-down", "agent-left", "agent-right",
    ]

    /// Interface glyphs every theme defines.
    public static let interfaceGlyphNames = [
        "frame-top-left", "frame-top-right", "frame-bottom-left", "frame-bottom-right",
        "frame-horizontal", "frame-vertical", "bar-fill", "bar-empty", "chart-point", "unknown",
    ]

    /// Interface styles every theme defines (a glyph is optional for these).
    public static let interfaceStyleNames = [
        "text", "text-dim", "title", "key-label", "warning", "task", "fun", "selected", "frame-title",
    ]

    /// Every name a theme file must define.
    public static var requiredNames: [String] { worldNames + interfaceGlyphNames + interfaceStyleNames }

    /// The glyph for `name`; the `unknown` glyph (or "?") for names the theme lacks.
    public func glyph(_ name: String) -> Glyph {
        entries[name]?.glyph ?? entries["unknown"]?.glyph ?? Glyph(Character("?"))
    }

    /// The style for `name`; plain for names the theme lacks.
    public func style(_ name: String) -> Style {
        entries[name]?.style ?? .plain
    }

    /// Glyph and style of `name` as one cell.
    public func cell(_ name: String) -> Cell {
        Cell(glyph(name), style: style(name))
    }

    /// Cells for a list of names, looked up once: a view indexes this by tile or thing id in its hot loop
    /// instead of hashing strings per cell.
    public func cells(for names: [String]) -> ContiguousArray<Cell> {
        ContiguousArray(names.map(cell))
    }
}
