import Agents
import Engine
import Fun
import GridWorld
import Testing
import TestSupport

/// The eight scenarios shipped before hidden mechanics must stay bit for bit the same: the MDPs their seeds draw,
/// every transition and observation of a fixed stream of random actions, and what the scripted agents do there.
/// The constants were recorded before mechanics were added (issue #14); a change to any of them is a change to
/// the worlds that bundled agents, tapes and published figures rely on.
@Suite struct LegacyScenarioTests {
    static let recorded: [String: UInt64] = [
        "open-field": 0xB5C7_C1AB_CF5C_075B,
        "rock-garden": 0xE70C_EBBB_5778_E13A,
        "key-door": 0x3D5F_6D02_A388_9D93,
        "four-rooms": 0x6EFE_A121_5F7B_C476,
        "shifting-goal": 0xFB9B_47B1_3E0F_E5FA,
        "playroom": 0xD4F0_1885_B6C2_149E,
        "sandbox": 0xFC62_8FA5_A961_01AB,
        "lever-bandit": 0x15FE_4265_8C68_669C,
    ]

    /// A hash of the levels drawn from 64 seeds, 4000 random steps of a trial world, and 20 episodes each of the
    /// greedy and player agents.
    static func fingerprint(_ scenario: Scenario) throws -> UInt64 {
        var h: UInt64 = 0x5151_7A7A_0C0C_1234
        func mix(_ word: UInt64) { h = StateHash.mix(h, word) }
        func mix(_ bytes: some Sequence<UInt8>) { for b in bytes { mix(UInt64(b)) } }
        for seed in 0..<UInt64(64) {
            for word in try scenario.sample(seed: seed).words(mechanics: false) { mix(word) }
        }
        func mix(_ t: Transition) {
            mix(t.events.bits)
            mix(UInt64(t.taskReward.bitPattern))
            mix((t.terminated ? 1 : 0) | (t.truncated ? 2 : 0) | (t.succeeded ? 4 : 0))
        }
        var env = try TrialWorld(scenario: scenario, seed: 42)
        var actions = SplitMix64(seed: 1234)
        for _ in 0..<4000 {
            let t = env.step(ActionPair(TaskAction(rawValue: UInt8(actions.below(6)))!, PlayAction(rawValue: UInt8(actions.below(7)))!))
            mix(t)
            mix(env.world.observation)
            if t.isLast { try env.beginNextEpisode() }
        }
        mix(UInt64(env.trial))
        for agent in [GreedyAgent(), PlayerAgent()] as [any Agent] {
            var session = try Session(scenario: scenario, agent: agent, funSpec: .standard, seed: 7)
            while session.metrics.episodes < 20 {
                let frame = try session.step()
                mix(UInt64(frame.decision!.action.packed))
                mix(frame.transition!)
            }
        }
        return StateHash.finish(h)
    }

    @Test("the eight old scenarios draw the same MDPs and step exactly as before mechanics", arguments: Repository.legacyScenarioNames)
    func unchanged(_ name: String) throws {
        let value = try Self.fingerprint(try shipped(name))
        #expect(value == Self.recorded[name], "\(name): \(String(value, radix: 16))")
    }
}
