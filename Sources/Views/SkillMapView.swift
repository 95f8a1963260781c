import Terminal

/// Where each skill of a skill agent goes (DIAYN's visit maps), side by side: one panel per skill, shaded by how
/// much of that skill's time it spends on each cell, then a panel where every visited cell shows the skill that
/// stood there most. A skill is named by one glyph (0–9, then a–z) and drawn in its own colour, so the
/// panels read apart in colour and as plain text alike.
public struct SkillMapView: Sendable {
    public let width: Int
    public let height: Int
    /// Per skill, visits of each cell, row-major.
    public let visits: [[Int]]
    /// Per cell, row-major: true where the agent cannot stand (walls).
    public let blocked: [Bool]
    /// Per cell, row-major, the skill the discriminator takes it for (-1: none), drawn as a last panel; nil: no panel.
    public let judged: [Int]?

    /// Skills the view can name, one glyph each.
    public static let glyphs: [Character] = Array("0123456789abcdefghijklmnopqrstuvwxyz")
    static let colors: [Color] = [.brightRed, .brightGreen, .brightYellow, .brightBlue, .brightMagenta, .brightCyan,
                                  .red, .green, .yellow, .blue, .magenta, .cyan]

    public init(width: Int, height: Int, visits: [[Int]], blocked: [Bool], judged: [Int]? = nil) {
        precondition(visits.allSatisfy { $0.count == width * height } && blocked.count == width * height
                     && (judged?.count ?? width * height) == width * height,
                     "SkillMapView: one value per cell of a \(width)×\(height) map")
        precondition(visits.count <= Self.glyphs.count, "SkillMapView names at most \(Self.glyphs.count) skills")
        self.width = width
        self.height = height
        self.visits = visits
        self.blocked = blocked
        self.judged = judged
    }

    /// The colour skill `z` is drawn in.
    public static func color(ofSkill z: Int) -> Color { colors[z % colors.count] }

    /// A panel is the map under a one-line title; panels are a column apart (after the skills', one shows all skills
    /// and, with `judged`, one the discriminator's verdicts).
    public var size: Size {
        let panelWidth = max(width, 5), panels = (visits.count + 1) * (panelWidth + 1) - 1
        return Size(width: judged == nil ? panels : panels + 1 + max(panelWidth, "judged".count), height: height + 1)
    }

    /// Draws the panels with their top-left corner at (`x`, `y`); cells off the screen are skipped.
    public func draw(into screen: inout Screen, x: Int, y: Int) {
        let panelWidth = max(width, 5)
        let clip = screen.bounds
        func put(_ c: Character, _ px: Int, _ py: Int, _ style: Style) {
            guard clip.contains(x: px, y: py) else { return }
            screen[px, py] = Cell(c, style: style)
        }
        let wall = Style(attributes: .dim), floor = Style(attributes: .dim)
        for (z, counts) in visits.enumerated() {
            let left = x + z * (panelWidth + 1)
            screen.write("z=\(Self.glyphs[z])", x: left, y: y, style: Style(foreground: Self.color(ofSkill: z), attributes: .bold), clip: clip)
            let most = max(1, counts.max() ?? 1)
            for row in 0..<height {
                for column in 0..<width {
                    let i = row * width + column, v = counts[i]
                    if blocked[i] { put("#", left + column, y + 1 + row, wall); continue }
                    if v == 0 { put(".", left + column, y + 1 + row, floor); continue }
                    // Thirds of the skill's busiest cell: passed through, stayed a while, where it lives.
                    let level = min(2, 3 * v / most)
                    put([":", "o", "@"][level], left + column, y + 1 + row,
                        Style(foreground: Self.color(ofSkill: z), attributes: level == 2 ? .bold : []))
                }
            }
        }
        let left = x + visits.count * (panelWidth + 1)
        screen.write("all", x: left, y: y, style: Style(attributes: .bold), clip: clip)
        for row in 0..<height {
            for column in 0..<width {
                let i = row * width + column
                if blocked[i] { put("#", left + column, y + 1 + row, wall); continue }
                var best = -1, bestCount = 0
                for z in visits.indices where visits[z][i] > bestCount { (best, bestCount) = (z, visits[z][i]) }
                if best < 0 { put(".", left + column, y + 1 + row, floor); continue }
                put(Self.glyphs[best], left + column, y + 1 + row, Style(foreground: Self.color(ofSkill: best), attributes: .bold))
            }
        }
        guard let judged else { return }
        let judgedLeft = left + panelWidth + 1
        screen.write("judged", x: judgedLeft, y: y, style: Style(attributes: .bold), clip: clip)
        for row in 0..<height {
            for column in 0..<width {
                let i = row * width + column, z = judged[i]
                if blocked[i] || z < 0 { put(blocked[i] ? "#" : ".", judgedLeft + column, y + 1 + row, blocked[i] ? wall : floor); continue }
                put(Self.glyphs[z], judgedLeft + column, y + 1 + row, Style(foreground: Self.color(ofSkill: z)))
            }
        }
    }

    /// The panels as plain text, one line per row (for `playgrid skills eval` and tests).
    public var text: String {
        var screen = Screen(size: size)
        draw(into: &screen, x: 0, y: 0)
        return screen.text
    }
}
