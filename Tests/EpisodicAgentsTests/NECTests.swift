import Agents
import Engine
@testable import EpisodicAgents
import Fun
import GridWorld
import Testing
import TestSupport

@Suite struct NECTests {
    /// A dictionary of `count` random keys of `size` floats with values 0, 1, 2, …
    static func dictionary(count: Int, size: Int, rng: inout SplitMix64) -> DifferentiableDictionary {
        var d = DifferentiableDictionary(keySize: size, capacity: 100)
        for i in 0..<count {
            let key = (0..<size).map { _ in Float(rng.nextNormal()) * 0.5 }
            key.withUnsafeBufferPointer { d.write($0, target: Float(i), rate: 0.1, at: UInt64(i)) }
        }
        return d
    }

    @Test("a lookup is the kernel average Σ wᵢvᵢ, wᵢ ∝ 1/(‖h − hᵢ‖² + δ), over the p nearest keys")
    func kernel() {
        var rng = SplitMix64(seed: 11)
        let d = Self.dictionary(count: 8, size: 5, rng: &rng)
        let h = (0..<5).map { _ in Float(rng.nextNormal()) * 0.5 }
        for p in [3, 8, 20] {
            var neighbours = Neighbours(k: p)
            let q = h.withUnsafeBufferPointer { d.value(at: $0, neighbours: &neighbours) }
            var terms: [(distance: Float, value: Float)] = []
            for s in 0..<d.memory.count {
                let key = Array(d.memory.key(at: s))
                terms.append((zip(key, h).map { ($0 - $1) * ($0 - $1) }.reduce(0, +), d.memory.values[s]))
            }
            let nearest = terms.sorted { $0.distance < $1.distance }.prefix(p)
            let weights = nearest.map { 1 / ($0.distance + 1e-3) }
            let expected = zip(weights, nearest).map { $0 * $1.value }.reduce(0, +) / weights.reduce(0, +)
            #expect(abs(q! - expected) < 1e-4 * max(1, abs(expected)))
        }
        var none = Neighbours(k: 3)
        #expect(h.withUnsafeBufferPointer { DifferentiableDictionary(keySize: 5, capacity: 4).value(at: $0, neighbours: &none) } == nil)
    }

    @Test("∂Q/∂h through the kernel agrees with central finite differences")
    func kernelGradient() {
        var rng = SplitMix64(seed: 12)
        let size = 6
        let d = Self.dictionary(count: 10, size: size, rng: &rng)
        var neighbours = Neighbours(k: 50)
        for _ in 0..<5 {
            var h = (0..<size).map { _ in Float(rng.nextNormal()) * 0.5 }
            var gradient = [Float](repeating: 0, count: size)
            let q = h.withUnsafeBufferPointer { d.value(at: $0, neighbours: &neighbours)! }
            h.withUnsafeBufferPointer { h in
                gradient.withUnsafeMutableBufferPointer { d.addGradient(at: h, neighbours: neighbours, value: q, scale: 1, into: $0) }
            }
            for j in 0..<size {
                let e: Float = 1e-3
                h[j] += e
                let up = h.withUnsafeBufferPointer { d.value(at: $0, neighbours: &neighbours)! }
                h[j] -= 2 * e
                let down = h.withUnsafeBufferPointer { d.value(at: $0, neighbours: &neighbours)! }
                h[j] += e
                let numeric = (up - down) / (2 * e)
                #expect(abs(numeric - gradient[j]) <= 2e-2 * max(0.1, abs(numeric)), "component \(j): \(gradient[j]) vs \(numeric)")
            }
        }
    }

    @Test("a key already stored moves its value by α toward the target; a new key is stored with it")
    func tabularWrite() {
        var d = DifferentiableDictionary(keySize: 2, capacity: 10)
        [Float(1), 2].withUnsafeBufferPointer { d.write($0, target: 1, rate: 0.1, at: 1) }
        [Float(1), 2].withUnsafeBufferPointer { d.write($0, target: 0, rate: 0.1, at: 2) }
        #expect(d.memory.count == 1 && abs(d.memory.values[0] - 0.9) < 1e-6)
        [Float(1), 2.5].withUnsafeBufferPointer { d.write($0, target: 3, rate: 0.1, at: 3) }
        #expect(d.memory.count == 2 && d.memory.values[1] == 3)
    }

