import Agents
import Engine
import Foundation
import Fun
import GridWorld
import Testing

@Suite struct SkillTests {
    @Test("DIAYN with 4 skills in a 9×9 room: the discriminator tells the skill from where an episode ends (> 0.9) and the reward nears ln 4")
    func fourSkills() throws {
        let scenario = Rooms.open(side: 9, start: GridPoint(x: 4, y: 4), maxSteps: 20)
        let agent = QAgent(stateView: .exact, optimism: 2, funWeight: 1, learningRate: 0.5, discount: 0.9, funDiscount: 0.9,
                           exploration: 0.05)
        var session = try Session(scenario: scenario, agent: agent, funSpec: FunSpec(parsing: "skill"), seed: 1)
        let episodes = 400, judged = 100
        var hits = 0, finals = 0
        var early: [Float] = [], late: [Float] = []
        var skillsSeen = Set<Int>()
        // The judged episodes are scored by the discriminator as it was before them, so it is never judged on
        // a state it has just been trained on.
        var frozen: SkillDiscovery?
        while session.metrics.episodes < episodes {
            let f = try session.step()
            // Episodes finished before this step (this step's own episode counts once it ends).
            let index = session.metrics.episodes - (f.transition!.isLast ? 1 : 0)
            if index < 50 { early.append(f.reward!.fun[0]) }
            guard index >= episodes - judged else { continue }
            let skill = (session.funModels[0] as! SkillDiscovery).state.skill
            if frozen == nil { frozen = session.funModels[0] as? SkillDiscovery }
            let q = frozen!.skillProbabilities(f.world)
            late.append(log(q[skill]) + log(4))
            if f.transition!.isLast {
                if q.indices.max(by: { q[$0] < q[$1] }) == skill { hits += 1 }
                skillsSeen.insert(skill)
                finals += 1
            }
        }
        let accuracy = Double(hits) / Double(finals)
        let reward = Double(late.reduce(0, +)) / Double(late.count)
        let start = Double(early.reduce(0, +)) / Double(early.count)
        #expect(skillsSeen.count == 4)
        #expect(accuracy > 0.9, "accuracy \(accuracy)")
        #expect(reward > 0.85 * log(4.0), "mean reward \(reward) of ln 4 = \(log(4.0))")
        #expect(reward > start + 0.8, "from \(start) to \(reward)")
        print("DIAYN accuracy \(accuracy), mean reward \(reward) (ln 4 = \(log(4.0))), first 50 episodes' reward \(start)")
    }
}
