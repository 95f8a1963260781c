import NeuralCore

/// The multi-armed bandit family of RL²: `levers` arms with Bernoulli payouts whose probabilities are drawn
/// ~U[0, 1] per trial; a trial is `pulls` pulls.
///
/// Each pull is one 1-step episode (so `episodeDone` is set on every step and `trialDone` on every
/// `pulls`-th), matching the paper's setting where the agent sees a done flag after each pull. The
/// observation is a single constant 1: everything the agent learns comes through its previous action and
/// reward inputs. There is no play half (`playActionCount == 1`) and no fun reward.
public struct LeverBandit: MetaEnvironment, Sendable {
    public let batchSize: Int
    public let levers: Int
    public let pulls: Int
    public var observationSize: Int { 1 }
    public var taskActionCount: Int { levers }
    public var playActionCount: Int { 1 }
    public func family(ofRow row: Int) -> Int { 0 }
    public var families: [FamilyID] { [FamilyID(name: "lever-bandit", fingerprint: "\(levers)-levers-\(pulls)-pulls")] }
    public var observationEncoding: ObservationEncoding { ObservationEncoding(name: "constant", version: 1, size: 1) }

    /// Payout probability of every lever of every environment (`batchSize × levers`).
    public private(set) var payouts: ContiguousArray<Float>
    /// Pulls taken so far in each environment's current trial.
    public private(set) var pullsTaken: ContiguousArray<Int32>
    var generators: ContiguousArray<SplitMix64>

    public init(batchSize: Int, levers: Int = 5, pulls: Int = 10) {
        precondition(batchSize > 0 && levers > 0 && pulls > 0, "LeverBandit needs positive sizes")
        self.batchSize = batchSize
        self.levers = levers
        self.pulls = pulls
        payouts = ContiguousArray(repeating: 0, count: batchSize * levers)
        pullsTaken = ContiguousArray(repeating: 0, count: batchSize)
        generators = environmentGenerators(seed: 0, count: batchSize)
    }

    mutating func drawTrial(_ e: Int) {
        for l in 0..<levers { payouts[e * levers + l] = generators[e].nextUnitFloat() }
        pullsTaken[e] = 0
    }

    public mutating func reset(seed: UInt64, into out: inout MetaStep) {
        generators = environmentGenerators(seed: seed, count: batchSize)
        for e in 0..<batchSize { drawTrial(e) }
        out.clearTransition()
        for i in 0..<batchSize { out.observations[i] = 1 }
    }

    public func split(sizes: [Int]) -> [LeverBandit] {
        let payoutParts = splitRows(payouts, sizes: sizes, width: levers)
        let pullParts = splitRows(pullsTaken, sizes: sizes), generatorParts = splitRows(generators, sizes: sizes)
        return sizes.indices.map { i in
            var part = LeverBandit(batchSize: sizes[i], levers: levers, pulls: pulls)
            part.payouts = payoutParts[i]
            part.pullsTaken = pullParts[i]
            part.generators = generatorParts[i]
            return part
        }
    }

    public init(joining parts: [LeverBandit]) {
        self.init(batchSize: parts.reduce(0) { $0 + $1.batchSize }, levers: parts[0].levers, pulls: parts[0].pulls)
        payouts = ContiguousArray(parts.map(\.payouts).joined())
        pullsTaken = ContiguousArray(parts.map(\.pullsTaken).joined())
        generators = ContiguousArray(parts.map(\.generators).joined())
    }

    public mutating func step(task: UnsafeBufferPointer<Int32>, play: UnsafeBufferPointer<Int32>, into out: inout MetaStep) {
        for e in 0..<batchSize {
            let lever = min(max(Int(task[e]), 0), levers - 1)
            let odds = payouts[e * levers + lever]
            out.taskReward[e] = generators[e].nextUnitFloat() < odds ? 1 : 0
            out.taskLuck[e] = out.taskReward[e] - odds
            out.funReward[e] = 0
            out.episodeDone[e] = true
            pullsTaken[e] += 1
            let trialOver = Int(pullsTaken[e]) >= pulls
            out.trialDone[e] = trialOver
            if trialOver { drawTrial(e) }
            out.observations[e] = 1
        }
    }
}
