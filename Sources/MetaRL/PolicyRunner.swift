import NeuralCore
import RealModule

/// Runs a trained `RecurrentPolicy` forward over a batch without gradients, keeping each environment's memory.
///
/// This is what an evaluator, a live view or a benchmark uses: after each `act`, the probabilities of both
/// heads and the value estimate of every environment are available to show.
public struct PolicyRunner: Sendable {
    public let policy: RecurrentPolicy
    public let batchSize: Int
    /// Hidden state of every environment, `batch × hidden`.
    public private(set) var hidden: ContiguousArray<Float>
    public private(set) var previous: [PreviousTransition]
    /// Task-head probabilities from the last `act`, `batch × taskActionCount`.
    public private(set) var taskProbabilities: ContiguousArray<Float>
    /// Play-head probabilities from the last `act`, `batch × playActionCount`.
    public private(set) var playProbabilities: ContiguousArray<Float>
    /// Value estimates from the last `act`, one per environment.
    public private(set) var values: ContiguousArray<Float>
    /// Actions chosen by the last `act`.
    public private(set) var taskActions: ContiguousArray<Int32>
    public private(set) var playActions: ContiguousArray<Int32>
    var inputs: ContiguousArray<Float>
    var nextHidden: ContiguousArray<Float>
    var outputs: ContiguousArray<Float>
    var trunk: ContiguousArray<Float>
    var scratch: ContiguousArray<Float>
    var logProbs: ContiguousArray<Float>

    public init(policy: RecurrentPolicy, batchSize: Int) {
        self.policy = policy
        self.batchSize = batchSize
        let c = policy.configuration
        hidden = ContiguousArray(repeating: 0, count: batchSize * c.hiddenSize)
        nextHidden = hidden
        previous = Array(repeating: PreviousTransition(), count: batchSize)
        taskProbabilities = ContiguousArray(repeating: 0, count: batchSize * c.taskActionCount)
        playProbabilities = ContiguousArray(repeating: 0, count: batchSize * c.playActionCount)
        values = ContiguousArray(repeating: 0, count: batchSize)
        taskActions = ContiguousArray(repeating: 0, count: batchSize)
        playActions = taskActions
        inputs = ContiguousArray(repeating: 0, count: batchSize * c.inputSize)
        outputs = ContiguousArray(repeating: 0, count: batchSize * policy.outputSize)
        trunk = ContiguousArray(repeating: 0, count: max(1, batchSize * policy.trunkSize))
        scratch = ContiguousArray(repeating: 0, count: batchSize * policy.gru.scratchSizePerRow)
        logProbs = ContiguousArray(repeating: 0, count: c.taskActionCount + c.playActionCount)
    }

    /// Forgets every environment's memory (start of new trials).
    public mutating func resetAll() {
        for i in 0..<hidden.count { hidden[i] = 0 }
        for e in 0..<batchSize { previous[e] = PreviousTransition() }
    }

    /// Chooses actions for `step.observations`, sampling both heads with `rng`. Complexity O(batch·params).
    public mutating func act(on step: MetaStep, parameters: ContiguousArray<Float>, rng: inout SplitMix64) {
        let c = policy.configuration
        let (inSize, os) = (c.inputSize, policy.outputSize)
        let (nt, np) = (c.taskActionCount, c.playActionCount)
        step.observations.withUnsafeBufferPointer { obs in
            inputs.withUnsafeMutableBufferPointer { x in
                for e in 0..<batchSize {
                    policy.encodeInput(observation: obs.rows(e, 1, width: c.observationSize), previous: previous[e],
                                       into: x.rows(e, 1, width: inSize))
                }
            }
        }
        parameters.withUnsafeBufferPointer { p in
            inputs.withUnsafeBufferPointer { x in hidden.withUnsafeBufferPointer { h in
                nextHidden.withUnsafeMutableBufferPointer { hn in scratch.withUnsafeMutableBufferPointer { s in
                    outputs.withUnsafeMutableBufferPointer { o in trunk.withUnsafeMutableBufferPointer { a in
                        policy.gru.forward(parameters: p, input: x, hidden: h, rows: batchSize, output: hn, cache: nil, scratch: s)
                        policy.readOut(parameters: p, hidden: hn.readOnly, rows: batchSize, trunkActivations: a, outputs: o)
                    } }
                } }
            } }
        }
        swap(&hidden, &nextHidden)
        outputs.withUnsafeBufferPointer { o in logProbs.withUnsafeMutableBufferPointer { lp in
            for e in 0..<batchSize {
                let row = o.rows(e, 1, width: os)
                let a = policy.head.sample(row: row, logProbs: lp, playAllowed: c.allowedPlay(afforded: step.playAfforded[e]), rng: &rng)
                taskActions[e] = a.task
                playActions[e] = a.play
                for j in 0..<nt { taskProbabilities[e * nt + j] = Float.exp(lp[j]) }
                for j in 0..<np { playProbabilities[e * np + j] = Float.exp(lp[nt + j]) }
                values[e] = row[nt + np]
            }
        } }
    }

    /// Records what the environment answered to the last `act`; clears memory where its span (the trial, or the
    /// episode) ended.
    public mutating func observe(_ step: MetaStep) {
        let hs = policy.hiddenSize
        let episodeMemory = policy.configuration.memory == .episode
        for e in 0..<batchSize {
            if step.trialDone[e] || (episodeMemory && step.episodeDone[e]) {
                for j in 0..<hs { hidden[e * hs + j] = 0 }
                previous[e] = PreviousTransition()
            } else {
                previous[e] = PreviousTransition()
                previous[e].task = taskActions[e]
                previous[e].play = playActions[e]
                previous[e].taskReward = step.taskReward[e]
                previous[e].funReward = step.funReward[e]
                previous[e].episodeDone = step.episodeDone[e]
            }
        }
    }
}
