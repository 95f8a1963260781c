import Agents
import GridWorld
import Testing
import TestSupport

/// The four families' novel-layout variants (issue #14's "held-out seeds are new MDPs"): the same world as the
/// family on layouts drawn from a space so large that an agent trained on the family meets none of them again, every
/// layout playable whichever way the hidden rule went, so the layout gives the rule away no more than in the family.
@Suite struct NovelFamilyTests {
    static let families = ["bridge-builder", "buried-key", "signal-doors", "tinker-lab"]

    @Test("a novel variant keeps its family's things, rules, task, play, episodes and trials on a map of about its size",
          arguments: families)
    func sameWorld(_ name: String) throws {
        let family = try shipped(name), novel = try shipped(name + "-novel")
        #expect(novel.mechanics == family.mechanics && novel.task == family.task && novel.play == family.play)
        #expect(novel.maxSteps == family.maxSteps && novel.episodesPerTrial == family.episodesPerTrial)
        #expect(novel.viewSize == family.viewSize && novel.distribution.flips == family.distribution.flips)
        #expect(novel.delight == family.delight && novel.dynamics == family.dynamics && novel.pool == nil)
        #expect(novel.map.height - family.map.height <= 1 && novel.map.width - family.map.width <= 3)
        // Every MDP holds as many of each thing as one of the family's does.
        func counts(_ level: Level) -> [Thing: Int] {
            Dictionary(level.map.things.filter { $0 != .none }.map { ($0, 1) }, uniquingKeysWith: +)
        }
        let familyCounts = Set(try (0..<UInt64(300)).map { counts(try family.sample(seed: $0)) })
        for seed in 0..<UInt64(300) {
            let c = counts(try novel.sample(seed: seed))
            #expect(familyCounts.contains(c), "seed \(seed): \(c)")
        }
    }

    @Test("the greedy oracle solves every drawn layout under every way the family's hidden rule can go",
          arguments: families)
    func everyRuleSolvable(_ name: String) throws {
        let novel = try shipped(name + "-novel")
        let outcomes = Set(try (0..<UInt64(300)).map { try novel.sample(seed: $0).mechanics })
        #expect(outcomes.count == (name == "bridge-builder" ? 2 : 3), "\(outcomes)")
        for seed in 0..<UInt64(150) {
            let level = try novel.sample(seed: seed)
            // bridge-builder draws no ford and sinking rocks together nowhere (as the family): without a ford only
            // bridging rocks cross.
            let ford = level.map.tiles.filter { $0 == .water }.count < 5
            for draw in outcomes where name != "bridge-builder" || draw.bridges || ford {
                var variant = level
                variant.mechanics = draw
                #expect(oracleSolves(novel, variant), "seed \(seed) with \(draw)")
            }
        }
    }

    @Test("of 20,000 fresh trials at most 0.2% draw an MDP among 20,000 drawn before (tinker-lab itself: 73%)",
          arguments: families)
    func heldOutIsNew(_ name: String) throws {
        let novel = try shipped(name + "-novel")
        func mdp(_ seed: UInt64) throws -> Level {
            var level = try novel.sample(seed: seed)
            level.seed = 0
            return level
        }
        let seen = Set(try (0..<UInt64(20_000)).map(mdp))
        let met = try (UInt64(1_000_000)..<1_020_000).filter { seen.contains(try mdp($0)) }.count
        #expect(met <= 40, "\(met) of 20,000 met again")
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
