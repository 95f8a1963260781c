import RealModule

/// SiMPL's skill model (Nam et al. 2022), small and discrete: an encoder q(z|a₁…a_H) of an H-step segment of action
/// pairs, a closed-loop decoder π(a|s, z) that is the skill's policy, and a skill prior p(z|s) of which skills the
/// data starts from a state.
///
/// The latent is one of K skills rather than SiMPL's Gaussian: the reconstruction term Σ_z q(z|x) log π(x|z) is then
/// summed exactly over the K skills, with no sampling, so the ELBO and its gradient are deterministic; the KL to the
/// prior and the prior's entropy are exact sums; and a high-level RL² policy picks a skill with the categorical head
/// the trainer already has. The encoder is an MLP over the segment's flattened one-hot action pairs (the order is
/// in the positions: SPiRL's encoder reads actions only), the decoder an MLP on (observation, skill embedding) with
/// a task head and a play head as the agents' policies have, the prior an MLP on the segment's first observation.
///
/// Loss per segment: −Σ_z q(z|x) Σ_t log π(a_t|s_t, z) + β·KL(q(z|x) ‖ uniform) + CE(sg q(z|x), p(z|s₁)): the prior is
/// fitted to the encoder's posterior without moving it, as SiMPL's prior is.
public struct SkillVAE: Sendable, Equatable {
    /// The sizes that fix the parameter layout.
    public struct Shape: Codable, Hashable, Sendable {
        public var observationSize: Int
        public var taskActions: Int
        public var playActions: Int
        /// H: steps per segment, the skill's length.
        public var horizon: Int
        /// K: the skills.
        public var skills: Int
        public var hidden: Int
        /// Weight of KL(q ‖ uniform): 1 makes the loss the negative ELBO.
        public var beta: Float

        public init(observationSize: Int, taskActions: Int, playActions: Int, horizon: Int, skills: Int, hidden: Int = 64, beta: Float = 1) {
            self.observationSize = observationSize
            self.taskActions = taskActions
            self.playActions = playActions
            self.horizon = horizon
            self.skills = skills
            self.hidden = hidden
            self.beta = beta
        }

        /// Floats of one action pair's two one-hots, and of the decoder's two heads' logits.
        public var actionWidth: Int { taskActions + playActions }
    }

    public let shape: Shape
    let encoderIn: Linear
    let encoderOut: Linear
    let decoderIn: Linear
    let skillEmbedding: Embedding
    let decoderOut: Linear
    let priorIn: Linear
    let priorOut: Linear
    public var parameters: ContiguousArray<Float>
    public let parameterCount: Int

    /// A model of `shape`, freshly initialised from `rng`.
    public init(shape: Shape, rng: inout SplitMix64) {
        self.init(layoutFor: shape, parameters: nil)
        let layers = (encoderIn, encoderOut, decoderIn, decoderOut, priorIn, priorOut, skillEmbedding)
        parameters.withUnsafeMutableBufferPointer { p in
            for layer in [layers.0, layers.1, layers.2, layers.3, layers.4, layers.5] { layer.initialize(p, rng: &rng) }
            layers.6.initialize(p, rng: &rng)
        }
    }

    /// A model of `shape` holding `parameters` (a saved model); nil when their count is not the shape's.
    public init?(shape: Shape, parameters: ContiguousArray<Float>) {
        self.init(layoutFor: shape, parameters: parameters)
        if parameters.count != parameterCount { return nil }
    }

