import Agents
import Engine
import Foundation
import Fun
import GridWorld
import ScenarioFiles
@testable import Tapes
import TestSupport

/// Shared helpers: the repository's scenarios, and tapes recorded from sessions in memory.
enum Fixtures {
    /// Every shipped scenario.
    static var scenarioNames: [String] { Repository.scenarioNames }

    static func scenario(_ name: String) throws -> Scenario { try shipped(name) }

    /// A recorded run: the tape's bytes and every frame the session produced.
    struct Recording {
        var bytes: [UInt8]
        var frames: [Frame]
    }

    /// Records `steps` steps of a session of a shipped scenario in memory.
    static func record(_ scenarioName: String, agent: any Agent = RandomAgent(), steps: Int, seed: UInt64 = 7,
                       fun: FunSpec = .standard, chunkSize: Int = TapeFormat.defaultChunkSize, keyframeEvery: Int = 1,
                       keepFrames: Bool = true, finish: Bool = true) throws -> Recording {
        try record(try scenario(scenarioName), origin: scenarioName, agent: agent, steps: steps, seed: seed, fun: fun,
                   chunkSize: chunkSize, keyframeEvery: keyframeEvery, keepFrames: keepFrames, finish: finish)
    }

    /// Records `steps` steps of a session of `scenario` (parsed from its text) in memory.
    static func record(_ scenario: Scenario, origin scenarioName: String, agent: any Agent = RandomAgent(), steps: Int,
                       seed: UInt64 = 7, fun: FunSpec = .standard, chunkSize: Int = TapeFormat.defaultChunkSize,
                       keyframeEvery: Int = 1, keepFrames: Bool = true, finish: Bool = true) throws -> Recording {
        var session = try Session(scenario: scenario, agent: agent, funSpec: fun, seed: seed)
        let header = TapeHeader(scenarioText: scenario.sourceText, scenarioOrigin: scenarioName, seed: seed, agent: agent.name,
                                funSpec: fun.description, funComponents: fun.terms.map(\.model),
                                chunkSize: chunkSize, keyframeEvery: keyframeEvery)
        let writer = try TapeWriter(inMemory: header, scenario: scenario)
        var frames: [Frame] = []
        for _ in 0..<steps {
            let frame = try session.step()
            try writer.append(frame)
            if keepFrames { frames.append(frame) }
        }
        if finish { try writer.finish() } else { try writer.flush() }
        return Recording(bytes: writer.bytes, frames: frames)
    }
}

/// A scripted agent that also reports a policy and a value, as a learned agent would: to record agent outputs.
/// A random agent that reports what an episodic-control agent reads from memory: a value per task action, a
/// growing size, and a nearest distance (none on each episode's first step, as from empty memories).
struct RememberingAgent: Agent {
    let name = "remembering"
    var inner = RandomAgent()
    var stored = 0

    mutating func decide(_ world: World, rng: inout SplitMix64) -> Decision {
        var d = inner.decide(world, rng: &rng)
        stored += 3
        d.value = Float(rng.nextUnitDouble())
        d.memory = Decision.Memory(taskValues: (0..<TaskAction.count).map { _ in Float(rng.nextUnitDouble() * 2 - 0.5) },
                                   size: stored, nearest: world.state.step == 0 ? nil : Float(rng.nextUnitDouble()))
        return d
    }
}

/// Says only what a skill agent's discriminator made of its place, and nothing on every fourth step: outputs with
/// no probabilities or value, between steps with none.
struct JudgedSkillAgent: Agent {
    let name = "judged"
    var inner = RandomAgent()

    mutating func decide(_ world: World, rng: inout SplitMix64) -> Decision {
        var d = inner.decide(world, rng: &rng)
        if world.state.step % 4 != 3 {
            d.skill = Decision.Skill(given: 5, recognised: Int(rng.next() % 8), reward: Float(rng.nextUnitDouble() * 4 - 2))
        }
        return d
    }
}

struct ProbabilisticAgent: Agent {
    let name = "probabilistic"
    var inner = RandomAgent()
    /// Also report what an episodic LSTM recalled (on every step but each episode's third).
    var recalls = false

    mutating func decide(_ world: World, rng: inout SplitMix64) -> Decision {
        var d = inner.decide(world, rng: &rng)
        var task = (0..<TaskAction.count).map { _ in Float(rng.nextUnitDouble()) + 0.01 }
        let ts = task.reduce(0, +)
        task = task.map { $0 / ts }
        var play = (0..<PlayAction.count).map { _ in Float(rng.nextUnitDouble()) + 0.01 }
        let ps = play.reduce(0, +)
        play = play.map { $0 / ps }
        d.taskProbabilities = task
        d.playProbabilities = play
        d.value = Float(rng.nextUnitDouble() * 2 - 1)
        if recalls && world.state.step != 2 {
            d.recall = Decision.Recall(similarity: Float(rng.nextUnitDouble()), gate: Float(rng.nextUnitDouble()))
        }
        return d
    }
}
