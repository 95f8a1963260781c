import Agents
import GridWorld
import MetaAgents
import TestSupport
import Testing

/// Issue #18's DIAYN check with K = 8, on the bundled skill agent: on rollouts its discriminator never trained on
/// (seed 3000; the README quotes seeds 1000 and 2000) it tells the eight skills apart more than 0.9 of the time, pays
/// at least 0.8 ln 8 a step, and no two skills share their cells; the EDL agent too, each skill in its own region.
@Suite struct SkillsCheckTests {
    @Test("the bundled skills-8 agent's eight skills are told apart on held-out rollouts")
    func eightSkillsToldApart() throws {
        let report = try SkillEvaluation(checkpoint: try bundledCheckpoint("skills-8"), agentName: "skills-8",
                                         scenario: try shipped("skill-room"), trialsPerSkill: 5, seed: 3000)
        #expect(report.skills == 8)
        #expect(report.accuracy > 0.9, "accuracy by skill: \(report.accuracyBySkill)")
        #expect(report.rewardShareOfLnSkills >= 0.8)
        #expect(report.maxOverlap < 0.5, "pairwise overlap: \(report.overlap)")
    }

    @Test("the bundled skills-8-edl agent's skills each live in the region fixed for it, farther from the start than skills-8's")
    func edlSkillsReachTheirRegions() throws {
        let room = try shipped("skill-room")
        let edl = try SkillEvaluation(checkpoint: try bundledCheckpoint("skills-8-edl"), agentName: "skills-8-edl",
                                      scenario: room, trialsPerSkill: 5, seed: 3000)
        #expect(edl.method == "edl" && edl.skills == 8)
        #expect(edl.accuracy > 0.9, "accuracy by skill: \(edl.accuracyBySkill)")
        #expect(edl.rewardShareOfLnSkills >= 0.8)
        #expect(edl.maxOverlap < 0.5, "pairwise overlap: \(edl.overlap)")
        let diayn = try SkillEvaluation(checkpoint: try bundledCheckpoint("skills-8"), agentName: "skills-8",
                                        scenario: room, trialsPerSkill: 5, seed: 3000)
        /// Per skill, how many steps from the start its busiest cell is, and whether the discriminator takes that cell for it.
        func homes(_ report: SkillEvaluation) -> [(distance: Int, own: Bool)] {
            report.visits.enumerated().map { z, visits in
                let home = visits.indices.max { visits[$0] < visits[$1] }!
                return (abs(home % report.width - room.map.agentStart.x) + abs(home / report.width - room.map.agentStart.y), report.judged[home] == z)
            }
        }
        let (edlHomes, diaynHomes) = (homes(edl), homes(diayn))
        #expect(edlHomes.allSatisfy { $0.own })
        let edlDistance = Double(edlHomes.map(\.distance).reduce(0, +)) / 8, diaynDistance = Double(diaynHomes.map(\.distance).reduce(0, +)) / 8
        #expect(edlDistance > diaynDistance + 1, "EDL \(edlHomes.map(\.distance)), DIAYN \(diaynHomes.map(\.distance))")
    }

    @Test("a skill agent's decisions say what its discriminator makes of the place it stands in: what arriving there paid")
    func decisionsJudgeThePlace() throws {
        let room = try shipped("skill-room")
        var agent = try RecurrentAgent(checkpoint: try bundledCheckpoint("skills-8"), name: "skills-8", scenario: room, skill: 3)
        var trial = try TrialWorld(scenario: room, seed: 3000)
        var rng = SplitMix64(seed: 1)
        agent.beginTrial(trial.world)
        agent.beginEpisode(trial.world)
        var recognised: [Int] = []
        for step in 0..<20 {
            let decision = agent.decide(trial.world, rng: &rng)
            let judged = try #require(decision.skill)
            #expect(judged.given == 3)
            if step > 0 { #expect(judged.reward == agent.skillReward && judged.recognised == agent.recognisedSkill) }
            recognised.append(judged.recognised)
            let transition = trial.step(decision.action)
            agent.observe(transition, reward: StepReward(task: transition.taskReward), world: trial.world)
        }
        #expect(recognised.last == 3, "skills judged along the way: \(recognised)")
    }
}
