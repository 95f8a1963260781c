import Foundation
@testable import NeuralCore
import Testing

@Suite struct SkillVAETests {
    /// A tiny model: 5 observation floats, 3 task and 2 play actions, segments of 3 steps, 3 skills, 4 hidden units.
    static let shape = SkillVAE.Shape(observationSize: 5, taskActions: 3, playActions: 2, horizon: 3, skills: 3, hidden: 4, beta: 0.7)

    /// Two segments of deterministic data, as flat buffers.
    static func data(_ rng: inout SplitMix64) -> (ContiguousArray<Float>, [Int32], [Int32]) {
        let n = 2 * shape.horizon
        return (randomArray(n * shape.observationSize, &rng), (0..<n).map { _ in Int32(rng.below(3)) }, (0..<n).map { _ in Int32(rng.below(2)) })
    }

    static func loss(_ model: SkillVAE, _ d: (ContiguousArray<Float>, [Int32], [Int32]), gradients: UnsafeMutableBufferPointer<Float>? = nil) -> SkillVAE.Terms {
        evaluated(model, d, gradients: gradients).terms
    }

    static func evaluated(_ model: SkillVAE, _ d: (ContiguousArray<Float>, [Int32], [Int32]),
                          gradients: UnsafeMutableBufferPointer<Float>? = nil) -> (terms: SkillVAE.Terms, workspace: SkillVAE.Workspace) {
        let w = SkillVAE.Workspace(shape: model.shape, segments: 2)
        let terms = d.0.withUnsafeBufferPointer { o in
            d.1.withUnsafeBufferPointer { t in
                d.2.withUnsafeBufferPointer { p in
                    model.evaluate(.init(count: 2, observations: o, tasks: t, plays: p), workspace: w, gradients: gradients)
                }
            }
        }
        return (terms, w)
    }

    @Test("the gradient of reconstruction + β·KL + the prior's cross-entropy (against the posterior held fixed) matches central finite differences, every parameter")
    func gradientByFiniteDifferences() {
        var rng = SplitMix64(seed: 11)
        let model = SkillVAE(shape: Self.shape, rng: &rng)
        let d = Self.data(&rng)
        var analytic = ContiguousArray<Float>(repeating: 0, count: model.parameterCount)
        let base = analytic.withUnsafeMutableBufferPointer { Self.evaluated(model, d, gradients: $0).workspace }
        // The prior learns towards the posterior without moving it (a stop-gradient): the check holds q at the model's.
        let q = (0..<2).map { i in base.posterior(i).map { exp(Double($0)) } }
        let failures = GradientCheck(relativeTolerance: 3e-2, absoluteTolerance: 3e-3)
            .mismatches(values: model.parameters, analytic: analytic, indices: Array(0..<model.parameterCount)) { p in
                var probe = model
                probe.parameters = p
                let (t, w) = Self.evaluated(probe, d)
                let crossEntropy = (0..<2).reduce(0.0) { sum, i in sum - zip(q[i], w.prior(i)).reduce(0.0) { $0 + $1.0 * Double($1.1) } } / 2
                return t.reconstruction + Double(Self.shape.beta) * t.kl + crossEntropy
            }
        #expect(failures.isEmpty, "\(failures)")
        #expect(analytic.contains { $0 != 0 })
    }

    @Test("the ELBO by hand: with every weight 0, q and the prior are uniform and the decoder guesses, so the loss is H·(ln 3 + ln 2) + 0 + ln 3")
    func elboOnATinyCase() {
        var rng = SplitMix64(seed: 3)
        let model = SkillVAE(shape: Self.shape, parameters: ContiguousArray(repeating: 0, count: SkillVAE(shape: Self.shape, rng: &rng).parameterCount))!
        let t = Self.loss(model, Self.data(&rng))
        #expect(abs(t.reconstruction - 3 * (log(3.0) + log(2.0))) < 1e-5)
        #expect(abs(t.kl) < 1e-6)
        #expect(abs(t.priorCrossEntropy - log(3.0)) < 1e-5)
        #expect(abs(t.priorKL) < 1e-5)
        // All logits tie, so the most likely pair is (0, 0): the steps that took it are the ones matched.
        let d = Self.data(&rng)
        let matched = zip(d.1, d.2).filter { $0 == 0 && $1 == 0 }.count
        #expect(Self.loss(model, d).matched == matched)
    }

    @Test("a skill that certainly explains a segment: q one-hot on it gives KL(q ‖ uniform) = ln K, and a decoder tilted to the data reconstructs it")
    func confidentPosterior() {
        var rng = SplitMix64(seed: 3)
        let zero = SkillVAE(shape: Self.shape, rng: &rng)
        var p = ContiguousArray<Float>(repeating: 0, count: zero.parameterCount)
        for z in 0..<3 { p[zero.encoderOut.bias.offset + z] = z == 1 ? 50 : 0 }
        p[zero.decoderOut.bias.offset + 2] = 20  // task 2
        p[zero.decoderOut.bias.offset + 3 + 1] = 20  // play 1
        let model = SkillVAE(shape: Self.shape, parameters: p)!
        let d: (ContiguousArray<Float>, [Int32], [Int32]) = (randomArray(6 * 5, &rng), Array(repeating: 2, count: 6), Array(repeating: 1, count: 6))
        let t = Self.loss(model, d)
        #expect(abs(t.kl - log(3.0)) < 1e-4)
        #expect(t.reconstruction < 1e-4)
        #expect(t.accuracy == 1 && t.taskAccuracy == 1)
    }

    @Test("a model survives JSON, and a model whose parameters do not fit its shape is refused")
    func codableRoundTrip() throws {
        var rng = SplitMix64(seed: 9)
        let model = SkillVAE(shape: Self.shape, rng: &rng)
        let data = try JSONEncoder().encode(model)
        #expect(try JSONDecoder().decode(SkillVAE.self, from: data) == model)
        #expect(SkillVAE(shape: Self.shape, parameters: [1, 2, 3]) == nil)
        var text = String(decoding: data, as: UTF8.self)
        text = text.replacingOccurrences(of: "\"horizon\":3", with: "\"horizon\":4")
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(SkillVAE.self, from: Data(text.utf8)) }
    }

    @Test("acting draws from the decoder's two heads with the generator given: the same seed, the same pairs; the prior sums to 1")
    func actingIsSeeded() {
        var rng = SplitMix64(seed: 4)
        let model = SkillVAE(shape: Self.shape, rng: &rng)
        let observation = randomArray(5, &rng)
        var logProbs = [Float](repeating: 0, count: 5), scratch = [Float](repeating: 0, count: model.scratchSize)
        func pairs(_ seed: UInt64) -> [Int32] {
            var draws = SplitMix64(seed: seed)
            return (0..<20).flatMap { i -> [Int32] in
                let a = observation.withUnsafeBufferPointer { o in
                    logProbs.withUnsafeMutableBufferPointer { lp in
                        scratch.withUnsafeMutableBufferPointer { model.act(observation: o, skill: i % 3, logProbs: lp, scratch: $0, rng: &draws) }
                    }
                }
                return [a.task, a.play]
            }
        }
        #expect(pairs(1) == pairs(1))
        #expect(pairs(1) != pairs(2))
        observation.withUnsafeBufferPointer { o in
            logProbs.withUnsafeMutableBufferPointer { lp in scratch.withUnsafeMutableBufferPointer { model.prior(observation: o, logProbs: lp, scratch: $0) } }
        }
        #expect(abs(logProbs[0..<3].reduce(0) { $0 + exp(Double($1)) } - 1) < 1e-5)
    }
}