    init(layoutFor shape: Shape, parameters given: ContiguousArray<Float>?) {
        precondition(shape.horizon >= 1 && shape.skills >= 2 && shape.hidden >= 1 && shape.observationSize >= 1,
                     "SkillVAE: horizon ≥ 1, skills ≥ 2, hidden ≥ 1")
        self.shape = shape
        var layout = ParameterLayout()
        let a = shape.actionWidth, h = shape.hidden
        encoderIn = Linear(inputSize: shape.horizon * a, outputSize: h, layout: &layout)
        encoderOut = Linear(inputSize: h, outputSize: shape.skills, layout: &layout)
        decoderIn = Linear(inputSize: shape.observationSize, outputSize: h, layout: &layout)
        skillEmbedding = Embedding(vocabulary: shape.skills, dimension: h, layout: &layout)
        decoderOut = Linear(inputSize: h, outputSize: a, layout: &layout)
        priorIn = Linear(inputSize: shape.observationSize, outputSize: h, layout: &layout)
        priorOut = Linear(inputSize: h, outputSize: shape.skills, layout: &layout)
        parameterCount = layout.count
        parameters = given ?? ContiguousArray(repeating: 0, count: layout.count)
    }

    /// A batch of segments, segment-major: `count × horizon` observations (`observationSize` floats each) and the
    /// task and play action taken at each.
    public struct Segments {
        public var count: Int
        public var observations: UnsafeBufferPointer<Float>
        public var tasks: UnsafeBufferPointer<Int32>
        public var plays: UnsafeBufferPointer<Int32>
        public init(count: Int, observations: UnsafeBufferPointer<Float>, tasks: UnsafeBufferPointer<Int32>, plays: UnsafeBufferPointer<Int32>) {
            self.count = count
            self.observations = observations
            self.tasks = tasks
            self.plays = plays
        }
    }

    /// The loss terms of a batch, each a mean over its segments, and how well the decoder reproduces it.
    public struct Terms: Sendable, Equatable {
        /// −Σ_z q(z|x) log π(x|z), nats per segment.
        public var reconstruction = 0.0
        /// KL(q(z|x) ‖ uniform).
        public var kl = 0.0
        /// Cross-entropy of the prior against the posterior, and KL(q(z|x) ‖ p(z|s₁)) (the same less q's entropy).
        public var priorCrossEntropy = 0.0
        public var priorKL = 0.0
        /// Steps whose most likely action pair under the decoder of the most likely skill is the one taken (both
        /// halves; the task half alone), and steps judged.
        public var matched = 0
        public var matchedTask = 0
        public var steps = 0
        public init() {}
        /// What the optimiser minimises.
        public func loss(beta: Float) -> Double { reconstruction + Double(beta) * kl + priorCrossEntropy }
        public var accuracy: Double { steps == 0 ? 0 : Double(matched) / Double(steps) }
        public var taskAccuracy: Double { steps == 0 ? 0 : Double(matchedTask) / Double(steps) }
    }

    /// Scratch for `evaluate` sized for batches of up to `segments` segments, allocated once.
    public final class Workspace: @unchecked Sendable {
        public let segments: Int
        let shape: Shape
        let onehots, encoderHidden, gradEncoderHidden, logPosterior, gradLogits, stepSums: UnsafeMutableBufferPointer<Float>
        let decoderBase, gradBase, decoderHidden, gradHidden, outputs, gradOutputs: UnsafeMutableBufferPointer<Float>
        let firstObservations, priorHidden, gradPriorHidden, priorLogProbs, gradPrior: UnsafeMutableBufferPointer<Float>

        public init(shape: Shape, segments: Int) {
            self.segments = segments
            self.shape = shape
            let (h, k, a, rows) = (shape.hidden, shape.skills, shape.actionWidth, segments * shape.horizon)
            func floats(_ n: Int) -> UnsafeMutableBufferPointer<Float> {
                let b = UnsafeMutableBufferPointer<Float>.allocate(capacity: max(1, n))
                b.initialize(repeating: 0)
                return b
            }
            onehots = floats(segments * shape.horizon * a)
            encoderHidden = floats(segments * h)
            gradEncoderHidden = floats(segments * h)
            logPosterior = floats(segments * k)
            gradLogits = floats(segments * k)
            stepSums = floats(segments * k)
            decoderBase = floats(rows * h)
            gradBase = floats(rows * h)
            decoderHidden = floats(k * rows * h)
            gradHidden = floats(rows * h)
            outputs = floats(k * rows * a)
            gradOutputs = floats(rows * a)
            firstObservations = floats(segments * shape.observationSize)
            priorHidden = floats(segments * h)
            gradPriorHidden = floats(segments * h)
            priorLogProbs = floats(segments * k)
            gradPrior = floats(segments * k)
        }

