import Foundation
import Fun
import GridWorld
@testable import MetaAgents
import MetaRL
import NeuralCore
import TestSupport
import Testing

/// EDL's skills (`train --skills K --skill-method edl`): the room split into K regions before training, a frozen
/// discriminator fitted to them, and a training run that never moves it.
@Suite struct SkillPartitionTests {
    @Test("k-means splits skill-room's 81 cells into K regions of neighbouring cells, the same per seed and another for another seed")
    func partition() throws {
        let room = try shipped("skill-room")
        let a = try SkillPartition(scenario: room, skills: 8, seed: 1)
        #expect(a.cells.count == 81 && a.region.count == 81)
        #expect(try SkillPartition(scenario: room, skills: 8, seed: 1) == a)
        let sizes = (0..<8).map { a.cells(of: $0).count }
        #expect(sizes.reduce(0, +) == 81 && sizes.allSatisfy { $0 >= 5 && $0 <= 16 }, "region sizes \(sizes)")
        // Each region is connected: every cell of it reaches the rest through 4-neighbours of the same region.
        for z in 0..<8 {
            let cells = Set(a.cells(of: z).map { [$0.x, $0.y] })
            var reached: Set<[Int]> = [cells.first!], frontier = [cells.first!]
            while let c = frontier.popLast() {
                for n in [[c[0] + 1, c[1]], [c[0] - 1, c[1]], [c[0], c[1] + 1], [c[0], c[1] - 1]] where cells.contains(n) && !reached.contains(n) {
                    reached.insert(n)
                    frontier.append(n)
                }
            }
            #expect(reached == cells, "region \(z) is in pieces")
        }
        let seeds = (2...6).map { try? SkillPartition(scenario: room, skills: 8, seed: UInt64($0)) }
        #expect(seeds.contains { $0?.region != a.region })
        let tiny = try scenario("#####\n#A.G#\n#####")
        let error = #expect(throws: ScenarioProblem.self) { try SkillPartition(scenario: tiny, skills: 4, seed: 1) }
        #expect(error?.message == "test has 3 cells to stand on, too few for 4 skills of a region each")
    }

    @Test("the posterior peaks at each skill's centre and takes every cell for its region where the two nearest centres are not tied")
    func posterior() throws {
        let partition = try SkillPartition(scenario: try shipped("skill-room"), skills: 8, seed: 1)
        for (i, cell) in partition.cells.enumerated() {
            let q = partition.posterior(at: cell, spread: SkillPartition.defaultSpread)
            #expect(abs(q.reduce(0, +) - 1) < 1e-5)
            let sorted = q.sorted(by: >)
            if sorted[0] - sorted[1] > 1e-4 { #expect(q.firstIndex(of: sorted[0]) == partition.region[i], "at \(cell)") }
        }
        // Nearer the centre, more sure: one step from a region's centre pays less than its centre's cell.
        let c = partition.centres[0], at = GridPoint(x: Int(c[0].rounded()), y: Int(c[1].rounded()))
        let away = GridPoint(x: at.x + (c[0] < 5 ? 1 : -1), y: at.y)
        #expect(partition.posterior(at: at, spread: 1.5)[0] > partition.posterior(at: away, spread: 1.5)[0])
    }

    @Test("the fitted discriminator gives every cell the posterior within 0.02, in either position layout, and is frozen")
    func fittedDiscriminator() throws {
        let room = try shipped("skill-room")
        let partition = try SkillPartition(scenario: room, skills: 8, seed: 1)
        for layout in PositionLayout.allCases {
            let features = SkillFeatures(scenario: room, layout: layout)
            var d = partition.fittedDiscriminator(features: features, seed: 1)
            #expect(d.rate == 0 && d.inputLayout == layout.rawValue && d.skills == 8)
            var active = [Int32](repeating: 0, count: features.activeCount)
            var worst: Float = 0
            for cell in partition.cells {
                active.withUnsafeMutableBufferPointer { features.write(at: cell, into: $0) }
                active.withUnsafeBufferPointer { d.classify($0) }
                let q = partition.posterior(at: cell, spread: SkillPartition.defaultSpread)
                for z in 0..<8 { worst = max(worst, abs(d.probabilities[z] - q[z])) }
            }
            #expect(worst <= 0.02, "\(layout): off by \(worst)")
        }
    }

    @Test("an EDL run pays the frozen discriminator's reward, never changes it, records its method and resumes it frozen")
    func trainingKeepsItFrozen() throws {
        var plan = try SkillAgentTests.plan()
        plan.skillMethod = .edl
        let training = try GridTraining(plan)
        let fitted = training.trainer.environment.discriminator
        #expect(fitted?.rate == 0)
        var funReturns: [Double] = []
        for _ in 0..<3 { funReturns.append(try training.step().metrics.meanFunReturn) }
        #expect(training.run.checkpoint.discriminator == fitted)
        #expect(funReturns.allSatisfy { $0.isFinite && $0 != 0 })
        #expect(training.identity.skillMethod == "edl")
        let diayn = try GridTraining(try SkillAgentTests.plan())
        #expect(diayn.identity.skillMethod == nil)

        let path = Scratch.path("edl.pgck")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try training.run.save(to: path)
        let saved = try Checkpoint.read(from: path)
        #expect(saved.identity?.skillMethod == "edl")
        let resumed = try GridTraining(resuming: saved, path: path, scenarios: [try shipped("skill-room")], fun: FunSpec(terms: []), envs: 6, threads: 1)
        _ = try resumed.step()
        #expect(resumed.run.checkpoint.discriminator == fitted && resumed.identity.skillMethod == "edl")
        let report = try SkillEvaluation(checkpoint: saved, agentName: "tiny", scenario: try shipped("skill-room"), trialsPerSkill: 1, seed: 7)
        #expect(report.method == "edl")
        // skills eval's judged map is the partition wherever the posterior's two likeliest skills are apart.
        let room = try shipped("skill-room")
        let partition = try SkillPartition(scenario: room, skills: 4, seed: plan.seed)
        #expect(report.judged.count == 121 && report.judged.filter { $0 < 0 }.count == 121 - 81)
        for (i, cell) in partition.cells.enumerated() {
            let q = partition.posterior(at: cell, spread: SkillPartition.defaultSpread).sorted(by: >)
            if q[0] - q[1] > 0.05 { #expect(report.judged[cell.y * 11 + cell.x] == partition.region[i], "at \(cell)") }
        }
    }
}
