import Foundation
import Plots
import Testing

/// The SVG of skills' visit maps: walls, unvisited floor, a skill's cells shaded against its busiest, and the last map
/// coloured by the skill most often in each cell, faded by its share there.
@Suite struct SkillMapPlotTests {
    /// A 3×2 room whose first cell is a wall; skill 0 lives in cell 1, skill 1 in cell 4, and both pass cell 2.
    let plot = SkillMapPlot(title: "two skills & a wall", width: 3, height: 2,
                            visits: [[0, 8, 2, 0, 0, 0], [0, 0, 6, 0, 12, 0]], blocked: [true, false, false, false, false, false])

    /// Each map's cells in order: (fill, opacity), opacity nil where the cell is not a skill's.
    func cells(_ svg: String) -> [(String, String?)] {
        let pattern = try! NSRegularExpression(pattern: #"<rect x="[\d.]+" y="[\d.]+" width="14.0" height="14.0" fill="([^"]+)"(?: fill-opacity="([\d.]+)")?"#)
        return pattern.matches(in: svg, range: NSRange(svg.startIndex..., in: svg)).map { m in
            (String(svg[Range(m.range(at: 1), in: svg)!]), Range(m.range(at: 2), in: svg).map { String(svg[$0]) })
        }
    }

    @Test("walls, empty floor, each skill shaded against its busiest cell, and the most frequent skill per cell by its share")
    func shading() {
        let svg = plot.svg
        #expect(svg.contains(">two skills &amp; a wall<") && svg.contains(">skill 1<") && svg.contains(">all (most often there)<"))
        let all = cells(svg)
        #expect(all.count == 3 * 6)
        let (skill0, skill1, most) = (Array(all[0..<6]), Array(all[6..<12]), Array(all[12..<18]))
        #expect(skill0.map(\.0) == ["#555555", "#1f77b4", "#1f77b4", "#f6f6f6", "#f6f6f6", "#f6f6f6"])
        #expect(skill0.map(\.1) == [nil, "1.00", "0.36", nil, nil, nil])  // 0.15 + 0.85 · 2/8
        #expect(skill1[2].1 == "0.57" && skill1[4].1 == "1.00")         // 0.15 + 0.85 · 6/12
        #expect(most.map(\.0) == ["#555555", "#1f77b4", "#d62728", "#f6f6f6", "#d62728", "#f6f6f6"])
        #expect(most[2].1 == "0.75" && most[1].1 == "1.00")              // skill 1 holds 6 of cell 2's 8 visits
        #expect(plot.svg == svg)
    }

    @Test("with the discriminator's verdicts, a last map colours each cell by the skill it is taken for")
    func judgedMap() {
        var judging = plot
        judging.judged = [-1, 0, 0, 1, 1, 1]
        let svg = judging.svg
        #expect(svg.contains(">judged (discriminator)<"))
        let judged = Array(cells(svg)[18..<24])
        #expect(judged.map(\.0) == ["#555555", "#1f77b4", "#1f77b4", "#d62728", "#d62728", "#d62728"])
        #expect(judged[1].1 == "0.60" && cells(plot.svg).count == 18)
    }
}
