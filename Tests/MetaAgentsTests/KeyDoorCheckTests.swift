import Engine
import Foundation
import Fun
import MetaAgents
import MetaRL
import TestSupport
import Testing

/// Issue #17's key-door check on the bundled explorer, trained with key-door's stepping stones (`key-door-key`,
/// `key-door-open`) at Adam 3e-4: on held-out trials (seed 424242, the seed) it solves key-door without
/// idling in play, and still solves its other worlds, playing where play delights.
@Suite struct KeyDoorCheckTests {
    func run(_ scenario: String) throws -> RunReport {
        let world = try shipped(scenario)
        return try Runner.run(scenario: world, agent: try bundledAgent("explorer", in: world), fun: .standard,
                              seed: 424242, length: .episodes(60))
    }

    @Test("the explorer solves key-door without idling in play")
    func solvesKeyDoor() throws {
        let r = try run("key-door")
        #expect(r.successRate >= 0.9, "success \(r.successRate)")
        #expect(r.playRatio <= 0.1, "play ratio \(r.playRatio)")
    }

    @Test("the explorer keeps its other worlds, and plays where play delights",
          arguments: [("rock-garden", true), ("playroom", true), ("four-rooms", false), ("shifting-goal", false)])
    func keepsTheOtherWorlds(scenario: String, plays: Bool) throws {
        let r = try run(scenario)
        #expect(r.successRate >= 0.9, "success \(r.successRate)")
        if plays { #expect(r.playRatio > 0.03, "play ratio \(r.playRatio)") }
    }
}
