import RealModule

/// DIAYN's discriminator: q(z|s) over `skills` skills, a softmax over a `SparseMLP` on sparse state features,
/// trained by cross-entropy with plain SGD.
///
/// The one home of the skill classifier: the tabular agent's `skill` fun model and the recurrent agent's skills
/// (`playgrid train --skills K`) both use it. The skill reward is log q(z|s) − log p(z) with p uniform, so it is
/// at most ln K (the state tells the skill for certain) and 0 where the discriminator can only guess. Calls cost
/// O(active · hidden + hidden · skills), with no allocation after `init`.
public struct SkillDiscriminator: Sendable {
    public let skills: Int
    public internal(set) var network: SparseMLP
    /// The SGD step of `learn`.
    public var rate: Float
    /// Names how its inputs are laid out, for the code that writes them to check before reading it (the recurrent
    /// agent's skills: a `PositionLayout` raw value). Saved when set; nil for the tabular `skill` fun model, whose
    /// inputs are its scenario's whole `FeatureSpace`, and in discriminators saved before it was recorded.
    public var inputLayout: String?
    /// DISDAIN (Strouse et al. 2022), empty without it: more discriminators, drawn apart and trained on the same
    /// states, whose disagreement on a state — the information one more sample there would give about which of them is
    /// right — pays `disagreementWeight` × it as a bonus. DIAYN's reward alone pays ≈ 0 on a state the discriminator
    /// has not learned, so it punishes the exploring a skill needs to find a place of its own; the ensemble agrees
    /// where it has been trained, so the bonus fades where skills have settled. Saved with the discriminator, since
    /// the policy learned on this reward and reads it.
    public internal(set) var ensemble: [SparseMLP] = []
    public var disagreementWeight: Float = 0
    /// The least skill reward the policy is paid (nil: log q − log p down to ln `floor` + ln K ≈ −12). On the way from
    /// a crowded place to a free one a skill crosses places other skills own, each at about −12 a step, which no
    /// later gain on the free place may repay; a floor of 0 makes that way level. Saved with the discriminator:
    /// the policy learned on this reward and reads it.
    public var rewardFloor: Float?
    /// q(·|s) of the last `classify` (scratch, not saved).
    public private(set) var probabilities: ContiguousArray<Float>
    /// dL/dlogits of the cross-entropy, scratch for `learn`.
    var gradient: ContiguousArray<Float>
    /// The ensemble's q(·|s) of the last `classify`, member-major (scratch).
    var memberProbabilities: ContiguousArray<Float> = []
    /// The ensemble's disagreement on the last `classify`'s state: H(mean of the members' q) − mean of their H, in
    /// nats (0 without an ensemble).
    public private(set) var disagreement: Float = 0

    /// The smallest probability the reward reads, so one confident mistake costs at most ln(1e-6) ≈ −13.8.
    public static let floor: Float = 1e-6

    public init(inputs: Int, activeCount: Int, skills: Int, hidden: Int = 32, rate: Float = 0.05, inputLayout: String? = nil,
                rng: inout SplitMix64) {
        precondition(skills >= 2, "a discriminator tells at least 2 skills apart")
        self.skills = skills
        self.rate = rate
        self.inputLayout = inputLayout
        network = SparseMLP(inputs: inputs, hidden: hidden, outputs: skills, activeCount: activeCount, rng: &rng)
        probabilities = ContiguousArray(repeating: 1 / Float(skills), count: skills)
        gradient = probabilities
    }

    /// Adds DISDAIN's ensemble of `members` discriminators shaped as this one, drawn from `rng`, whose disagreement
    /// pays `weight` × it (see `ensemble`).
    public mutating func addEnsemble(members: Int, weight: Float, activeCount: Int, rng: inout SplitMix64) {
        precondition(members >= 2 && weight > 0, "an ensemble has at least 2 members and a positive weight")
        ensemble = (0..<members).map { _ in
            SparseMLP(inputs: network.inputs, hidden: network.hidden, outputs: skills, activeCount: activeCount, rng: &rng)
        }
        disagreementWeight = weight
        memberProbabilities = ContiguousArray(repeating: 1 / Float(skills), count: members * skills)
    }

