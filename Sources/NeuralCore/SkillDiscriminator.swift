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
    /// q(·|s) of the last `classify` (scratch, not saved).
    public private(set) var probabilities: ContiguousArray<Float>
    /// dL/dlogits of the cross-entropy, scratch for `learn`.
    var gradient: ContiguousArray<Float>

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

    /// Runs the classifier on the state whose switched-on features are `active`, leaving q(·|s) in `probabilities`.
    public mutating func classify(_ active: UnsafeBufferPointer<Int32>) {
        probabilities.withUnsafeMutableBufferPointer { p in
            network.predict(active, into: p)
            Categorical.softmax(p)
        }
    }

    /// log q(z|s) of the last `classify`, floored at `floor`.
    public func logProbability(of z: Int) -> Float { .log(max(probabilities[z], Self.floor)) }

    /// The skill the last `classify` found most likely (the lowest index among ties).
    public var mostLikely: Int {
        probabilities.withUnsafeBufferPointer { Categorical.argmax(UnsafeBufferPointer(rebasing: $0[0..<skills])) }
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
    }

    /// Classifies `active`, then takes one SGD step on the cross-entropy to the distribution `target` over the
    /// skills (a soft label: EDL fits a decoder's posterior this way, `SkillPartition`).
    public mutating func learn(_ active: UnsafeBufferPointer<Int32>, towards target: UnsafeBufferPointer<Float>) {
        classify(active)
        for k in 0..<skills { gradient[k] = probabilities[k] - target[k] }
        let rate = rate
        gradient.withUnsafeBufferPointer { g in network.train(active, outputGradient: g, rate: rate) }
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
            && a.network.inputs == b.network.inputs && a.network.hidden == b.network.hidden
            && a.network.parameters == b.network.parameters
    }
}

extension SkillDiscriminator: Codable {
    enum CodingKeys: String, CodingKey { case skills, rate, inputLayout, network }

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
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(skills, forKey: .skills)
        try c.encode(rate, forKey: .rate)
        try c.encodeIfPresent(inputLayout, forKey: .inputLayout)
        try c.encode(network, forKey: .network)
    }
}