        deinit {
            for b in [onehots, encoderHidden, gradEncoderHidden, logPosterior, gradLogits, stepSums, decoderBase, gradBase, decoderHidden,
                      gradHidden, outputs, gradOutputs, firstObservations, priorHidden, gradPriorHidden, priorLogProbs, gradPrior] {
                b.deallocate()
            }
        }

        /// log q(·|x) of segment `i` of the last `evaluate`.
        public func posterior(_ i: Int) -> UnsafeBufferPointer<Float> { UnsafeBufferPointer(logPosterior).rows(i, 1, width: shape.skills) }
        /// log p(·|s₁) of segment `i` of the last `evaluate`.
        public func prior(_ i: Int) -> UnsafeBufferPointer<Float> { UnsafeBufferPointer(priorLogProbs).rows(i, 1, width: shape.skills) }
    }

    /// The loss terms of `batch`; with `gradients`, adds d(mean loss)/dθ into them. O(segments · H · (observation ·
    /// hidden + K · hidden · actions)); no allocation.
    @discardableResult
    public func evaluate(_ batch: Segments, workspace w: Workspace, gradients: UnsafeMutableBufferPointer<Float>?) -> Terms {
        let (n, hz, h, k, a, o) = (batch.count, shape.horizon, shape.hidden, shape.skills, shape.actionWidth, shape.observationSize)
        let (nt, rows) = (shape.taskActions, batch.count * shape.horizon)
        precondition(n <= w.segments && w.shape == shape, "SkillVAE: a workspace for \(w.segments) segments of this shape, got \(n)")
        precondition(batch.observations.count >= rows * o && batch.tasks.count >= rows && batch.plays.count >= rows, "SkillVAE: batch buffers too small")
        var terms = Terms()
        guard n > 0 else { return terms }
        return parameters.withUnsafeBufferPointer { p -> Terms in
            // Encoder: q(z|x) from the segment's one-hot action pairs.
            let u = w.onehots.rows(0, n, width: hz * a)
            u.update(repeating: 0)
            for r in 0..<rows {
                u[r * a + Int(batch.tasks[r])] = 1
                u[r * a + nt + Int(batch.plays[r])] = 1
            }
            let eh = w.encoderHidden.rows(0, n, width: h)
            encoderIn.forward(parameters: p, input: u.readOnly, rows: n, output: eh)
            relu(eh)
            let logQ = w.logPosterior.rows(0, n, width: k)
            encoderOut.forward(parameters: p, input: eh.readOnly, rows: n, output: logQ)
            for i in 0..<n { logSoftmaxInPlace(logQ.rows(i, 1, width: k)) }
            // Decoder: log π(a_t|s_t, z) for every step and skill, summed per segment.
            let base = w.decoderBase.rows(0, rows, width: h)
            decoderIn.forward(parameters: p, input: batch.observations.rows(0, rows, width: o), rows: rows, output: base)
            let sums = w.stepSums.rows(0, n, width: k)
            sums.update(repeating: 0)
            let embedding = skillEmbedding.table.values(in: p)
            for z in 0..<k {
                let hidden = w.decoderHidden.rows(z * rows, rows, width: h)
                for r in 0..<rows {
                    for j in 0..<h { hidden[r * h + j] = max(0, base[r * h + j] + embedding[z * h + j]) }
                }
                let out = w.outputs.rows(z * rows, rows, width: a)
                decoderOut.forward(parameters: p, input: hidden.readOnly, rows: rows, output: out)
                for r in 0..<rows {
                    let row = out.rows(r, 1, width: a)
                    logSoftmaxInPlace(UnsafeMutableBufferPointer(rebasing: row[0..<nt]))
                    logSoftmaxInPlace(UnsafeMutableBufferPointer(rebasing: row[nt..<a]))
                    sums[(r / hz) * k + z] += row[Int(batch.tasks[r])] + row[nt + Int(batch.plays[r])]
                }
            }
            // Prior: p(z|s₁).
            let first = w.firstObservations.rows(0, n, width: o)
            for i in 0..<n { _ = first.rows(i, 1, width: o).update(fromContentsOf: batch.observations.rows(i * hz, 1, width: o)) }
            let ph = w.priorHidden.rows(0, n, width: h)
            priorIn.forward(parameters: p, input: first.readOnly, rows: n, output: ph)
            relu(ph)
            let logP = w.priorLogProbs.rows(0, n, width: k)
            priorOut.forward(parameters: p, input: ph.readOnly, rows: n, output: logP)
            for i in 0..<n { logSoftmaxInPlace(logP.rows(i, 1, width: k)) }
            // Terms, and how often the most likely skill's decoder picks the pair taken.
            let logK = Float.log(Float(k))
            for i in 0..<n {
                var recon: Float = 0, kl: Float = 0, ce: Float = 0, best = 0
                for z in 0..<k {
                    let lq = logQ[i * k + z], q = Float.exp(lq)
                    recon -= q * sums[i * k + z]
                    kl += q * lq
                    ce -= q * logP[i * k + z]
                    if lq > logQ[i * k + best] { best = z }
                }
                terms.reconstruction += Double(recon)
                terms.kl += Double(kl + logK)
                terms.priorCrossEntropy += Double(ce)
                terms.priorKL += Double(ce + kl)
                for t in 0..<hz {
                    let r = i * hz + t
                    let row = w.outputs.readOnly.rows(best * rows + r, 1, width: a)
                    let task = Categorical.argmax(UnsafeBufferPointer(rebasing: row[0..<nt])) == Int(batch.tasks[r])
                    let play = Categorical.argmax(UnsafeBufferPointer(rebasing: row[nt..<a])) == Int(batch.plays[r])
                    if task { terms.matchedTask += 1 }
                    if task && play { terms.matched += 1 }
                }
            }
            terms.steps = rows
            let scale = 1 / Double(n)
            terms.reconstruction *= scale
            terms.kl *= scale
            terms.priorCrossEntropy *= scale
            terms.priorKL *= scale
            if let gradients { backward(batch, p: p, w: w, gradients: gradients) }
            return terms
        }
    }