    /// What the policy is paid for the last `classify`'s state as skill `z`: DIAYN's reward, no lower than
    /// `rewardFloor`, plus DISDAIN's bonus.
    public func paidReward(for z: Int) -> Float { max(reward(for: z), rewardFloor ?? -.infinity) + disagreementBonus }

    /// DISDAIN's bonus on the last `classify`'s state: `disagreementWeight` × `disagreement` (0 without an ensemble).
    public var disagreementBonus: Float { disagreementWeight * disagreement }

    /// Runs the classifier on the state whose switched-on features are `active`, leaving q(·|s) in `probabilities`.
    public mutating func classify(_ active: UnsafeBufferPointer<Int32>) {
        let skills = skills
        probabilities.withUnsafeMutableBufferPointer { p in
            network.predict(active, into: p)
            var top = p[0]
            for z in 1..<skills { top = max(top, p[z]) }
            var sum: Float = 0
            for z in 0..<skills {
                p[z] = .exp(p[z] - top)
                sum += p[z]
            }
            for z in 0..<skills { p[z] /= sum }
        }
        if !ensemble.isEmpty { classifyEnsemble(active) }
    }

    /// Runs every member on `active` and sets `disagreement`: the entropy of their mean prediction less their mean
    /// entropy (the mutual information between the skill and which member is right; 0 when they agree).
    mutating func classifyEnsemble(_ active: UnsafeBufferPointer<Int32>) {
        let skills = skills, members = ensemble.count
        var meanEntropy: Float = 0
        memberProbabilities.withUnsafeMutableBufferPointer { all in
            for m in 0..<members {
                let p = UnsafeMutableBufferPointer(rebasing: all[(m * skills)..<((m + 1) * skills)])
                ensemble[m].predict(active, into: p)
                meanEntropy += Self.softmaxEntropy(p)
            }
            // The mean prediction, in `gradient` (scratch until `learnClassified` fills it).
            gradient.withUnsafeMutableBufferPointer { mean in
                for z in 0..<skills {
                    var sum: Float = 0
                    for m in 0..<members { sum += all[m * skills + z] }
                    mean[z] = sum / Float(members)
                }
                var entropy: Float = 0
                for z in 0..<skills where mean[z] > 0 { entropy -= mean[z] * .log(mean[z]) }
                disagreement = max(0, entropy - meanEntropy / Float(members))
            }
        }
    }

    /// Turns logits `p` into probabilities in place and returns their entropy in nats.
    static func softmaxEntropy(_ p: UnsafeMutableBufferPointer<Float>) -> Float {
        var top = p[0]
        for z in 1..<p.count { top = max(top, p[z]) }
        var sum: Float = 0
        for z in 0..<p.count {
            p[z] = .exp(p[z] - top)
            sum += p[z]
        }
        var entropy: Float = 0
        for z in 0..<p.count {
            p[z] /= sum
            if p[z] > 0 { entropy -= p[z] * .log(p[z]) }
        }
        return entropy
    }

    /// log q(z|s) of the last `classify`, floored at `floor`.
    public func logProbability(of z: Int) -> Float { .log(max(probabilities[z], Self.floor)) }

    /// The skill the last `classify` found most likely (the lowest index among ties).
    public var mostLikely: Int {
        var best = 0
        for z in 1..<skills where probabilities[z] > probabilities[best] { best = z }
        return best
    }

    /// DIAYN's reward of the last `classify` for skill `z`: log q(z|s) − log p(z), p uniform over the skills.
    public func reward(for z: Int) -> Float { Self.reward(logProbability: logProbability(of: z), skills: skills) }

    /// log q − log(1/K).
    public static func reward(logProbability: Float, skills: Int) -> Float { logProbability + .log(Float(skills)) }

