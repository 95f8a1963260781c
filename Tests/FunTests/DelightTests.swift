import Agents
import Fun
import GridWorld
import ScenarioFiles
import Session
import Testing

@Suite struct DelightTests {
    static func run(_ fun: String) throws -> RunReport {
        try Runner.run(scenario: ScenarioCatalog.load("rock-garden"), agent: QAgent(), fun: FunSpec(parsing: fun),
                       seed: 1, length: .episodes(200))
    }

    /// What the brief hoped for was a higher play ratio with delight; what the q agent does is play with a
    /// purpose: it sinks rocks many times more often, while its exploratory play (spinning, digging, pushing
    /// at nothing) falls, so its play ratio is lower (0.300 against 0.391 for this seed).
    @Test("q on rock-garden for 200 episodes: delight=1 makes it sink rocks far more often than delight=0")
    func delightShapesPlay() throws {
        let delighted = try Self.run("delight=1")
        let indifferent = try Self.run("delight=0")
        let sunk = delighted.play_events["rock-sank", default: 0]
        let sunkWithout = indifferent.play_events["rock-sank", default: 0]
        #expect(sunk >= 50, "\(sunk) rocks sunk")
        #expect(sunk >= 5 * max(1, sunkWithout), "\(sunk) against \(sunkWithout)")
        #expect(delighted.fun_return_by_model["delight"]! > 0.25)
        #expect(indifferent.fun_return_by_model["delight"]! == 0)
        print("rock-garden q: play ratio \(delighted.play_ratio) with delight=1, \(indifferent.play_ratio) with delight=0; rocks sunk \(sunk) / \(sunkWithout)")
    }
}
