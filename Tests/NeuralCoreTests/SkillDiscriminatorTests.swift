import Foundation
@testable import NeuralCore
import Testing

@Suite struct SkillDiscriminatorTests {
    @Test("a learning step moves every parameter by −rate × the finite-difference gradient of −log q(z|s) (the first layer's by rate / active)")
    func stepFollowsTheCrossEntropyGradient() {
        var rng = SplitMix64(seed: 5)
        var d = SkillDiscriminator(inputs: 10, activeCount: 3, skills: 4, hidden: 6, rate: 1e-3, rng: &rng)
        let active: [Int32] = [1, 5, 8]
        let z = 2
        func loss(_ p: ContiguousArray<Float>) -> Double {
            var probe = d
            probe.network.parameters = p
            active.withUnsafeBufferPointer { probe.classify($0) }
            return -Double(Foundation.log(probe.probabilities[z]))
        }
        let before = d.network.parameters
        active.withUnsafeBufferPointer { _ = d.learn($0, skill: z) }
        let firstLayerEnd = d.network.hiddenBias.offset + d.network.hiddenBias.count
        var analytic = ContiguousArray<Float>(repeating: 0, count: before.count)
        for i in 0..<before.count {
            analytic[i] = (before[i] - d.network.parameters[i]) / (i < firstLayerEnd ? d.rate / 3 : d.rate)
        }
        let failures = GradientCheck(relativeTolerance: 5e-2, absoluteTolerance: 5e-3)
            .mismatches(values: before, analytic: analytic, indices: Array(0..<before.count), loss: loss)
        #expect(failures.isEmpty, "\(failures)")
        #expect(analytic.contains { $0 != 0 })
    }

    @Test("the skill reward by hand: logits (ln 3, 0, 0, 0) give q = (1/2, 1/6, 1/6, 1/6), so skill 0 earns ln 2 and skill 1 ln(2/3)")
    func rewardByHand() {
        var rng = SplitMix64(seed: 1)
        var d = SkillDiscriminator(inputs: 4, activeCount: 1, skills: 4, hidden: 3, rng: &rng)
        var p = ContiguousArray<Float>(repeating: 0, count: d.network.parameters.count)
        p[d.network.readOut.bias.offset] = Foundation.log(3)
        d.network.parameters = p
        [Int32(2)].withUnsafeBufferPointer { d.classify($0) }
        #expect(abs(d.probabilities[0] - 0.5) < 1e-6 && abs(d.probabilities[3] - 1.0 / 6) < 1e-6)
        #expect(abs(d.reward(for: 0) - Foundation.log(2)) < 1e-5)
        #expect(abs(d.reward(for: 1) - Foundation.log(2.0 / 3)) < 1e-5)
        #expect(d.mostLikely == 0)
        // A certain discriminator pays at most ln K; a certain mistake at least ln(1e-6) + ln K.
        #expect(abs(SkillDiscriminator.reward(logProbability: 0, skills: 4) - Foundation.log(4)) < 1e-6)
        p[d.network.readOut.bias.offset] = 100
        d.network.parameters = p
        [Int32(2)].withUnsafeBufferPointer { d.classify($0) }
        #expect(abs(d.reward(for: 1) - (Foundation.log(1e-6) + Foundation.log(4))) < 1e-3)
    }

    @Test("a saved discriminator reads back equal, and one whose network does not output a logit per skill is refused")
    func codable() throws {
        var rng = SplitMix64(seed: 2)
        let d = SkillDiscriminator(inputs: 7, activeCount: 2, skills: 3, hidden: 4, rng: &rng)
        let data = try JSONEncoder().encode(d)
        #expect(try JSONDecoder().decode(SkillDiscriminator.self, from: data) == d)
        let bad = String(decoding: data, as: UTF8.self).replacingOccurrences(of: #""skills":3"#, with: #""skills":5"#)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(SkillDiscriminator.self, from: Data(bad.utf8)) }
    }
}
