import NeuralCore

/// Bandits whose contexts recur, the check of episodic recall (Ritter et al. 2018): each environment draws a pool
/// of `contexts` contexts, each a random ±1 code of `codeSize` floats with its own best lever, and plays
/// `trialsPerPool` trials whose contexts are drawn from the pool uniformly, so most come back; then it draws a
/// new pool (and says so in `MetaStep.poolDone`).
///
/// The best lever pays 1 with probability 0.9, the others with 0.1. A trial is `pulls` pulls, each a one-step
/// episode as in `LeverBandit`, and the observation is the context's code at every pull. Because codes and odds
/// are new in every pool, no weight can know a context's best lever: a mind must find it by pulling, and on a
/// context met before only a memory of that earlier trial can make the first pull right.
public struct RecurringContextBandit: MetaEnvironment, Sendable {
    public let batchSize: Int
    public let levers: Int
    public let pulls: Int
    public let contexts: Int
    public let trialsPerPool: Int
    public let codeSize: Int
    public var observationSize: Int { codeSize }
    public var taskActionCount: Int { levers }
    public var playActionCount: Int { 1 }
    public var families: [FamilyID] {
        [FamilyID(name: "recurring-context-bandit",
                  fingerprint: "\(levers)-levers-\(pulls)-pulls-\(contexts)-contexts-\(trialsPerPool)-trials-\(codeSize)-code")]
    }
    public func family(ofRow row: Int) -> Int { 0 }
    public var observationEncoding: ObservationEncoding { ObservationEncoding(name: "context-code", version: 1, size: codeSize) }

    /// Payout probability of a context's best lever and of the others.
    public static let bestPayout: Float = 0.9
    public static let otherPayout: Float = 0.1

    /// Every pool's codes (`batch × contexts × codeSize`) and best levers (`batch × contexts`).
    var codes: ContiguousArray<Float>
    var bestLevers: ContiguousArray<Int32>
    /// Which contexts of its pool each environment has met (`batch × contexts`).
    var met: ContiguousArray<Bool>
    /// Each environment's current context, and whether it was met before in this pool.
    public private(set) var context: ContiguousArray<Int32>
    public private(set) var repeated: ContiguousArray<Bool>
    /// Pulls taken in the current trial, and trials begun in the current pool.
    public private(set) var pullsTaken: ContiguousArray<Int32>
    var trialsBegun: ContiguousArray<Int32>
    var generators: ContiguousArray<SplitMix64>

    public init(batchSize: Int, levers: Int = 4, pulls: Int = 10, contexts: Int = 10, trialsPerPool: Int = 30, codeSize: Int = 16) {
        precondition(batchSize > 0 && levers > 1 && pulls > 0 && contexts > 0 && trialsPerPool > 0 && codeSize > 0,
                     "RecurringContextBandit needs positive sizes and at least two levers")
        self.batchSize = batchSize
        self.levers = levers
        self.pulls = pulls
        self.contexts = contexts
        self.trialsPerPool = trialsPerPool
        self.codeSize = codeSize
        codes = ContiguousArray(repeating: 0, count: batchSize * contexts * codeSize)
        bestLevers = ContiguousArray(repeating: 0, count: batchSize * contexts)
        met = ContiguousArray(repeating: false, count: batchSize * contexts)
        context = ContiguousArray(repeating: 0, count: batchSize)
        repeated = ContiguousArray(repeating: false, count: batchSize)
        pullsTaken = context
        trialsBegun = context
        generators = environmentGenerators(seed: 0, count: batchSize)
    }

    /// The best lever of environment `e`'s current context.
    public func bestLever(environment e: Int) -> Int { Int(bestLevers[e * contexts + Int(context[e])]) }

    mutating func drawPool(_ e: Int) {
        for i in 0..<(contexts * codeSize) { codes[e * contexts * codeSize + i] = generators[e].next() & 1 == 0 ? -1 : 1 }
        for c in 0..<contexts {
            bestLevers[e * contexts + c] = Int32(generators[e].next() % UInt64(levers))
            met[e * contexts + c] = false
        }
        trialsBegun[e] = 0
    }

