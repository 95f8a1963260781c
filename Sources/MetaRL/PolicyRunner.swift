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
    /// The episodic LSTM's cell state, `batch × hidden` (empty for the GRU).
    public private(set) var cell: ContiguousArray<Float>
    /// Cosine similarity between each environment's trial key and the key of the memory recalled for the trial
    /// (0 when the dictionary was empty, and always for the GRU).
    public private(set) var recallSimilarity: ContiguousArray<Float>
    /// How far each environment's reinstatement gate was open at the last `act`: σ(r) averaged over the units
    /// (0 for the GRU).
    public private(set) var reinstatement: ContiguousArray<Float>
    /// Each environment's recall dictionary (nil for the GRU).
    public private(set) var memory: RecallMemory?
    var recalled: ContiguousArray<Float>
    var trialKeys: ContiguousArray<Float>
    /// The environment starts a trial at its next `act`, which recalls for it first.
    var needsRecall: [Bool]
    var nextCell: ContiguousArray<Float>
    var cache: ContiguousArray<Float>
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
        scratch = ContiguousArray(repeating: 0, count: batchSize * policy.scratchSizePerRow)
        logProbs = ContiguousArray(repeating: 0, count: c.taskActionCount + c.playActionCount)
        let recalls = policy.recalls
        cell = recalls ? hidden : []
        nextCell = cell
        recalled = cell
        recallSimilarity = ContiguousArray(repeating: 0, count: batchSize)
        reinstatement = recallSimilarity
        memory = recalls ? RecallMemory(rows: batchSize, keySize: c.observationSize, cellSize: c.hiddenSize, capacity: c.recallCapacity) : nil
        trialKeys = ContiguousArray(repeating: 0, count: recalls ? batchSize * c.observationSize : 0)
        needsRecall = Array(repeating: recalls, count: batchSize)
        cache = ContiguousArray(repeating: 0, count: recalls ? batchSize * policy.cacheSizePerRow : 0)
    }

    /// Forgets every environment's memory (start of new trials), its recall dictionary included.
    public mutating func resetAll() {
        for i in 0..<hidden.count { hidden[i] = 0 }
        for i in 0..<cell.count { cell[i] = 0 }
        for e in 0..<batchSize {
            previous[e] = PreviousTransition()
            memory?.clear(row: e)
            needsRecall[e] = memory != nil
        }
    }

    /// Ends environment `e`'s trial: the episodic LSTM stores the trial's last cell state under the trial's key, or
    /// forgets the pool that `poolDone` says ended, and recalls for the next trial at the next `act`; the memory
    /// of the trial is cleared.
    public mutating func endTrial(environment e: Int, poolDone: Bool) {
        let hs = policy.hiddenSize, os = policy.configuration.observationSize
        if memory != nil {
            if poolDone {
                memory!.clear(row: e)
            } else {
                trialKeys.withUnsafeBufferPointer { k in cell.withUnsafeBufferPointer { c in
                    memory!.write(row: e, key: k.rows(e, 1, width: os), cell: c.rows(e, 1, width: hs))
                } }
            }
            needsRecall[e] = true
            for j in 0..<hs { cell[e * hs + j] = 0 }
        }
        for j in 0..<hs { hidden[e * hs + j] = 0 }
        previous[e] = PreviousTransition()
    }

    /// Keys environment `e`'s new trial by `observation` and reads back the nearest stored cell state.
    mutating func recall(environment e: Int, observation: UnsafeBufferPointer<Float>) {
        guard let memory else { return }
        let (h, os) = (policy.hiddenSize, observation.count)
        for i in 0..<os { trialKeys[e * os + i] = observation[i] }
        recallSimilarity[e] = trialKeys.withUnsafeBufferPointer { k in recalled.withUnsafeMutableBufferPointer {
            memory.recall(row: e, key: k.rows(e, 1, width: os), into: $0.rows(e, 1, width: h))
        } }
        needsRecall[e] = false
    }

    /// Chooses actions for `step.observations`, sampling both heads with `rng`. Complexity O(batch·params).
    public mutating func act(on step: MetaStep, parameters: ContiguousArray<Float>, rng: inout SplitMix64) {
        let c = policy.configuration
        let (inSize, os) = (c.inputSize, policy.outputSize)
        let (nt, np) = (c.taskActionCount, c.playActionCount)
        step.observations.withUnsafeBufferPointer { obs in
            for e in 0..<batchSize where needsRecall[e] { recall(environment: e, observation: obs.rows(e, 1, width: c.observationSize)) }
            inputs.withUnsafeMutableBufferPointer { x in
                for e in 0..<batchSize {
                    policy.encodeInput(observation: obs.rows(e, 1, width: c.observationSize), previous: previous[e],
                                       similarity: recallSimilarity[e], into: x.rows(e, 1, width: inSize))
                }
            }
        }
        parameters.withUnsafeBufferPointer { p in
            inputs.withUnsafeBufferPointer { x in hidden.withUnsafeBufferPointer { h in
                nextHidden.withUnsafeMutableBufferPointer { hn in scratch.withUnsafeMutableBufferPointer { s in
                    outputs.withUnsafeMutableBufferPointer { o in trunk.withUnsafeMutableBufferPointer { a in
                        if let lstm = policy.lstm {
                            cell.withUnsafeBufferPointer { cp in recalled.withUnsafeBufferPointer { ep in
                                nextCell.withUnsafeMutableBufferPointer { cn in cache.withUnsafeMutableBufferPointer { k in
                                    lstm.forward(parameters: p, input: x, hidden: h, cell: cp, recalled: ep, rows: batchSize,
                                                 outputHidden: hn, outputCell: cn, cache: k, scratch: s)
                                } }
                            } }
                        } else {
                            policy.gru!.forward(parameters: p, input: x, hidden: h, rows: batchSize, output: hn, cache: nil, scratch: s)
                        }
                        policy.readOut(parameters: p, hidden: hn.readOnly, rows: batchSize, trunkActivations: a, outputs: o)
                    } }
                } }
            } }
        }
        swap(&hidden, &nextHidden)
        if let lstm = policy.lstm {
            swap(&cell, &nextCell)
            let (hs, k, r) = (policy.hiddenSize, lstm.cacheSizePerRow, lstm.cachedReinstatementOffset)
            for e in 0..<batchSize {
                var open: Float = 0
                for j in 0..<hs { open += cache[e * k + r + j] }
                reinstatement[e] = open / Float(hs)
            }
        }
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
    /// episode) ended. Where a trial ended, the episodic LSTM stores its cell under the trial's key (or forgets a
    /// pool that ended) and recalls for the next trial at the next `act`.
    public mutating func observe(_ step: MetaStep) {
        let hs = policy.hiddenSize
        let episodeMemory = policy.configuration.memory == .episode
        for e in 0..<batchSize {
            if step.trialDone[e] {
                endTrial(environment: e, poolDone: step.poolDone[e])
            } else if episodeMemory && step.episodeDone[e] {
                for j in 0..<hs { hidden[e * hs + j] = 0 }
                for j in 0..<cell.count / batchSize { cell[e * hs + j] = 0 }
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
