import NeuralCore
import Testing
@testable import MetaRL

/// The episodic LSTM's parts: its dictionary, the recurring-context bandit it is checked on, and that recall runs
/// and trains deterministically.
@Suite struct RecallTests {
    func code(_ values: [Float]) -> ContiguousArray<Float> { ContiguousArray(values) }

    @Test("recall dictionary: the nearest key by cosine similarity is the one brute force finds, in every row")
    func nearestMatchesBruteForce() {
        var rng = SplitMix64(seed: 5)
        let (rows, keySize, cellSize) = (3, 7, 4)
        var memory = RecallMemory(rows: rows, keySize: keySize, cellSize: cellSize, capacity: 40)
        var stored: [[[Float]]] = Array(repeating: [], count: rows)
        for row in 0..<rows {
            for i in 0..<(10 + 9 * row) {
                let key = (0..<keySize).map { _ in rng.nextUnitFloat() * 2 - 1 }
                let cell = (0..<cellSize).map { Float(row * 100 + i) + Float($0) / 10 }
                key.withUnsafeBufferPointer { k in cell.withUnsafeBufferPointer { memory.write(row: row, key: k, cell: $0) } }
                stored[row].append(key)
            }
        }
        for row in 0..<rows {
            #expect(Int(memory.counts[row]) == stored[row].count)
            for _ in 0..<50 {
                let query = (0..<keySize).map { _ in rng.nextUnitFloat() * 2 - 1 }
                func cosine(_ a: [Float]) -> Double {
                    let dot = zip(a, query).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
                    let na = a.reduce(0.0) { $0 + Double($1 * $1) }.squareRoot(), nq = query.reduce(0.0) { $0 + Double($1 * $1) }.squareRoot()
                    return dot / (na * nq)
                }
                let similarities = stored[row].map(cosine)
                let best = similarities.indices.max { similarities[$0] < similarities[$1] }!
                let found = query.withUnsafeBufferPointer { memory.nearest(row: row, key: $0) }!
                #expect(found.slot == best)
                #expect(abs(Double(found.similarity) - similarities[best]) < 1e-5)
                var cell = [Float](repeating: -1, count: cellSize)
                let similarity = query.withUnsafeBufferPointer { q in cell.withUnsafeMutableBufferPointer { memory.recall(row: row, key: q, into: $0) } }
                #expect(similarity == found.similarity)
                #expect(cell == memory.cell(row: row, slot: best))
            }
        }
    }

    @Test("recall dictionary: a stored key's state is replaced, a full row forgets the entry written longest ago, a cleared row recalls zeros")
    func writesAndEviction() {
        var memory = RecallMemory(rows: 2, keySize: 2, cellSize: 1, capacity: 2)
        func write(_ row: Int, _ key: [Float], _ value: Float) {
            key.withUnsafeBufferPointer { k in [value].withUnsafeBufferPointer { memory.write(row: row, key: k, cell: $0) } }
        }
        func recall(_ row: Int, _ key: [Float]) -> (Float, Float) {
            var cell: [Float] = [-1]
            let s = key.withUnsafeBufferPointer { k in cell.withUnsafeMutableBufferPointer { memory.recall(row: row, key: k, into: $0) } }
            return (cell[0], s)
        }
        #expect(recall(0, [1, 0]) == (0, 0), "an empty row recalls zeros with similarity 0")
        write(0, [1, 0], 1)
        write(0, [0, 1], 2)
        write(0, [1, 0], 3)
        #expect(memory.counts[0] == 2)
        #expect(recall(0, [2, 0]) == (3, 1), "the same direction is similarity 1; the later write replaced the state")
        write(0, [-1, 0], 4)   // full: [0, 1] was written longest ago
        #expect(recall(0, [0, 1]).0 != 2)
        #expect(recall(0, [-1, 0]) == (4, 1))
        #expect(recall(0, [1, 0]) == (3, 1))
        #expect(memory.counts[1] == 0, "rows are apart")
        memory.clear(row: 0)
        #expect(recall(0, [1, 0]) == (0, 0))
    }

