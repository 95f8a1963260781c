import Engine
import Foundation
import Fun
import MetaAgents
import MetaRL
import TestSupport
import Testing

/// Issue #4's emergent-play check on the bundled agent that `playgrid` shows: on held-out trials (seed 1000, the
/// README's command) it succeeds and plays where the world offers something delightful (its four-rooms check is
/// in `FourRoomsCheckTests`). It only runs the agent, so it takes a few seconds even in a debug build.
@Suite struct ExplorerCheckTests {
    @Test("the bundled explorer plays and succeeds where play delights", arguments: [
        ("rock-garden", "rock-sank"), ("playroom", "bell-rang"),
    ])
    func playsWhereDelightful(scenario: String, event: String) throws {
        let world = try shipped(scenario)
        let agent = try bundledAgent("explorer", in: world)
        let r = try Runner.run(scenario: world, agent: agent, fun: .standard, seed: 1000, length: .trials(25))
        #expect(r.successRate >= 0.9, "success \(r.successRate)")
        #expect(r.playRatio > 0, "play ratio \(r.playRatio)")
        #expect(r.playEvents[event, default: 0] > 0, "play events \(r.playEvents)")
    }
}
