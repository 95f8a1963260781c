import NeuralCore

/// A negligible-cost environment that replays pre-generated observations, rewards and done flags, ignoring
/// the actions: it isolates the learner's own cost, as the PyTorch peer benchmark's `SyntheticEnv` does.
///
/// Each done flag (probability `doneProbability`) ends both the episode and the trial, so the hidden state is
/// cleared there, like the peer's `h = h * (1 - done)`.
public struct SyntheticEnvironment: MetaEnvironment, Sendable {
    public private(set) var batchSize: Int
    public let observationSize: Int
    public let taskActionCount: Int
    public let playActionCount: Int
    public let poolLength: Int
    public func family(ofRow row: Int) -> Int { 0 }
    public var families: [FamilyID] { [FamilyID(name: "synthetic", fingerprint: "")] }
    public var observationEncoding: ObservationEncoding { ObservationEncoding(name: "synthetic", version: 1, size: observationSize) }
    var observationPool: ContiguousArray<Float>
    var rewardPool: ContiguousArray<Float>
    var donePool: ContiguousArray<Bool>
    var cursor = 0

    public init(batchSize: Int, observationSize: Int, taskActionCount: Int, playActionCount: Int,
                poolLength: Int = 64, doneProbability: Float = 0.01, seed: UInt64 = 0) {
        self.batchSize = batchSize
        self.observationSize = observationSize
        self.taskActionCount = taskActionCount
        self.playActionCount = playActionCount
        self.poolLength = poolLength
        var rng = SplitMix64(seed: seed)
        observationPool = ContiguousArray((0..<(poolLength * batchSize * observationSize)).map { _ in rng.nextUnitFloat() })
        rewardPool = ContiguousArray((0..<(poolLength * batchSize)).map { _ in rng.nextUnitFloat() })
        donePool = ContiguousArray((0..<(poolLength * batchSize)).map { _ in rng.nextUnitFloat() < doneProbability })
    }

    /// Each part replays its rows of the pools, in step with the others.
    public func split(sizes: [Int]) -> [SyntheticEnvironment] {
        var start = 0
        return sizes.map { size in
            defer { start += size }
            var part = self
            part.batchSize = size
            part.observationPool = poolRows(observationPool, start..<(start + size), width: observationSize)
            part.rewardPool = poolRows(rewardPool, start..<(start + size), width: 1)
            part.donePool = poolRows(donePool, start..<(start + size), width: 1)
            return part
        }
    }

    public init(joining parts: [SyntheticEnvironment]) {
        self = parts[0]
        batchSize = parts.reduce(0) { $0 + $1.batchSize }
        observationPool = []; rewardPool = []; donePool = []
        for t in 0..<poolLength {
            for p in parts {
                observationPool += p.observationPool[(t * p.batchSize * observationSize)..<((t + 1) * p.batchSize * observationSize)]
                rewardPool += p.rewardPool[(t * p.batchSize)..<((t + 1) * p.batchSize)]
                donePool += p.donePool[(t * p.batchSize)..<((t + 1) * p.batchSize)]
            }
        }
    }

    /// Environments `rows` of every pooled step (`poolLength × batchSize × width` values).
    func poolRows<Element>(_ pool: ContiguousArray<Element>, _ rows: Range<Int>, width: Int) -> ContiguousArray<Element> {
        var part = ContiguousArray<Element>()
        part.reserveCapacity(poolLength * rows.count * width)
        for t in 0..<poolLength {
            part += pool[((t * batchSize + rows.lowerBound) * width)..<((t * batchSize + rows.upperBound) * width)]
        }
        return part
    }

    mutating func emit(_ out: inout MetaStep) {
        let n = batchSize * observationSize
        observationPool.withUnsafeBufferPointer { src in out.observations.withUnsafeMutableBufferPointer { dst in
            dst.baseAddress!.update(from: src.baseAddress! + cursor * n, count: n)
        } }
    }

    public mutating func reset(seed: UInt64, into out: inout MetaStep) {
        cursor = 0
        out.clearTransition()
        emit(&out)
    }

    public mutating func step(task: UnsafeBufferPointer<Int32>, play: UnsafeBufferPointer<Int32>, into out: inout MetaStep) {
        cursor = (cursor + 1) % poolLength
        for e in 0..<batchSize {
            out.taskReward[e] = rewardPool[cursor * batchSize + e]
            out.funReward[e] = 0
            let done = donePool[cursor * batchSize + e]
            out.episodeDone[e] = done
            out.trialDone[e] = done
        }
        emit(&out)
    }
}