    @Test("recurring-context bandit: contexts recur within a pool, the repeat flag says so, and a pool ends after its trials")
    func recurringContexts() {
        var env = RecurringContextBandit(batchSize: 2, levers: 4, pulls: 3, contexts: 3, trialsPerPool: 5, codeSize: 8)
        var step = env.makeStep()
        env.reset(seed: 3, into: &step)
        var seen: [[[Float]]] = [[], []]
        var repeats = 0
        let tasks = ContiguousArray<Int32>([0, 1]), plays = ContiguousArray<Int32>([0, 0])
        for trial in 0..<10 {
            for e in 0..<2 {
                let code = Array(step.observations[(e * 8)..<((e + 1) * 8)])
                #expect(code.allSatisfy { $0 == 1 || $0 == -1 })
                #expect(env.repeated[e] == seen[e].contains(code))
                if env.repeated[e] { repeats += 1 }
                seen[e].append(code)
            }
            for pull in 1...3 {
                tasks.withUnsafeBufferPointer { t in plays.withUnsafeBufferPointer { env.step(task: t, play: $0, into: &step) } }
                #expect(step.episodeDone == [true, true])
                #expect(step.trialDone == ContiguousArray(repeating: pull == 3, count: 2))
                #expect(step.poolDone == ContiguousArray(repeating: pull == 3 && trial % 5 == 4, count: 2))
            }
            if trial % 5 == 4 { seen = [[], []] }
        }
        #expect(repeats >= 8, "with 3 contexts and 5 trials a pool, at least 2 of every 5 trials repeat")
    }

    @Test("recurring-context bandit: the best lever pays 0.9, another 0.1")
    func payouts() {
        var env = RecurringContextBandit(batchSize: 200)
        var step = env.makeStep()
        env.reset(seed: 4, into: &step)
        var best = 0.0, other = 0.0
        var tasks = ContiguousArray<Int32>(repeating: 0, count: 200)
        let plays = tasks
        for pull in 0..<50 {
            for e in 0..<200 { tasks[e] = Int32((env.bestLever(environment: e) + pull % 2) % env.levers) }
            tasks.withUnsafeBufferPointer { t in plays.withUnsafeBufferPointer { env.step(task: t, play: $0, into: &step) } }
            let paid = step.taskReward.reduce(0) { $0 + Double($1) }
            if pull % 2 == 0 { best += paid } else { other += paid }
        }
        #expect(abs(best / 5000 - 0.9) < 0.03)
        #expect(abs(other / 5000 - 0.1) < 0.03)
    }
    @Test("episodic LSTM: a trial's cell state comes back, at similarity 1, when its context recurs; a new pool starts empty")
    func runnerRecalls() {
        // Codes of 16 ±1s have norm 4 exactly, so a code met again is similarity 1 exactly.
        let env = RecurringContextBandit(batchSize: 1, levers: 4, pulls: 2, contexts: 2, trialsPerPool: 6, codeSize: 16)
        let policy = RecurrentPolicy(PolicyConfiguration(for: env, hiddenSize: 8, core: .episodicLSTM))
        var rng = SplitMix64(seed: 9)
        let parameters = policy.initialParameters(rng: &rng)
        var runner = PolicyRunner(policy: policy, batchSize: 1)
        var e = env
        var step = e.makeStep()
        e.reset(seed: 11, into: &step)
        var stored: [ContiguousArray<Float>: ContiguousArray<Float>] = [:]
        for trial in 0..<12 {
            let code = step.observations
            if trial % 6 == 0 { stored = [:] }
            for pull in 0..<2 {
                runner.act(on: step, parameters: parameters, rng: &rng)
                if pull == 0 {
                    #expect((runner.recallSimilarity[0] == 1) == (stored[code] != nil))
                    if let cell = stored[code] { #expect(runner.recalled == cell) }
                    #expect(runner.reinstatement[0] > 0 && runner.reinstatement[0] < 1)
                }
                let last = runner.cell
                runner.taskActions.withUnsafeBufferPointer { t in runner.playActions.withUnsafeBufferPointer { e.step(task: t, play: $0, into: &step) } }
                runner.observe(step)
                if pull == 1 { stored[code] = last }
            }
        }
    }

    @Test("episodic LSTM: training is the same from the same seed and differs from another")
    func deterministicTraining() throws {
        func train(seed: UInt64) throws -> ContiguousArray<Float> {
            let env = RecurringContextBandit(batchSize: 8, pulls: 5, trialsPerPool: 4)
            let policy = RecurrentPolicy(PolicyConfiguration(for: env, hiddenSize: 8, core: .episodicLSTM))
            var configuration = MetaLearningCheck.recallConfiguration(pulls: env.pulls, threads: 2, seed: seed)
            configuration.epochs = 2
            let trainer = try Trainer(environment: env, policy: policy, configuration: configuration)
            try trainer.train(steps: 8 * 5 * 10)
            return trainer.parameters
        }
        let a = try train(seed: 1)
        #expect(try train(seed: 1) == a)
        #expect(try train(seed: 2) != a)
    }
}
