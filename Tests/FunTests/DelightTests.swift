import Agents
import Engine
import Fun
import GridWorld
import ScenarioFiles
import Testing

@Suite struct DelightTests {
    static func run(_ scenario: String, _ fun: String, seed: UInt64) throws -> RunReport {
        let spec = try FunSpec(parsing: fun)
        return try Runner.run(scenario: ScenarioCatalog.load(scenario), agent: QAgent(funWeight: spec.optimismWeight),
                              fun: spec, seed: seed, length: .episodes(200))
    }

    /// The brief's check (`run rock-garden --agent q --fun delight=1 --episodes 200`, seed 1) and seven more
    /// seeds. Without fun the q agent has no reason to play and never does; with delight it tries play in the
    /// hope of fun and sinks rocks, many on a few seeds, where it learns the push chain (rock ahead, push,
    /// step, push, until sand) within 200 episodes, and a few elsewhere.
    @Test("q on rock-garden for 200 episodes: delight=1 plays more than delight=0 on every seed, and sinks rocks")
    func delightMakesPlay() throws {
        var sunk = 0
        for seed: UInt64 in 1...8 {
            let delighted = try Self.run("rock-garden", "delight=1", seed: seed)
            let indifferent = try Self.run("rock-garden", "delight=0", seed: seed)
            #expect(indifferent.playRatio == 0, "seed \(seed)")
            #expect(indifferent.playEvents["rock-sank", default: 0] == 0, "seed \(seed)")
            #expect(indifferent.funReturnByModel["delight"]! == 0)
            #expect(delighted.playRatio > 0.1, "seed \(seed): \(delighted.playRatio)")
            sunk += delighted.playEvents["rock-sank", default: 0]
        }
        #expect(sunk >= 40, "\(sunk) rocks sunk over eight seeds")
    }

    /// Play takes task time (exclusive coupling), and the task values do not count play as progress.
    @Test("play costs the q agent task success: without fun it reaches rock-garden's goal at least as often")
    func playCostsTask() throws {
        let delighted = try Self.run("rock-garden", "delight=1", seed: 1)
        let indifferent = try Self.run("rock-garden", "none", seed: 1)
        #expect(indifferent.successRate >= 0.3, "\(indifferent.successRate)")
        #expect(indifferent.successRate >= delighted.successRate)
    }

    /// A bell rung forever was what the q agent did with a fun horizon as long as the task's: habituation
    /// empties the bell within an episode, and the short fun horizon lets the agent notice in time.
    @Test("q in the playroom with delight rings the bell and toggles the lights, yet still reaches the goal")
    func playroomBalance() throws {
        var success = 0.0
        for seed: UInt64 in 1...4 {
            let r = try Self.run("playroom", "delight=1", seed: seed)
            #expect(r.playEvents["bell-rang", default: 0] > 0 && r.playEvents["light-toggled", default: 0] > 0, "seed \(seed)")
            #expect(r.playRatio < 0.6, "seed \(seed): \(r.playRatio)")
            success += r.successRate / 4
        }
        #expect(success >= 0.3, "mean success \(success)")
    }
}

@Suite struct DelightHabituationTests {
    @Test("delight habituates: each repeat of an event in an episode is worth half, and a new episode starts afresh")
    func habituation() throws {
        let s = try ScenarioFile.parse(text: "name: t\nmap: |\n  #####\n  #AB.#\n  #..G#\n  #####\ntask: reach-goal\ndelight: {bell-rang: 0.8}\n", file: "t.yaml")
        var world = World(scenario: s, level: try s.sample(seed: 0))
        var rng = SplitMix64(seed: 1)
        var delight = Delight(scenario: s)
        _ = world.step(ActionPair(.right), rng: &rng)  // face the bell
        var rewards: [Float] = []
        for _ in 0..<4 {
            let before = world
            let t = world.step(ActionPair(.stay, .ring), rng: &rng)
            rewards.append(delight.reward(FunInput(before: before, action: ActionPair(.stay, .ring), transition: t, after: world)))
        }
        #expect(rewards == [0.8, 0.4, 0.2, 0.1])
        delight.beginEpisode()
        let t = world.step(ActionPair(.stay, .ring), rng: &rng)
        #expect(delight.reward(FunInput(before: world, action: ActionPair(.stay, .ring), transition: t, after: world)) == 0.8)
        #expect(delight.scope == .episode)
    }
}