    /// Adds the mean loss's gradient into `g`, from what `evaluate` left in `w`.
    func backward(_ batch: Segments, p: UnsafeBufferPointer<Float>, w: Workspace, gradients g: UnsafeMutableBufferPointer<Float>) {
        let (n, hz, h, k, a, o) = (batch.count, shape.horizon, shape.hidden, shape.skills, shape.actionWidth, shape.observationSize)
        let (nt, rows, beta) = (shape.taskActions, batch.count * shape.horizon, shape.beta)
        let s = 1 / Float(n)
        let logQ = w.logPosterior.readOnly.rows(0, n, width: k), sums = w.stepSums.readOnly.rows(0, n, width: k)
        // Encoder: dL/dq_z = −L_z + β(log q_z + 1), through the softmax.
        let gl = w.gradLogits.rows(0, n, width: k)
        for i in 0..<n {
            var mean: Float = 0
            for z in 0..<k {
                let gq = s * (-sums[i * k + z] + beta * (logQ[i * k + z] + 1))
                gl[i * k + z] = gq
                mean += Float.exp(logQ[i * k + z]) * gq
            }
            for z in 0..<k { gl[i * k + z] = Float.exp(logQ[i * k + z]) * (gl[i * k + z] - mean) }
        }
        let eh = w.encoderHidden.readOnly.rows(0, n, width: h), geh = w.gradEncoderHidden.rows(0, n, width: h)
        geh.update(repeating: 0)
        encoderOut.backward(parameters: p, input: eh, gradOutput: gl.readOnly, rows: n, gradients: g, gradInput: geh)
        reluBackward(geh, output: eh)
        encoderIn.backward(parameters: p, input: w.onehots.readOnly.rows(0, n, width: hz * a), gradOutput: geh.readOnly, rows: n,
                           gradients: g, gradInput: nil)
        // Decoder: each skill's log-likelihood weighted by q(z|x).
        let gBase = w.gradBase.rows(0, rows, width: h)
        gBase.update(repeating: 0)
        let gOut = w.gradOutputs.rows(0, rows, width: a), gHidden = w.gradHidden.rows(0, rows, width: h)
        let gEmbedding = skillEmbedding.table.values(in: g)
        for z in 0..<k {
            let out = w.outputs.readOnly.rows(z * rows, rows, width: a)
            for r in 0..<rows {
                let weight = s * Float.exp(logQ[(r / hz) * k + z])
                let (task, play) = (Int(batch.tasks[r]), nt + Int(batch.plays[r]))
                for j in 0..<a { gOut[r * a + j] = weight * (Float.exp(out[r * a + j]) - (j == task || j == play ? 1 : 0)) }
            }
            let hidden = w.decoderHidden.readOnly.rows(z * rows, rows, width: h)
            gHidden.update(repeating: 0)
            decoderOut.backward(parameters: p, input: hidden, gradOutput: gOut.readOnly, rows: rows, gradients: g, gradInput: gHidden)
            reluBackward(gHidden, output: hidden)
            for r in 0..<rows {
                for j in 0..<h {
                    gBase[r * h + j] += gHidden[r * h + j]
                    gEmbedding[z * h + j] += gHidden[r * h + j]
                }
            }
        }
        decoderIn.backward(parameters: p, input: batch.observations.rows(0, rows, width: o), gradOutput: gBase.readOnly, rows: rows,
                           gradients: g, gradInput: nil)
        // Prior: cross-entropy against the posterior held fixed.
        let gp = w.gradPrior.rows(0, n, width: k), logP = w.priorLogProbs.readOnly.rows(0, n, width: k)
        for i in 0..<(n * k) { gp[i] = s * (Float.exp(logP[i]) - Float.exp(logQ[i])) }
        let ph = w.priorHidden.readOnly.rows(0, n, width: h), gph = w.gradPriorHidden.rows(0, n, width: h)
        gph.update(repeating: 0)
        priorOut.backward(parameters: p, input: ph, gradOutput: gp.readOnly, rows: n, gradients: g, gradInput: gph)
        reluBackward(gph, output: ph)
        priorIn.backward(parameters: p, input: w.firstObservations.readOnly.rows(0, n, width: o), gradOutput: gph.readOnly, rows: n,
                         gradients: g, gradInput: nil)
    }

