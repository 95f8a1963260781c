import NeuralCore

/// Random tabular MDPs as in RL² (Duan et al. 2016, §4.2): `states` states, `actions` actions, transition
/// rows ~ Dirichlet(1), mean rewards ~ N(1, 1), observed reward = mean + N(0, 1), episodes of `horizon`
/// steps, `episodesPerTrial` episodes per MDP.
///
/// Every episode starts in state 0. The observation is the one-hot current state. No play half, no fun.
public struct TabularMDPFamily: MetaEnvironment, Sendable {
    public let batchSize: Int
    public let states: Int
    public let actions: Int
    public let horizon: Int
    public let episodesPerTrial: Int
    public var observationSize: Int { states }
    public var taskActionCount: Int { actions }
    public var playActionCount: Int { 1 }
    public var families: [FamilyID] {
        [FamilyID(name: "tabular-mdp", fingerprint: "\(states)-states-\(actions)-actions-\(horizon)x\(episodesPerTrial)")]
    }
    public func family(ofRow row: Int) -> Int { 0 }
    public var observationEncoding: ObservationEncoding { ObservationEncoding(name: "one-hot-state", version: 1, size: states) }

    /// Cumulative transition probabilities, `batch × states × actions × states`.
    var transitionCDF: ContiguousArray<Float>
    /// Mean rewards, `batch × states × actions`.
    public private(set) var meanRewards: ContiguousArray<Float>
    var state: ContiguousArray<Int32>
    var stepInEpisode: ContiguousArray<Int32>
    var episode: ContiguousArray<Int32>
    var generators: ContiguousArray<SplitMix64>

    public init(batchSize: Int, states: Int = 10, actions: Int = 5, horizon: Int = 10, episodesPerTrial: Int = 10) {
        precondition(batchSize > 0 && states > 0 && actions > 0 && horizon > 0 && episodesPerTrial > 0,
                     "TabularMDPFamily needs positive sizes")
        self.batchSize = batchSize
        self.states = states
        self.actions = actions
        self.horizon = horizon
        self.episodesPerTrial = episodesPerTrial
        transitionCDF = ContiguousArray(repeating: 0, count: batchSize * states * actions * states)
        meanRewards = ContiguousArray(repeating: 0, count: batchSize * states * actions)
        state = ContiguousArray(repeating: 0, count: batchSize)
        stepInEpisode = state
        episode = state
        generators = environmentGenerators(seed: 0, count: batchSize)
    }

    /// Transition probability P(next | state, action) of environment `e`'s current MDP.
    public func transitionProbability(environment e: Int, state s: Int, action a: Int, next: Int) -> Float {
        let base = ((e * states + s) * actions + a) * states
        return transitionCDF[base + next] - (next == 0 ? 0 : transitionCDF[base + next - 1])
    }

    mutating func drawMDP(_ e: Int) {
        for s in 0..<states {
            for a in 0..<actions {
                let base = ((e * states + s) * actions + a) * states
                var total = 0.0
                for n in 0..<states {
                    let g = generators[e].nextGamma(shape: 1)
                    total += g
                    transitionCDF[base + n] = Float(total)
                }
                for n in 0..<states { transitionCDF[base + n] = Float(Double(transitionCDF[base + n]) / total) }
                transitionCDF[base + states - 1] = 1
                meanRewards[(e * states + s) * actions + a] = Float(1 + generators[e].nextNormal())
            }
        }
        episode[e] = 0
        startEpisode(e)
    }

    mutating func startEpisode(_ e: Int) {
        state[e] = 0
        stepInEpisode[e] = 0
    }

    func writeObservation(_ e: Int, _ out: inout MetaStep) {
        for s in 0..<states { out.observations[e * states + s] = 0 }
        out.observations[e * states + Int(state[e])] = 1
    }

    public mutating func reset(seed: UInt64, into out: inout MetaStep) {
        generators = environmentGenerators(seed: seed, count: batchSize)
        out.clearTransition()
        for e in 0..<batchSize {
            drawMDP(e)
            writeObservation(e, &out)
        }
    }

    public func split(sizes: [Int]) -> [TabularMDPFamily] {
        let cdfParts = splitRows(transitionCDF, sizes: sizes, width: states * actions * states)
        let rewardParts = splitRows(meanRewards, sizes: sizes, width: states * actions)
        let stateParts = splitRows(state, sizes: sizes), stepParts = splitRows(stepInEpisode, sizes: sizes)
        let episodeParts = splitRows(episode, sizes: sizes), generatorParts = splitRows(generators, sizes: sizes)
        return sizes.indices.map { i in
            var part = TabularMDPFamily(batchSize: sizes[i], states: states, actions: actions, horizon: horizon,
                                        episodesPerTrial: episodesPerTrial)
            part.transitionCDF = cdfParts[i]
            part.meanRewards = rewardParts[i]
            part.state = stateParts[i]
            part.stepInEpisode = stepParts[i]
            part.episode = episodeParts[i]
            part.generators = generatorParts[i]
            return part
        }
    }

    public init(joining parts: [TabularMDPFamily]) {
        let first = parts[0]
        self.init(batchSize: parts.reduce(0) { $0 + $1.batchSize }, states: first.states, actions: first.actions,
                  horizon: first.horizon, episodesPerTrial: first.episodesPerTrial)
        transitionCDF = ContiguousArray(parts.map(\.transitionCDF).joined())
        meanRewards = ContiguousArray(parts.map(\.meanRewards).joined())
        state = ContiguousArray(parts.map(\.state).joined())
        stepInEpisode = ContiguousArray(parts.map(\.stepInEpisode).joined())
        episode = ContiguousArray(parts.map(\.episode).joined())
        generators = ContiguousArray(parts.map(\.generators).joined())
    }

    public mutating func step(task: UnsafeBufferPointer<Int32>, play: UnsafeBufferPointer<Int32>, into out: inout MetaStep) {
        for e in 0..<batchSize {
            let a = min(max(Int(task[e]), 0), actions - 1)
            let s = Int(state[e])
            out.taskReward[e] = meanRewards[(e * states + s) * actions + a] + Float(generators[e].nextNormal())
            out.funReward[e] = 0
            let u = generators[e].nextUnitFloat()
            let base = ((e * states + s) * actions + a) * states
            var next = states - 1
            for n in 0..<states where u < transitionCDF[base + n] { next = n; break }
            state[e] = Int32(next)
            stepInEpisode[e] += 1
            let episodeOver = Int(stepInEpisode[e]) >= horizon
            out.episodeDone[e] = episodeOver
            out.trialDone[e] = false
            if episodeOver {
                episode[e] += 1
                if Int(episode[e]) >= episodesPerTrial {
                    out.trialDone[e] = true
                    drawMDP(e)
                } else {
                    startEpisode(e)
                }
            }
            writeObservation(e, &out)
        }
    }
}