    /// One SGD step on −log q(z|s) for the state `active`, which the last `classify` must have been run on.
    /// (The first layer's step is divided by the number of active features, as `SparseMLP` does.)
    public mutating func learnClassified(_ active: UnsafeBufferPointer<Int32>, skill z: Int) {
        for k in 0..<skills { gradient[k] = probabilities[k] - (k == z ? 1 : 0) }
        let rate = rate
        gradient.withUnsafeBufferPointer { g in network.train(active, outputGradient: g, rate: rate) }
        let skills = skills
        for m in ensemble.indices {
            for k in 0..<skills { gradient[k] = memberProbabilities[m * skills + k] - (k == z ? 1 : 0) }
            gradient.withUnsafeBufferPointer { g in ensemble[m].train(active, outputGradient: g, rate: rate) }
        }
    }

    /// Classifies `active`, then takes one SGD step towards skill `z`; returns log q(z|s) before the step.
    @discardableResult
    public mutating func learn(_ active: UnsafeBufferPointer<Int32>, skill z: Int) -> Float {
        classify(active)
        let logQ = logProbability(of: z)
        learnClassified(active, skill: z)
        return logQ
    }
}

extension SkillDiscriminator: Equatable {
    /// Equal when they would classify alike: the same skills, step, input layout and weights (scratch is ignored).
    public static func == (a: SkillDiscriminator, b: SkillDiscriminator) -> Bool {
        a.skills == b.skills && a.rate == b.rate && a.inputLayout == b.inputLayout
            && a.disagreementWeight == b.disagreementWeight && a.rewardFloor == b.rewardFloor && a.ensemble.map(\.parameters) == b.ensemble.map(\.parameters)
            && a.network.inputs == b.network.inputs && a.network.hidden == b.network.hidden
            && a.network.parameters == b.network.parameters
    }
}

extension SkillDiscriminator: Codable {
    enum CodingKeys: String, CodingKey { case skills, rate, inputLayout, network, ensemble, disagreementWeight, rewardFloor }

    /// A discriminator saved by `encode(to:)`; refused when its network does not output one logit per skill.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        skills = try c.decode(Int.self, forKey: .skills)
        rate = try c.decode(Float.self, forKey: .rate)
        inputLayout = try c.decodeIfPresent(String.self, forKey: .inputLayout)
        network = try c.decode(SparseMLP.self, forKey: .network)
        guard skills >= 2, network.outputs == skills else {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath, debugDescription: "a discriminator of \(skills) skills has \(network.outputs) outputs"))
        }
        probabilities = ContiguousArray(repeating: 1 / Float(skills), count: skills)
        gradient = probabilities
        ensemble = try c.decodeIfPresent([SparseMLP].self, forKey: .ensemble) ?? []
        disagreementWeight = try c.decodeIfPresent(Float.self, forKey: .disagreementWeight) ?? 0
        guard ensemble.allSatisfy({ $0.inputs == network.inputs && $0.hidden == network.hidden && $0.outputs == skills }),
              ensemble.isEmpty == (disagreementWeight == 0), disagreementWeight.isFinite, disagreementWeight >= 0 else {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath, debugDescription: "the disagreement ensemble does not fit the discriminator (or its weight does not fit the ensemble)"))
        }
        memberProbabilities = ContiguousArray(repeating: 1 / Float(skills), count: ensemble.count * skills)
        rewardFloor = try c.decodeIfPresent(Float.self, forKey: .rewardFloor)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(skills, forKey: .skills)
        try c.encode(rate, forKey: .rate)
        try c.encodeIfPresent(inputLayout, forKey: .inputLayout)
        try c.encode(network, forKey: .network)
        if !ensemble.isEmpty {
            try c.encode(ensemble, forKey: .ensemble)
            try c.encode(disagreementWeight, forKey: .disagreementWeight)
        }
        try c.encodeIfPresent(rewardFloor, forKey: .rewardFloor)
    }
}
