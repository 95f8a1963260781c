import Engine
import Foundation
import Fun
import MetaAgents
import MetaRL
import TestSupport
import Testing

/// Issue #16's recall check on the bundled episodic LSTM: on held-out recurring-rooms trials (seed 424242), the
/// first episode of a trial whose layout was met before in its pool is at most 0.8 × as long as the first episode
/// of a first meeting, and the agent says what it recalled on every step. It only runs the agent.
@Suite struct RecurringRoomsCheckTests {
    @Test("the bundled recall agent's first episode on a layout met before is at most 0.8 × as long as on a first meeting")
    func repeatsAreShorter() throws {
        let world = try shipped("recurring-rooms")
        let agent = try bundledAgent("recall", in: world)
        var recalls = 0, steps = 0
        let r = try Runner.run(scenario: world, agent: agent, fun: FunSpec(terms: []), seed: 424242, length: .trials(300)) { frame in
            steps += 1
            if let recall = frame.decision?.recall, (0...1).contains(recall.gate) { recalls += 1 }
        }
        let first = try #require(r.firstEpisodeLengthFirstMeeting), repeated = try #require(r.firstEpisodeLengthRepeat)
        #expect(first.count + repeated.count == 300 && repeated.count > first.count)
        #expect(repeated.mean <= 0.8 * first.mean, "first meeting \(first.formatted(1)), repeat \(repeated.formatted(1))")
        #expect(recalls == steps)
    }
}
