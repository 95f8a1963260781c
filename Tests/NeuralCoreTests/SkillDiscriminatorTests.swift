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

    @Test("DISDAIN's disagreement by hand: two members certain of different skills disagree by ln 2; identical members by 0")
    func disagreementByHand() {
        var rng = SplitMix64(seed: 3)
        var d = SkillDiscriminator(inputs: 4, activeCount: 1, skills: 4, hidden: 3, rng: &rng)
        d.addEnsemble(members: 2, weight: 0.5, activeCount: 1, rng: &rng)
        let bias = d.network.readOut.bias.offset
        for m in 0..<2 {
            var p = ContiguousArray<Float>(repeating: 0, count: d.ensemble[m].parameters.count)
            p[bias + m] = 100  // member m is sure of skill m
            d.ensemble[m].parameters = p
        }
        [Int32(1)].withUnsafeBufferPointer { d.classify($0) }
        // Mean prediction (1/2, 1/2, 0, 0): entropy ln 2; each member's entropy 0.
        #expect(abs(d.disagreement - Foundation.log(2)) < 1e-4)
        #expect(abs(d.disagreementBonus - 0.5 * Foundation.log(2)) < 1e-4)
        d.ensemble[1] = d.ensemble[0]
        [Int32(1)].withUnsafeBufferPointer { d.classify($0) }
        #expect(abs(d.disagreement) < 1e-6)
        // Without an ensemble there is no bonus.
        let plain = SkillDiscriminator(inputs: 4, activeCount: 1, skills: 4, hidden: 3, rng: &rng)
        #expect(plain.disagreementBonus == 0 && plain.ensemble.isEmpty)
    }

    @Test("members trained on a state come to agree there, and still disagree on a state none of them learned")
    func disagreementFadesWhereLearned() {
        var rng = SplitMix64(seed: 4)
        var d = SkillDiscriminator(inputs: 12, activeCount: 1, skills: 4, hidden: 8, rate: 0.1, rng: &rng)
        d.addEnsemble(members: 8, weight: 1, activeCount: 1, rng: &rng)
        func disagreement(at cell: Int32) -> Float {
            [cell].withUnsafeBufferPointer { d.classify($0) }
            return d.disagreement
        }
        let (learned, unseen) = (disagreement(at: 3), disagreement(at: 9))
        #expect(learned > 0.01 && unseen > 0.01, "members drawn apart disagree before learning: \(learned), \(unseen)")
        for _ in 0..<300 { [Int32(3)].withUnsafeBufferPointer { _ = d.learn($0, skill: 2) } }
        #expect(disagreement(at: 3) < learned / 10)
        #expect(disagreement(at: 9) > 0.01)
        // The members learned the skill too, as the main network did.
        [Int32(3)].withUnsafeBufferPointer { d.classify($0) }
        #expect(d.mostLikely == 2)
        #expect(d.memberProbabilities[5 * 4 + 2] > 0.9)
    }

    @Test("a discriminator with an ensemble reads back equal; an ensemble of the wrong shape, or without its weight, is refused")
    func codableWithEnsemble() throws {
        var rng = SplitMix64(seed: 6)
        var d = SkillDiscriminator(inputs: 7, activeCount: 2, skills: 3, hidden: 4, rng: &rng)
        d.addEnsemble(members: 3, weight: 0.25, activeCount: 2, rng: &rng)
        let data = try JSONEncoder().encode(d)
        let back = try JSONDecoder().decode(SkillDiscriminator.self, from: data)
        #expect(back == d && back.ensemble.count == 3 && back.disagreementWeight == 0.25)
        var other = d
        other.ensemble[1].parameters[0] += 1
        #expect(other != d)
        var json = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
        json["disagreementWeight"] = nil
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(SkillDiscriminator.self, from: JSONSerialization.data(withJSONObject: json))
        }
        var wide = SkillDiscriminator(inputs: 7, activeCount: 2, skills: 3, hidden: 5, rng: &rng)
        wide.addEnsemble(members: 2, weight: 1, activeCount: 2, rng: &rng)
        var mixed = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
        mixed["ensemble"] = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(wide)) as? [String: Any])["ensemble"]
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(SkillDiscriminator.self, from: JSONSerialization.data(withJSONObject: mixed))
        }
    }

    @Test("the paid reward by hand: a floor of 0 lifts a confident mistake's ln(1e-6) + ln 4 to 0 and leaves a positive reward alone; the disagreement bonus adds on top; the floor survives a save")
    func paidRewardByHand() throws {
        var rng = SplitMix64(seed: 7)
        var d = SkillDiscriminator(inputs: 4, activeCount: 1, skills: 4, hidden: 3, rng: &rng)
        var p = ContiguousArray<Float>(repeating: 0, count: d.network.parameters.count)
        p[d.network.readOut.bias.offset] = 100  // sure of skill 0
        d.network.parameters = p
        [Int32(2)].withUnsafeBufferPointer { d.classify($0) }
        #expect(d.paidReward(for: 1) == d.reward(for: 1) && d.reward(for: 1) < -11)  // no floor: paid as DIAYN pays
        d.rewardFloor = 0
        #expect(d.paidReward(for: 1) == 0)
        #expect(abs(d.paidReward(for: 0) - Foundation.log(4)) < 1e-5)
        d.addEnsemble(members: 2, weight: 2, activeCount: 1, rng: &rng)
        [Int32(2)].withUnsafeBufferPointer { d.classify($0) }
        #expect(d.disagreement > 0 && abs(d.paidReward(for: 1) - 2 * d.disagreement) < 1e-6)
        let back = try JSONDecoder().decode(SkillDiscriminator.self, from: JSONEncoder().encode(d))
        #expect(back == d && back.rewardFloor == 0)
        d.rewardFloor = nil
        #expect(!String(decoding: try JSONEncoder().encode(d), as: UTF8.self).contains("rewardFloor"))
    }
}
