import Agents
import Engine
import Fun
import GridWorld
import Testing
import TestSupport

/// The four families built on hidden mechanics (issue #14): solvable by an oracle that reads the drawn rules,
/// not by chance, and drawn from distributions wide enough that held-out seeds are new MDPs.
@Suite struct FamilyTests {
    static let families = ["bridge-builder", "buried-key", "signal-doors", "tinker-lab"]

    @Test("the greedy oracle solves every trial of a family, playing only where the drawn rules make it pay", arguments: families)
    func oracle(_ name: String) throws {
        let r = try Runner.run(scenario: try shipped(name), agent: GreedyAgent(), fun: FunSpec(terms: []), seed: 11, length: .trials(12))
        #expect(r.successRate == 1)
        #expect(r.effectivePlayRatio > 0 && r.effectivePlayRatio == r.playRatio, "every play of the oracle does something")
        #expect(r.discoveryStepByRule.values.contains { $0 != nil })
    }

    @Test("the scripted player tries things and still solves; random actions rarely do", arguments: families)
    func references(_ name: String) throws {
        let s = try shipped(name)
        let player = try Runner.run(scenario: s, agent: PlayerAgent(), fun: FunSpec(terms: []), seed: 11, length: .trials(6))
        #expect(player.successRate >= 0.9 && player.effectivePlayRatio > 0.05)
        let random = try Runner.run(scenario: s, agent: RandomAgent(), fun: FunSpec(terms: []), seed: 11, length: .trials(6))
        #expect(random.successRate < 0.1)
    }

    @Test("a family draws hundreds of distinct MDPs from 500 seeds, with every hidden outcome, over trials of 3+ short episodes",
          arguments: families)
    func distribution(_ name: String) throws {
        let s = try shipped(name)
        #expect(s.episodesPerTrial >= 3 && s.maxSteps <= 80)
        var mdps: Set<Level> = [], draws: Set<MechanicDraw> = []
        for seed in 0..<UInt64(500) {
            var level = try s.sample(seed: seed)
            draws.insert(level.mechanics)
            level.seed = 0
            mdps.insert(level)
        }
        #expect(mdps.count > 400, "\(mdps.count) distinct MDPs")
        switch name {
        case "bridge-builder": #expect(Set(draws.map(\.bridges)) == [true, false])
        case "buried-key": #expect(Set(draws.map(\.buried)).count == 3, "the key under each of the three patches")
        case "signal-doors": #expect(Set(draws.map(\.signal)) == [1, 2, 3])
        default:
            let live = draws.map { [$0.bridges, $0.signal != MechanicDraw.off, $0.trigger != MechanicDraw.off] }
            #expect(live.allSatisfy { $0.filter { $0 }.count == 1 } && Set(live).count == 3, "one of three opens the way")
        }
    }

    @Test("each family's fixed-rule twin draws one rule for every trial, on the family's own maps where it can, and is solvable",
          arguments: families)
    func fixedTwin(_ name: String) throws {
        let family = try shipped(name), twin = try shipped(name + "-fixed")
        var draws: Set<MechanicDraw> = []
        for seed in 0..<UInt64(200) {
            var level = try twin.sample(seed: seed)
            draws.insert(level.mechanics)
            var original = try family.sample(seed: seed)
            level.mechanics = .none; original.mechanics = .none
            level.seed = 0; original.seed = 0
            // signal-doors' twin draws the family's map seed for seed. The others draw from the same map generator but
            // not always the same map: a family redraws maps its drawn rule cannot solve (bridge-builder without a ford
            // when rocks sink, tinker-lab by which object works), and buried-key's twin has one sand patch, not three.
            if name == "signal-doors" { #expect(level == original, "seed \(seed): the twin's map is the family's") }
        }
        #expect(draws.count == 1, "nothing to discover: \(draws.count) different rule draws")
        let r = try Runner.run(scenario: twin, agent: GreedyAgent(), fun: FunSpec(terms: []), seed: 11, length: .trials(12))
        #expect(r.successRate == 1)
    }
}
