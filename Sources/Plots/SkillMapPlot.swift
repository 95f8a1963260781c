/// Where each skill of a skill agent goes, as a standalone SVG for papers: one small map per skill, each cell shaded
/// by how much of that skill's busiest cell's time it holds, then a map where each visited cell takes the colour of
/// the skill most often there, faded by that skill's share of the cell's visits (so shared cells show), and, when
/// given, a map of the skill the discriminator takes each cell for. The
/// terminal draws the same maps as text (`SkillMapView`, in `playgrid skills eval`).
///
/// Pure: it turns counts into SVG text; writing the file is the caller's business.
public struct SkillMapPlot: Sendable {
    public var title: String
    public var width: Int
    public var height: Int
    /// Per skill, visits of each cell, row-major.
    public var visits: [[Int]]
    /// Per cell, row-major: true where the agent cannot stand (walls).
    public var blocked: [Bool]
    /// Per cell, row-major, the skill the discriminator takes it for (-1: none), drawn as a last map; nil: no map.
    public var judged: [Int]?
    /// A cell's side in pixels.
    public var cell = 14.0
    /// Maps in a row before the next row starts.
    public var perRow = 5

    public init(title: String, width: Int, height: Int, visits: [[Int]], blocked: [Bool], judged: [Int]? = nil) {
        precondition(visits.allSatisfy { $0.count == width * height } && blocked.count == width * height
                     && (judged?.count ?? width * height) == width * height,
                     "SkillMapPlot: one value per cell of a \(width)×\(height) map")
        self.title = title
        self.width = width
        self.height = height
        self.visits = visits
        self.blocked = blocked
        self.judged = judged
    }

    /// Skill `z`'s colour among `count`: the line plots' palette, then hues around the wheel.
    static func color(ofSkill z: Int, of count: Int) -> String {
        z < LinePlot.palette.count ? LinePlot.palette[z] : "hsl(\(360 * z / max(count, 1)), 65%, 45%)"
    }

    public var svg: String {
        let maps = visits.count + (judged == nil ? 1 : 2), columns = min(maps, perRow), rows = (maps + columns - 1) / columns
        let (gap, top, label) = (16.0, 40.0, 16.0)
        let mapWidth = Double(width) * cell, mapHeight = Double(height) * cell
        let svgWidth = gap + Double(columns) * (mapWidth + gap), svgHeight = top + Double(rows) * (label + mapHeight + gap)
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        var out = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(svgWidth))" height="\(Int(svgHeight))" viewBox="0 0 \(Int(svgWidth)) \(Int(svgHeight))" font-family="sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(f(svgWidth / 2))" y="22" text-anchor="middle" font-size="14">\(escape(title))</text>

        """
        func map(_ index: Int, name: String, fill: (Int) -> (color: String, opacity: Double)?) {
            let x = gap + Double(index % columns) * (mapWidth + gap), y = top + Double(index / columns) * (label + mapHeight + gap)
            out += "<text x=\"\(f(x))\" y=\"\(f(y + 12))\">\(escape(name))</text>\n"
            for i in 0..<(width * height) {
                let cx = x + Double(i % width) * cell, cy = y + label + Double(i / width) * cell
                let rect = "<rect x=\"\(f(cx))\" y=\"\(f(cy))\" width=\"\(f(cell))\" height=\"\(f(cell))\""
                if blocked[i] {
                    out += rect + " fill=\"#555555\"/>\n"
                } else if let shade = fill(i) {
                    out += rect + " fill=\"\(shade.color)\" fill-opacity=\"\(String(format: "%.2f", shade.opacity))\" stroke=\"#dddddd\" stroke-width=\"0.5\"/>\n"
                } else {
                    out += rect + " fill=\"#f6f6f6\" stroke=\"#dddddd\" stroke-width=\"0.5\"/>\n"
                }
            }
        }
        for (z, counts) in visits.enumerated() {
            let most = Double(max(1, counts.max() ?? 1))
            map(z, name: "skill \(z)") { i in
                counts[i] == 0 ? nil : (Self.color(ofSkill: z, of: visits.count), 0.15 + 0.85 * Double(counts[i]) / most)
            }
        }
        map(visits.count, name: "all (most often there)") { i in
            var best = -1, bestCount = 0, total = 0
            for z in visits.indices {
                total += visits[z][i]
                if visits[z][i] > bestCount { (best, bestCount) = (z, visits[z][i]) }
            }
            return best < 0 ? nil : (Self.color(ofSkill: best, of: visits.count), Double(bestCount) / Double(total))
        }
        if let judged {
            map(visits.count + 1, name: "judged (discriminator)") { i in
                judged[i] < 0 ? nil : (Self.color(ofSkill: judged[i], of: visits.count), 0.6)
            }
        }
        return out + "</svg>\n"
    }
}