    mutating func beginTrial(_ e: Int) {
        let c = Int(generators[e].next() % UInt64(contexts))
        context[e] = Int32(c)
        repeated[e] = met[e * contexts + c]
        met[e * contexts + c] = true
        pullsTaken[e] = 0
        trialsBegun[e] += 1
    }

    func writeObservation(_ e: Int, _ out: inout MetaStep) {
        let code = (e * contexts + Int(context[e])) * codeSize
        for i in 0..<codeSize { out.observations[e * codeSize + i] = codes[code + i] }
    }

    public mutating func reset(seed: UInt64, into out: inout MetaStep) {
        generators = environmentGenerators(seed: seed, count: batchSize)
        out.clearTransition()
        for e in 0..<batchSize {
            drawPool(e)
            beginTrial(e)
            writeObservation(e, &out)
        }
    }

    public func split(sizes: [Int]) -> [RecurringContextBandit] {
        let codeParts = splitRows(codes, sizes: sizes, width: contexts * codeSize)
        let bestParts = splitRows(bestLevers, sizes: sizes, width: contexts), metParts = splitRows(met, sizes: sizes, width: contexts)
        let contextParts = splitRows(context, sizes: sizes), repeatedParts = splitRows(repeated, sizes: sizes)
        let pullParts = splitRows(pullsTaken, sizes: sizes), trialParts = splitRows(trialsBegun, sizes: sizes)
        let generatorParts = splitRows(generators, sizes: sizes)
        return sizes.indices.map { i in
            var part = RecurringContextBandit(batchSize: sizes[i], levers: levers, pulls: pulls, contexts: contexts,
                                              trialsPerPool: trialsPerPool, codeSize: codeSize)
            part.codes = codeParts[i]
            part.bestLevers = bestParts[i]
            part.met = metParts[i]
            part.context = contextParts[i]
            part.repeated = repeatedParts[i]
            part.pullsTaken = pullParts[i]
            part.trialsBegun = trialParts[i]
            part.generators = generatorParts[i]
            return part
        }
    }

    public init(joining parts: [RecurringContextBandit]) {
        let first = parts[0]
        self.init(batchSize: parts.reduce(0) { $0 + $1.batchSize }, levers: first.levers, pulls: first.pulls,
                  contexts: first.contexts, trialsPerPool: first.trialsPerPool, codeSize: first.codeSize)
        codes = ContiguousArray(parts.map(\.codes).joined())
        bestLevers = ContiguousArray(parts.map(\.bestLevers).joined())
        met = ContiguousArray(parts.map(\.met).joined())
        context = ContiguousArray(parts.map(\.context).joined())
        repeated = ContiguousArray(parts.map(\.repeated).joined())
        pullsTaken = ContiguousArray(parts.map(\.pullsTaken).joined())
        trialsBegun = ContiguousArray(parts.map(\.trialsBegun).joined())
        generators = ContiguousArray(parts.map(\.generators).joined())
    }

    public mutating func step(task: UnsafeBufferPointer<Int32>, play: UnsafeBufferPointer<Int32>, into out: inout MetaStep) {
        for e in 0..<batchSize {
            let lever = min(max(Int(task[e]), 0), levers - 1)
            let odds = lever == bestLever(environment: e) ? Self.bestPayout : Self.otherPayout
            out.taskReward[e] = generators[e].nextUnitFloat() < odds ? 1 : 0
            out.taskLuck[e] = out.taskReward[e] - odds
            out.funReward[e] = 0
            out.episodeDone[e] = true
            pullsTaken[e] += 1
            let trialOver = Int(pullsTaken[e]) >= pulls
            let poolOver = trialOver && Int(trialsBegun[e]) >= trialsPerPool
            out.trialDone[e] = trialOver
            out.poolDone[e] = poolOver
            if poolOver { drawPool(e) }
            if trialOver { beginTrial(e) }
            writeObservation(e, &out)
        }
    }
}