    /// Floats of scratch `act`, `prior` and `posterior` need.
    public var scratchSize: Int { shape.hidden + max(shape.actionWidth, shape.horizon * shape.actionWidth) }

    /// The decoder of skill `z` at `observation`: writes log π(task|s, z) then log π(play|s, z) into `logProbs`
    /// (`actionWidth` floats). O(observation · hidden), no allocation.
    public func decode(observation: UnsafeBufferPointer<Float>, skill z: Int, logProbs: UnsafeMutableBufferPointer<Float>,
                       scratch: UnsafeMutableBufferPointer<Float>) {
        let (h, a, nt) = (shape.hidden, shape.actionWidth, shape.taskActions)
        precondition(z >= 0 && z < shape.skills, "SkillVAE: skill \(z) outside 0..<\(shape.skills)")
        parameters.withUnsafeBufferPointer { p in
            let hidden = UnsafeMutableBufferPointer(rebasing: scratch[0..<h])
            decoderIn.forward(parameters: p, input: observation, rows: 1, output: hidden)
            let embedding = skillEmbedding.table.values(in: p)
            for j in 0..<h { hidden[j] = max(0, hidden[j] + embedding[z * h + j]) }
            let out = UnsafeMutableBufferPointer(rebasing: logProbs[0..<a])
            decoderOut.forward(parameters: p, input: hidden.readOnly, rows: 1, output: out)
            logSoftmaxInPlace(UnsafeMutableBufferPointer(rebasing: out[0..<nt]))
            logSoftmaxInPlace(UnsafeMutableBufferPointer(rebasing: out[nt..<a]))
        }
    }

