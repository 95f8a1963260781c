import Engine
import Foundation
import Fun
import GridWorld
import MetaAgents
import MetaRL
import TestSupport
import Testing

/// The controls that claims of emergent play are checked against, on the bundled explorer: without the ability
/// to play it never plays; without memory across episodes its first decision of every episode of a trial is the one
/// it makes at the trial's start, whatever happened in the episodes before.
@Suite struct AgentControlsTests {
    func explorer(in world: Scenario, noPlay: Bool = false, memory: MemorySpan? = nil) throws -> RecurrentAgent {
        try bundledAgent("explorer", in: world, noPlay: noPlay, memory: memory)
    }

    @Test("an agent run with its play head fixed to none never plays, and says so in its probabilities")
    func noPlay() throws {
        let world = try shipped("playroom")
        #expect(try Runner.run(scenario: world, agent: try explorer(in: world), fun: .standard, seed: 5, length: .trials(2)).playRatio > 0.1)
        var session = try Session(scenario: world, agent: try explorer(in: world, noPlay: true), funSpec: .standard, seed: 5)
        for _ in 0..<300 {
            let frame = try session.step()
            #expect(frame.decision?.action.play == PlayAction.none)
            #expect(frame.decision?.playProbabilities?.first == 1)
        }
        #expect(session.metrics.playSteps == 0 && session.metrics.steps == 300)
    }

    @Test("with its memory reset every episode, an agent's first decision in each episode of a trial does not depend on the episodes before",
          arguments: [MemorySpan.episode, .trial])
    func resetMemory(span: MemorySpan) throws {
        let world = try shipped("four-rooms")
        var session = try Session(scenario: world, agent: try explorer(in: world, memory: span), funSpec: FunSpec(terms: []), seed: 9)
        var firsts: [[Float]] = []
        while session.metrics.episodes < world.episodesPerTrial {
            let frame = try session.step()
            if frame.step == 1, let d = frame.decision { firsts.append((d.taskProbabilities ?? []) + (d.playProbabilities ?? [])) }
        }
        #expect(firsts.count == world.episodesPerTrial)
        // Each episode of a trial starts from the same state of the same MDP, so only memory can tell them apart.
        if span == .episode {
            #expect(firsts.allSatisfy { $0 == firsts[0] }, "\(firsts)")
        } else {
            #expect(!firsts.dropFirst().allSatisfy { $0 == firsts[0] }, "an RL² agent's memory carries over")
        }
    }
}
