import GridWorld
import MetaRL
import NeuralCore

/// Fits SiMPL's skill model to tapes of play: minibatches of H-step segments drawn from the training episodes, Adam
/// on the VAE's loss (`SkillVAE`), and the held-out episodes scored at the end. Deterministic from the seed.
public final class PlaySkillLearning {
    public struct Plan: Sendable, Equatable {
        public var horizon = 10
        public var skills = 8
        public var hidden = 64
        public var beta: Float = 1
        public var steps = 3_000
        public var batch = 32
        public var learningRate: Float = 1e-3
        public var seed: UInt64 = 1
        /// The share of episodes held out (at least one).
        public var heldOutShare = 0.1
        public var tool = ""
        public init() {}
    }

    public let plan: Plan
    public let data: PlayTapes
    public private(set) var model: SkillVAE
    var optimizer: Adam
    let workspace: SkillVAE.Workspace
    /// Window starts of the training and the held-out episodes.
    public let training: [Int]
    public let heldOut: [Int]
    var draws: SplitMix64
    public private(set) var stepsTaken = 0
    // One batch, gathered: observations, tasks, plays; and the gradient.
    var observations: ContiguousArray<Float>
    var tasks: ContiguousArray<Int32>
    var plays: ContiguousArray<Int32>
    var gradients: ContiguousArray<Float>
    var starts: [Int]

    /// Splits `data`'s episodes into training and held out and draws the initial model; refuses, in one line, tapes
    /// too short for two episodes of at least H steps.
    public init(data: PlayTapes, plan: Plan) throws(PlaySkillsError) {
        self.plan = plan
        self.data = data
        var rng = SplitMix64(seed: plan.seed)
        let windows = data.windows(horizon: plan.horizon)
        let episodes = Array(Set(windows.map(\.episode))).sorted()
        guard episodes.count >= 2 else {
            throw PlaySkillsError("the tapes hold \(episodes.count) episode(s) of at least \(plan.horizon) steps; skills need two or more (one is held out): record more play or lower --horizon")
        }
        var held = Set(episodes.filter { _ in rng.nextUnitDouble() < plan.heldOutShare })
        if held.isEmpty { held.insert(episodes[rng.below(episodes.count)]) }
        if held.count == episodes.count { held.remove(episodes[0]) }
        training = windows.filter { !held.contains($0.episode) }.map(\.start)
        heldOut = windows.filter { held.contains($0.episode) }.map(\.start)
        let shape = SkillVAE.Shape(observationSize: data.observationSize, taskActions: TaskAction.count, playActions: PlayAction.count,
                                   horizon: plan.horizon, skills: plan.skills, hidden: plan.hidden, beta: plan.beta)
        model = SkillVAE(shape: shape, rng: &rng)
        optimizer = Adam(parameterCount: model.parameterCount, learningRate: plan.learningRate)
        workspace = SkillVAE.Workspace(shape: shape, segments: plan.batch)
        draws = rng.split()
        observations = ContiguousArray(repeating: 0, count: plan.batch * plan.horizon * data.observationSize)
        tasks = ContiguousArray(repeating: 0, count: plan.batch * plan.horizon)
        plays = tasks
        gradients = ContiguousArray(repeating: 0, count: model.parameterCount)
        starts = Array(repeating: 0, count: plan.batch)
    }

    /// Copies the segments starting at `starts` into the batch buffers.
    func gather(_ starts: ArraySlice<Int>) {
        let (h, o) = (plan.horizon, data.observationSize)
        for (i, s) in starts.enumerated() {
            for t in 0..<h {
                tasks[i * h + t] = data.tasks[s + t]
                plays[i * h + t] = data.plays[s + t]
            }
            observations.withUnsafeMutableBufferPointer { dst in
                data.observations.withUnsafeBufferPointer { src in
                    _ = dst.rows(i * h, h, width: o).update(fromContentsOf: src.rows(s, h, width: o))
                }
            }
        }
    }

    func evaluate(count: Int, gradients g: UnsafeMutableBufferPointer<Float>?) -> SkillVAE.Terms {
        observations.withUnsafeBufferPointer { o in
            tasks.withUnsafeBufferPointer { t in
                plays.withUnsafeBufferPointer { p in
                    model.evaluate(.init(count: count, observations: o, tasks: t, plays: p), workspace: workspace, gradients: g)
                }
            }
        }
    }

    /// One Adam step on a minibatch of training segments drawn with replacement; returns its terms.
    @discardableResult
    public func step() -> SkillVAE.Terms {
        for i in starts.indices { starts[i] = training[draws.below(training.count)] }
        gather(starts[...])
        gradients.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        let terms = gradients.withUnsafeMutableBufferPointer { evaluate(count: plan.batch, gradients: $0) }
        GradientClipping.clipGlobalNorm(&gradients, maxNorm: 10)
        optimizer.update(parameters: &model.parameters, gradients: gradients)
        stepsTaken += 1
        return terms
    }

    /// The terms over `starts` (every held-out segment by default), in batches, weighted by segments.
    public func score(_ starts: [Int]? = nil) -> SkillVAE.Terms {
        let starts = starts ?? heldOut
        var total = SkillVAE.Terms()
        var first = 0
        while first < starts.count {
            let chunk = starts[first..<min(starts.count, first + plan.batch)]
            gather(chunk)
            let t = evaluate(count: chunk.count, gradients: nil)
            let w = Double(chunk.count)
            total.reconstruction += t.reconstruction * w
            total.kl += t.kl * w
            total.priorCrossEntropy += t.priorCrossEntropy * w
            total.priorKL += t.priorKL * w
            total.matched += t.matched
            total.matchedTask += t.matchedTask
            total.steps += t.steps
            first += chunk.count
        }
        let n = Double(max(1, starts.count))
        total.reconstruction /= n
        total.kl /= n
        total.priorCrossEntropy /= n
        total.priorKL /= n
        return total
    }

    /// Trains `plan.steps` steps (`progress` sees each and returns false to stop), then scores the held-out episodes.
    public func learn(progress: (Int, SkillVAE.Terms) -> Bool = { _, _ in true }) -> PlaySkills {
        while stepsTaken < plan.steps {
            let t = step()
            if !progress(stepsTaken, t) { break }
        }
        return skills
    }

    /// The skills as they are now, with their held-out figures.
    public var skills: PlaySkills {
        PlaySkills(model: model, observation: data.encoding, tapes: data.sources, scenarios: data.scenarios, seed: plan.seed,
                   steps: stepsTaken, batch: plan.batch, trainingSegments: training.count, heldOutSegments: heldOut.count,
                   heldOut: PlaySkills.HeldOut(score()), tool: plan.tool)
    }
}
