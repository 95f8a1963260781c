import Fun
import GridWorld
import MetaAgents
@testable import MetaRL
import TestSupport
import Testing

/// The batched environment `train` steps, and the rollout that steps it, allocate nothing per step with the standard
/// fun: worlds, outputs, the policy's activations and scratch are flat buffers kept between steps. Only a trial that
/// draws a new MDP (a varying family) allocates.
@Suite(.enabled(if: HeapAllocations.areCounted, "allocations are counted only with glibc"))
struct StepAllocationTests {
    /// Steps a batch of 8 on `scenarios` with the standard fun and random actions, 1000 steps to warm up and then
    /// 10,000 counted; returns the allocations of the counted steps, leaving out those where some trial ended if
    /// `skippingTrialEnds`.
    func allocations(_ scenarios: [String], fun: FunSpec = .standard, skippingTrialEnds: Bool) throws -> Int {
        var env = try GridMetaEnvironment(scenarios: try scenarios.map { try shipped($0) }, funSpec: fun, batchSize: 8)
        var out = env.makeStep()
        env.reset(seed: 3, into: &out)
        var rng = SplitMix64(seed: 8)
        var task = [Int32](repeating: 0, count: 8), play = task
        var total = 0
        for step in 0..<11_000 {
            for i in 0..<8 {
                task[i] = Int32(rng.below(TaskAction.count))
                play[i] = Int32(rng.below(PlayAction.count))
            }
            let count = task.withUnsafeBufferPointer { task in
                play.withUnsafeBufferPointer { play in HeapAllocations.count { env.step(task: task, play: play, into: &out) } }
            }
            if step >= 1000 && !(skippingTrialEnds && out.trialDone.contains(true)) { total += count }
        }
        return total
    }

    @Test("a batch of fixed worlds steps through episodes and trials without allocating",
          arguments: ["playroom", "sandbox", "serpentine", "shifting-goal", "room-9", "skill-room"])
    func fixedFamilies(_ name: String) throws {
        #expect(try allocations([name], skippingTrialEnds: false) == 0)
    }

    @Test("with a fun model that reads the world before each step, a batch still steps without allocating",
          arguments: ["playroom", "rock-garden"])
    func funReadingTheWorldBefore(_ name: String) throws {
        let fun = try FunSpec(parsing: "delight=1,curiosity=0.1")
        #expect(try allocations([name], fun: fun, skippingTrialEnds: true) == 0)
    }

    @Test("a batch of varying worlds allocates only at the steps where a trial draws a new MDP",
          arguments: [["rock-garden"], ["tinker-lab"], ["buried-key"], ["rock-garden", "tinker-lab", "buried-key"]])
    func varyingFamilies(_ names: [String]) throws {
        #expect(try allocations(names, skippingTrialEnds: true) == 0)
    }

    @Test("a rollout segment (policy forward, sampling, environment step, advantages) allocates nothing on fixed worlds",
          arguments: ["playroom", "serpentine"])
    func rolloutAllocatesNothing(_ name: String) throws {
        let environment = try GridMetaEnvironment(scenarios: [try shipped(name)], funSpec: .standard, batchSize: 8)
        var configuration = TrainerConfiguration()
        configuration.threads = 1
        let trainer = try Trainer(environment: environment, configuration: configuration)
        let worker = trainer.workers[0]
        try trainer.parameters.withUnsafeBufferPointer { parameters in
            worker.rollout(parameters: parameters, configuration: configuration)
            for _ in 0..<8 {
                let count = HeapAllocations.count { worker.rollout(parameters: parameters, configuration: configuration) }
                try #require(count == 0)
            }
        }
    }
}
