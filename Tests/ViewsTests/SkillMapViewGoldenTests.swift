import Terminal
import Testing
@testable import Views

@Suite struct SkillMapViewGoldenTests {
    /// A 5×4 room (its edge walls) where skill 0 keeps left, skill 1 right, and both cross the middle.
    static let view = SkillMapView(
        width: 5, height: 4,
        visits: [[0, 0, 0, 0, 0,
                  0, 9, 2, 0, 0,
                  0, 4, 1, 0, 0,
                  0, 0, 0, 0, 0],
                 [0, 0, 0, 0, 0,
                  0, 0, 3, 6, 0,
                  0, 0, 1, 2, 0,
                  0, 0, 0, 0, 0]],
        blocked: [true, true, true, true, true,
                  true, false, false, false, true,
                  true, false, false, false, true,
                  true, true, true, true, true])

    @Test("one panel per skill shaded by thirds of its busiest cell, then the skill most often on each cell (ties to the lower)")
    func panels() {
        #expect(Self.view.text == """
            z=0   z=1   all
            ##### ##### #####
            #@:.# #.o@# #011#
            #o:.# #.:o# #001#
            ##### ##### #####
            """)
    }

    @Test("with the discriminator's verdicts, a last panel gives each cell the skill it is taken for")
    func judgedPanel() {
        let view = SkillMapView(width: 5, height: 4, visits: Self.view.visits, blocked: Self.view.blocked,
                                judged: [-1, -1, -1, -1, -1,
                                         -1, 0, 0, 1, -1,
                                         -1, 0, 1, 1, -1,
                                         -1, -1, -1, -1, -1])
        #expect(view.text == """
            z=0   z=1   all   judged
            ##### ##### ##### #####
            #@:.# #.o@# #011# #001#
            #o:.# #.:o# #001# #011#
            ##### ##### ##### #####
            """)
        var screen = Screen(size: view.size)
        view.draw(into: &screen, x: 0, y: 0)
        #expect(screen[21, 2].foreground == SkillMapView.color(ofSkill: 1))
    }

    @Test("each skill is drawn in its own colour; walls and unvisited floor are dim")
    func colours() {
        var screen = Screen(size: Self.view.size)
        Self.view.draw(into: &screen, x: 0, y: 0)
        #expect(screen[1, 2].foreground == SkillMapView.color(ofSkill: 0))
        #expect(screen[8, 2].foreground == SkillMapView.color(ofSkill: 1))
        #expect(SkillMapView.color(ofSkill: 0) != SkillMapView.color(ofSkill: 1))
        #expect(screen[14, 2].foreground == SkillMapView.color(ofSkill: 1) && screen[13, 2].foreground == SkillMapView.color(ofSkill: 0))
        #expect(screen[0, 1].attributes.contains(.dim) && screen[3, 2].attributes.contains(.dim))
    }
}
