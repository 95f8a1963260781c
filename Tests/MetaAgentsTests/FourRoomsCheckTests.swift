import Engine
import Foundation
import Fun
import MetaAgents
import MetaRL
import TestSupport
import Testing

/// Issue #4's meta-learning check: on held-out four-rooms trials (seed 1000, 50 trials, the README's command)
/// a bundled agent's second episode is at least 30% shorter than its first — both the one trained on four-rooms
/// alone and the explorer `playgrid` shows. It only runs the agents, so it takes seconds even in a debug build.
@Suite struct FourRoomsCheckTests {
    @Test("a bundled agent's second episode of a held-out four-rooms trial is at least 30% shorter than its first",
          arguments: ["four-rooms", "explorer"])
    func secondEpisodeShorter(agentName: String) throws {
        let world = try shipped("four-rooms")
        let agent = try bundledAgent(agentName, in: world)
        let r = try Runner.run(scenario: world, agent: agent, fun: .standard, seed: 1000, length: .trials(50))
        let lengths = r.lengthByEpisodeIndex, successes = r.successByEpisodeIndex
        #expect(lengths[1] <= 0.7 * lengths[0], "mean episode length by index: \(lengths)")
        #expect(successes[1] >= successes[0], "success by index: \(successes)")
    }
}
