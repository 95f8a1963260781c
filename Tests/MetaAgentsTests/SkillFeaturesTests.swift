import Agents
import Foundation
import Fun
import GridWorld
@testable import MetaAgents
import MetaRL
import NeuralCore
import TestSupport
import Testing

/// What DIAYN's discriminator reads of where the agent is: the row+column layout and the cell layout, recorded in
/// the discriminator and read back from it, never guessed from its input count.
@Suite struct SkillFeaturesTests {
    static func plan(layout: PositionLayout?, seed: UInt64 = 3) throws -> GridTraining.Plan {
        var plan = try SkillAgentTests.plan(seed: seed)
        if let layout { plan.skillLayout = layout }
        return plan
    }

    /// skill-room's world with the agent moved to (x, y).
    static func world(at p: GridPoint) throws -> World {
        let room = try shipped("skill-room")
        var world = World(scenario: room, level: try room.sample(seed: 1))
        world.state.body.cell = world.cell(at: p)
        return world
    }

    @Test("the cell layout switches on y · width + x, one index of width × height; row+column switches on x and width + y")
    func indices() throws {
        let room = try shipped("skill-room")
        let cell = SkillFeatures(scenario: room, layout: .cell), rowColumn = SkillFeatures(scenario: room, layout: .rowColumn)
        let (w, h) = (room.map.width, room.map.height)
        #expect(cell.dimension == w * h && cell.activeCount == 1)
        #expect(rowColumn.dimension == w + h && rowColumn.activeCount == 2)
        var seen = Set<Int32>()
        for p in [GridPoint(x: 1, y: 1), GridPoint(x: 3, y: 1), GridPoint(x: 1, y: 3), GridPoint(x: w - 2, y: h - 2)] {
            let world = try Self.world(at: p)
            #expect(world.agentPosition == p)
            var one = [Int32](repeating: -1, count: 1), two = [Int32](repeating: -1, count: 2)
            one.withUnsafeMutableBufferPointer { cell.write(world, into: $0) }
            two.withUnsafeMutableBufferPointer { rowColumn.write(world, into: $0) }
            #expect(one == [Int32(p.y * w + p.x)])
            #expect(two == [Int32(p.x), Int32(w + p.y)])
            seen.insert(one[0])
        }
        #expect(seen.count == 4)  // (3, 1) and (1, 3) share a column or a row with (1, 1), not a cell
        #expect(PositionLayout(name: "cell") == .cell && PositionLayout(name: "row-column") == .rowColumn)
        #expect(PositionLayout(name: "cell-v1") == .cell && PositionLayout(name: "cells") == nil)
    }

    @Test("training with the cell layout records it in the discriminator, which keeps it through a save and a resume; its reward is per cell")
    func cellRoundTrip() throws {
        let training = try GridTraining(try Self.plan(layout: .cell))
        _ = try training.step()
        let room = try shipped("skill-room")
        let d = try #require(training.run.checkpoint.discriminator)
        #expect(d.inputLayout == "cell-v1" && d.network.inputs == room.map.width * room.map.height)
        #expect(training.trainer.environment.features.layout == .cell)
        let path = Scratch.path("skill-cells.pgck")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try training.run.save(to: path)
        let saved = try Checkpoint.read(from: path)
        #expect(saved == training.run.checkpoint && saved.discriminator?.inputLayout == "cell-v1")
        let resumed = try GridTraining(resuming: saved, path: path, scenarios: [room], fun: FunSpec(terms: []), envs: 6, threads: 1)
        #expect(resumed.trainer.environment.features.layout == .cell)
        #expect(resumed.trainer.environment.discriminator == saved.discriminator)
        var agent = try RecurrentAgent(checkpoint: saved, name: "cells", scenario: room, skill: 1)
        #expect(agent.features?.layout == .cell)
        let world = try Self.world(at: GridPoint(x: 2, y: 3))
        agent.beginTrial(world)
        agent.observe(Transition(), reward: StepReward(task: 0), world: world)
        var judge = saved.discriminator!
        [Int32(3 * room.map.width + 2)].withUnsafeBufferPointer { judge.classify($0) }
        #expect(agent.skillReward == judge.reward(for: 1))
        let report = try SkillEvaluation(checkpoint: saved, agentName: "cells", scenario: room, trialsPerSkill: 1, seed: 7)
        #expect(report.features == "cell")
    }