    @Test("a training step on the lookups' error lowers it: the embedding learns through the dictionary")
    func embeddingLearnsThroughLookup() {
        var rng = SplitMix64(seed: 13)
        var encoder = SituationEncoder(inputSize: 7, hiddenSize: 16, outputSize: 4, learningRate: 1e-2, rng: &rng)
        let d = Self.dictionary(count: 12, size: 4, rng: &rng)
        let rows = 5
        let x = (0..<rows * 7).map { _ in Float(rng.nextNormal()) }
        let targets: [Float] = [0, 11, 3, 8, 5]
        var neighbours = Neighbours(k: 50)
        func loss(_ encoder: inout SituationEncoder, gradients: UnsafeMutableBufferPointer<Float>?) -> Float {
            x.withUnsafeBufferPointer { encoder.forward($0, rows: rows) }
            var total: Float = 0
            encoder.output.withUnsafeBufferPointer { out in
                for r in 0..<rows {
                    let h = UnsafeBufferPointer(rebasing: out[r * 4..<(r + 1) * 4])
                    let q = d.value(at: h, neighbours: &neighbours)!
                    total += (q - targets[r]) * (q - targets[r]) / Float(rows)
                    if let gradients {
                        d.addGradient(at: h, neighbours: neighbours, value: q, scale: 2 * (q - targets[r]) / Float(rows),
                                      into: UnsafeMutableBufferPointer(rebasing: gradients[r * 4..<(r + 1) * 4]))
                    }
                }
            }
            return total
        }
        var gradients = [Float](repeating: 0, count: rows * 4)
        let before = gradients.withUnsafeMutableBufferPointer { loss(&encoder, gradients: $0) }
        for _ in 0..<20 {
            for i in gradients.indices { gradients[i] = 0 }
            _ = gradients.withUnsafeMutableBufferPointer { loss(&encoder, gradients: $0) }
            x.withUnsafeBufferPointer { x in gradients.withUnsafeBufferPointer { encoder.train(x, gradOutput: $0, rows: rows) } }
        }
        let after = loss(&encoder, gradients: nil)
        #expect(after < 0.8 * before, "loss \(before) → \(after)")
    }

    @Test("back where it acted this episode, the action it took then is worth at most γ × the best other, as in MFEC")
    func repeatsWithinAnEpisode() throws {
        let s = try scenario("#####\n#A.G#\n#####")
        let world = World(scenario: s, level: try s.sample(seed: 1))
        var settings = NECAgent.Settings()
        settings.exploration = 0
        var agent = NECAgent(funWeight: 0, settings: settings)
        var rng = SplitMix64(seed: 3)
        agent.beginTrial(world)
        let best = agent.decide(world, rng: &rng).action.task
        agent.observe(Transition(taskReward: 0.9, terminated: true), reward: StepReward(task: 0.9), world: world)
        agent.beginEpisode(world)
        let first = agent.decide(world, rng: &rng)
        #expect(first.action.task == best && (first.memory?.taskValues[Int(best.rawValue)] ?? 0) > 0)
        agent.observe(Transition(), reward: StepReward(task: 0), world: world)
        // The same situation again: no other action has a value yet, so the one taken is worth γ × 0.
        let again = agent.decide(world, rng: &rng)
        #expect(again.memory?.taskValues[Int(best.rawValue)] == 0)
        #expect(again.action.task != best)
    }

    static func run(_ seed: UInt64, episodes: Int) throws -> RunReport {
        let fun = FunSpec(terms: [])
        return try Runner.run(scenario: try shipped("room-9"), agent: NECAgent(funWeight: 0), fun: fun, seed: seed, length: .episodes(episodes))
    }

    @Test("the same seed gives the same run, another seed another; without fun it never plays")
    func determinism() throws {
        let a = try Self.run(4, episodes: 6), b = try Self.run(4, episodes: 6), c = try Self.run(5, episodes: 6)
        #expect(a.episodeTaskReturns == b.episodeTaskReturns && a.steps == b.steps)
        #expect(a.episodeTaskReturns != c.episodeTaskReturns || a.steps != c.steps)
        #expect(a.playRatio == 0 && c.playRatio == 0)
    }
}
