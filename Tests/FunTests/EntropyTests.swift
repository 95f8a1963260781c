import Agents
import Engine
import Foundation
import Fun
import GridWorld
import Testing

@Suite struct EntropyTests {
    /// Entropy (nats) of the agent's positions over 30 episodes of 100 steps in a 9×9 room, from a corner.
    static func visitation(agent: any Agent, fun: String) throws -> Double {
        let scenario = Rooms.open(side: 9, start: GridPoint(x: 0, y: 0), maxSteps: 100)
        var session = try Session(scenario: scenario, agent: agent, funSpec: FunSpec(parsing: fun), seed: 1)
        var counts = [Int](repeating: 0, count: 81)
        while session.metrics.episodes < 30 {
            let p = try session.step().world.agentPosition
            counts[p.y * 9 + p.x] += 1
        }
        return entropy(counts)
    }

    static let uniform = log(81.0)

    @Test("an optimistic Q-learner on the entropy reward reaches ≥ 0.95·ln 81 in a 9×9 room in 3000 steps, above a random walk")
    func entropyReward() throws {
        let agent = QAgent(stateView: .exact, optimism: 50, funWeight: 1, learningRate: 0.5, discount: 0.9, funDiscount: 0.9)
        let learner = try Self.visitation(agent: agent, fun: "entropy")
        let walk = try Self.visitation(agent: RandomAgent(), fun: "none")
        #expect(learner >= 0.95 * Self.uniform, "\(learner / Self.uniform)")
        #expect(learner > walk + 0.05 * Self.uniform, "learner \(learner / Self.uniform), walk \(walk / Self.uniform)")
    }

    @Test("the centred entropy reward alone drives a myopic learner without optimism there; without fun it stays a random walk")
    func centredReward() throws {
        func learner() -> QAgent {
            QAgent(stateView: .exact, optimism: 0, funWeight: 1, learningRate: 0.5, discount: 0, funDiscount: 0)
        }
        let driven = try Self.visitation(agent: learner(), fun: "entropy-centred")
        let idle = try Self.visitation(agent: learner(), fun: "none")
        #expect(driven >= 0.95 * Self.uniform, "\(driven / Self.uniform)")
        #expect(idle < 0.93 * Self.uniform, "\(idle / Self.uniform)")
    }
}
