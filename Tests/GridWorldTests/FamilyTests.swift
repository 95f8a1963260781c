import Agents
import Engine
import Fun
import GridWorld
import Testing
import TestSupport

/// The four families built on hidden mechanics (issue #14): solvable by an oracle that reads the drawn rules,
/// not by chance, whichever way the hidden rule went (so a layout gives the rule away no more than chance), and
/// drawn from distributions wide enough that held-out seeds are new MDPs.
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
        let player = try Runner.run(scenario: s, agent: PlayerAgent(), fun: FunSpec(terms: []), seed: 11, length: .trials(25))
        #expect(player.successRate >= 0.9 && player.effectivePlayRatio > 0.05)
        let random = try Runner.run(scenario: s, agent: RandomAgent(), fun: FunSpec(terms: []), seed: 11, length: .trials(25))
        #expect(random.successRate < 0.1)
    }

    @Test("a family draws every hidden outcome, over trials of 3+ short episodes", arguments: families)
    func distribution(_ name: String) throws {
        let s = try shipped(name)
        #expect(s.episodesPerTrial >= 3 && s.maxSteps <= 80)
        let draws = Set(try (0..<UInt64(500)).map { try s.sample(seed: $0).mechanics })
        switch name {
        case "bridge-builder": #expect(Set(draws.map(\.bridges)) == [true, false])
        case "buried-key": #expect(Set(draws.map(\.buried)).count == 3, "the key under each of the three patches")
        case "signal-doors": #expect(Set(draws.map(\.signal)) == [1, 2, 3])
        default:
            let live = draws.map { [$0.bridges, $0.signal != MechanicDraw.off, $0.trigger != MechanicDraw.off] }
            #expect(live.allSatisfy { $0.filter { $0 }.count == 1 } && Set(live).count == 3, "one of three opens the way")
        }
    }

    @Test("the greedy oracle solves every drawn layout under every way the family's hidden rule can go",
          arguments: families)
    func everyRuleSolvable(_ name: String) throws {
        let family = try shipped(name)
        let outcomes = Set(try (0..<UInt64(300)).map { try family.sample(seed: $0).mechanics })
        #expect(outcomes.count == (name == "bridge-builder" ? 2 : 3), "\(outcomes)")
        for seed in 0..<UInt64(150) {
            let level = try family.sample(seed: seed)
            // bridge-builder never draws no ford and sinking rocks together: without a ford only bridging rocks cross.
            let ford = level.map.tiles.filter { $0 == .water }.count < 5
            for draw in outcomes where name != "bridge-builder" || draw.bridges || ford {
                var variant = level
                variant.mechanics = draw
                #expect(oracleSolves(family, variant), "seed \(seed) with \(draw)")
            }
        }
    }

    @Test("held-out seeds are new MDPs: of 20,000 fresh trials at most 0.2% draw an MDP among 20,000 drawn before",
          arguments: families)
    func heldOutIsNew(_ name: String) throws {
        let family = try shipped(name)
        func mdp(_ seed: UInt64) throws -> Level {
            var level = try family.sample(seed: seed)
            level.seed = 0
            return level
        }
        let seen = Set(try (0..<UInt64(20_000)).map(mdp))
        let met = try (UInt64(1_000_000)..<1_020_000).filter { seen.contains(try mdp($0)) }.count
        #expect(met <= 40, "\(met) of 20,000 met again")
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
            // signal-doors' and tinker-lab's twins draw the family's map seed for seed. The others draw from the same
            // map generator but not always the same map: bridge-builder redraws a map without a ford when its rocks
            // sink, and buried-key's twin has one sand patch, not three.
            if ["signal-doors", "tinker-lab"].contains(name) { #expect(level == original, "seed \(seed): the twin's map is the family's") }
        }
        #expect(draws.count == 1, "nothing to discover: \(draws.count) different rule draws")
        let r = try Runner.run(scenario: twin, agent: GreedyAgent(), fun: FunSpec(terms: []), seed: 11, length: .trials(12))
        #expect(r.successRate == 1)
    }

    /// Whether the oracle finishes the task in one episode of this MDP.
    func oracleSolves(_ scenario: Scenario, _ level: Level) -> Bool {
        var world = World(scenario: scenario, level: level)
        var agent = GreedyAgent(), rng = SplitMix64(seed: 1)
        agent.beginTrial(world)
        agent.beginEpisode(world)
        while true {
            let t = world.step(agent.decide(world, rng: &rng).action, rng: &rng)
            if t.isLast { return t.succeeded }
        }
    }
}