    @Test("a row+column checkpoint saved before layouts were recorded loads, reads row+column, evaluates as before and resumes")
    func legacyCheckpoint() throws {
        let training = try GridTraining(try Self.plan(layout: .rowColumn))
        _ = try training.step()
        #expect(training.run.checkpoint.discriminator?.inputLayout == "row-column-v1")
        // What the tool wrote before: the same discriminator with no inputLayout key at all.
        var old = training.run.checkpoint
        old.discriminator?.inputLayout = nil
        let path = Scratch.path("skill-legacy.pgck")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try old.write(to: path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(bytes.range(of: Data("inputLayout".utf8)) == nil)
        let saved = try Checkpoint.read(from: path)
        #expect(saved.discriminator?.inputLayout == nil && saved.discriminator?.network.inputs == 11 + 11)
        let room = try shipped("skill-room")
        let agent = try RecurrentAgent(checkpoint: saved, name: "old", scenario: room, skill: 0)
        #expect(agent.features?.layout == .rowColumn)
        let before = try SkillEvaluation(checkpoint: training.run.checkpoint, agentName: "x", scenario: room, trialsPerSkill: 2, seed: 7)
        let after = try SkillEvaluation(checkpoint: saved, agentName: "x", scenario: room, trialsPerSkill: 2, seed: 7)
        #expect(after == before && after.features == "row-column")
        let resumed = try GridTraining(resuming: saved, path: path, scenarios: [room], fun: FunSpec(terms: []), envs: 6, threads: 1)
        #expect(resumed.trainer.environment.features.layout == .rowColumn)
        #expect(resumed.trainer.environment.discriminator?.inputLayout == "row-column-v1")  // written down from now on
        #expect(resumed.trainer.environment.discriminator?.network.parameters == saved.discriminator?.network.parameters)
    }

    @Test("a layout that does not fit is one line: another layout on resume, an unknown label, a label whose inputs disagree")
    func mismatches() throws {
        let training = try GridTraining(try Self.plan(layout: .rowColumn))
        _ = try training.step()
        let room = try shipped("skill-room")
        let checkpoint = training.run.checkpoint
        let path = "k.pgck"

        let other = #expect(throws: ScenarioProblem.self) {
            try GridTraining(resuming: checkpoint, path: path, scenarios: [room], fun: FunSpec(terms: []), envs: 6, threads: 1, skillLayout: .cell)
        }
        #expect(other?.message == "the saved skill discriminator reads positions as row-column (row-column-v1); it cannot go on reading them as cell")

        var unknown = checkpoint
        unknown.discriminator?.inputLayout = "hexagon-v3"
        let strange = #expect(throws: AgentLoadError.self) { try RecurrentAgent(checkpoint: unknown, name: "k.pgck", scenario: room, skill: 0) }
        #expect(strange?.message == "k.pgck: its skill discriminator's inputs are laid out as hexagon-v3, which this playgrid does not know (it knows row-column-v1, cell-v1)")

        var mislabelled = checkpoint
        mislabelled.discriminator?.inputLayout = "cell-v1"
        let wrong = #expect(throws: AgentLoadError.self) { try RecurrentAgent(checkpoint: mislabelled, name: "k.pgck", scenario: room, skill: 0) }
        #expect(wrong?.message == "k.pgck: its skill discriminator has 22 inputs, but its layout cell-v1 on skill-room (11×11) gives 121; run it on the room it was trained in")
        for message in [other?.message, strange?.message, wrong?.message] { #expect(message?.contains("\n") == false) }

        var legacy = checkpoint
        legacy.discriminator?.inputLayout = nil
        let small = try shipped("open-field")
        if small.map.width + small.map.height != 22 {
            let elsewhere = #expect(throws: AgentLoadError.self) { try RecurrentAgent(checkpoint: legacy, name: "k.pgck", scenario: small, skill: 0) }
            #expect(elsewhere?.message.contains("row-column-v1 (not recorded, so the legacy layout)") == true)
        }
        #expect(throws: ScenarioProblem.self) {
            try GridMetaEnvironment(scenarios: [room], funSpec: FunSpec(terms: []), batchSize: 2, skillLayout: .cell)
        }
    }
}