    /// Draws skill `z`'s action pair at `observation` from its decoder (`logProbs`: `actionWidth` floats of scratch).
    public func act(observation: UnsafeBufferPointer<Float>, skill z: Int, logProbs: UnsafeMutableBufferPointer<Float>,
                    scratch: UnsafeMutableBufferPointer<Float>, rng: inout SplitMix64) -> (task: Int32, play: Int32) {
        decode(observation: observation, skill: z, logProbs: logProbs, scratch: scratch)
        let nt = shape.taskActions
        let task = Categorical.sample(logProbs: UnsafeBufferPointer(rebasing: logProbs[0..<nt]), rng: &rng)
        let play = Categorical.sample(logProbs: UnsafeBufferPointer(rebasing: logProbs[nt..<shape.actionWidth]), rng: &rng)
        return (Int32(task), Int32(play))
    }

    /// log p(·|s) of the skill prior at `observation` into `logProbs` (`skills` floats). O(observation · hidden).
    public func prior(observation: UnsafeBufferPointer<Float>, logProbs: UnsafeMutableBufferPointer<Float>,
                      scratch: UnsafeMutableBufferPointer<Float>) {
        let h = shape.hidden
        parameters.withUnsafeBufferPointer { p in
            let hidden = UnsafeMutableBufferPointer(rebasing: scratch[0..<h])
            priorIn.forward(parameters: p, input: observation, rows: 1, output: hidden)
            relu(hidden)
            let out = UnsafeMutableBufferPointer(rebasing: logProbs[0..<shape.skills])
            priorOut.forward(parameters: p, input: hidden.readOnly, rows: 1, output: out)
            logSoftmaxInPlace(out)
        }
    }

    func relu(_ x: UnsafeMutableBufferPointer<Float>) { for i in 0..<x.count { x[i] = max(0, x[i]) } }

    /// Zeroes the gradient where the ReLU's output was 0.
    func reluBackward(_ g: UnsafeMutableBufferPointer<Float>, output: UnsafeBufferPointer<Float>) {
        for i in 0..<g.count where output[i] <= 0 { g[i] = 0 }
    }

    func logSoftmaxInPlace(_ x: UnsafeMutableBufferPointer<Float>) {
        Categorical.logSoftmax(UnsafeBufferPointer(x), into: x)
    }
}

extension SkillVAE: Codable {
    enum CodingKeys: String, CodingKey { case shape, parameters }

    /// A model saved by `encode(to:)`; refused when its parameters do not fit its shape.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let shape = try c.decode(Shape.self, forKey: .shape)
        guard shape.horizon >= 1, shape.skills >= 2, shape.hidden >= 1, shape.observationSize >= 1, shape.taskActions >= 1, shape.playActions >= 1 else {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath, debugDescription: "a skill model needs horizon ≥ 1, skills ≥ 2 and positive sizes"))
        }
        let parameters = try c.decode(ContiguousArray<Float>.self, forKey: .parameters)
        guard let model = SkillVAE(shape: shape, parameters: parameters) else {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath, debugDescription: "the skill model's shape needs other than \(parameters.count) parameters"))
        }
        self = model
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(shape, forKey: .shape)
        try c.encode(parameters, forKey: .parameters)
    }
}
