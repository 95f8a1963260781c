import NeuralCore
import Testing
@testable import MetaRL

@Suite struct PolicyAndTrainerTests {
    @Test("policy input: observation, one-hot previous actions, both rewards and the done flag")
    func inputEncoding() {
        let policy = RecurrentPolicy(PolicyConfiguration(observationSize: 2, taskActionCount: 3, playActionCount: 2, hiddenSize: 4))
        #expect(policy.inputSize == 2 + 3 + 2 + 3)
        var previous = PreviousTransition()
        previous.task = 2; previous.play = 1; previous.taskReward = 0.5; previous.funReward = -1; previous.episodeDone = true
        let obs: [Float] = [7, 8]
        var x = [Float](repeating: 9, count: policy.inputSize)
        obs.withUnsafeBufferPointer { o in x.withUnsafeMutableBufferPointer { policy.encodeInput(observation: o, previous: previous, into: $0) } }
        #expect(x == [7, 8, 0, 0, 1, 0, 1, 0.5, -1, 1])
        obs.withUnsafeBufferPointer { o in x.withUnsafeMutableBufferPointer { policy.encodeInput(observation: o, previous: PreviousTransition(), into: $0) } }
        #expect(x == [7, 8, 0, 0, 0, 0, 0, 0, 0, 0], "a trial starts with no previous transition")
    }

    @Test("runner: memory survives episode ends (or not, for an episode-long memory), is cleared at trial ends; probabilities and values are exposed",
          arguments: MemorySpan.allCases)
    func runnerMemory(span: MemorySpan) {
        let env = LeverBandit(batchSize: 2, levers: 3, pulls: 4)
        let policy = RecurrentPolicy(PolicyConfiguration(for: env, hiddenSize: 8, memory: span))
        var rng = SplitMix64(seed: 5)
        let params = policy.initialParameters(rng: &rng)
        var runner = PolicyRunner(policy: policy, batchSize: 2)
        var e = env
        var step = e.makeStep()
        e.reset(seed: 1, into: &step)
        for pull in 1...4 {
            runner.act(on: step, parameters: params, rng: &rng)
            #expect(abs(runner.taskProbabilities[0..<3].reduce(0, +) - 1) < 1e-5)
            #expect(runner.playProbabilities[0] == 1)
            #expect(runner.values[0].isFinite)
            runner.taskActions.withUnsafeBufferPointer { t in runner.playActions.withUnsafeBufferPointer { p in e.step(task: t, play: p, into: &step) } }
            runner.observe(step)
            let memory = runner.hidden[0..<8].map { abs($0) }.reduce(0, +)
            if pull < 4 && span == .trial { #expect(memory > 0, "episode \(pull) ended but the trial goes on") } else { #expect(memory == 0) }
            if span == .episode { #expect(runner.previous[0] == PreviousTransition(), "an episode-long memory starts each episode afresh") }
        }
    }

    /// A small A2C problem whose rollout has trial ends inside the segment.
    func smallTrainer(threads: Int, epochs: Int = 1, seed: UInt64 = 3, trunkSize: Int = 0,
                      plays: PlayChoices = .all) throws -> Trainer<SyntheticEnvironment> {
        let env = SyntheticEnvironment(batchSize: 6, observationSize: 3, taskActionCount: 3, playActionCount: 2,
                                       poolLength: 16, doneProbability: 0.2, seed: 1)
        let policy = RecurrentPolicy(PolicyConfiguration(for: env, hiddenSize: 5, trunkSize: trunkSize, plays: plays))
        var c = TrainerConfiguration()
        c.rolloutLength = 7
        c.threads = threads
        c.seed = seed
        c.epochs = epochs
        c.normalizeAdvantages = epochs > 1
        c.learningRate = 1e-2
        return try Trainer(environment: env, policy: policy, configuration: c)
    }

    @Test("the trainer's BPTT gradient of the whole actor-critic loss matches finite differences, with and without a trunk",
          arguments: [false, true], [0, 4])
    func trainerGradient(ppo: Bool, trunkSize: Int) throws {
        let trainer = try smallTrainer(threads: 1, trunkSize: trunkSize)
        trainer.collectRollout()
        let w = trainer.workers[0]
        let coefficients = ActorCriticCoefficients(entropy: 0.05, value: 0.5)
        let rowWeight = 1 / Float(7 * 6)
        let recorded = trainer.parameters
        // For PPO, evaluate at parameters away from the sampling ones so ratios differ from 1.
        var base = recorded
        if ppo { var r = SplitMix64(seed: 9); for i in 0..<base.count { base[i] += (r.nextUnitFloat() - 0.5) * 0.02 } }
        func lossAndGradient(_ p: ContiguousArray<Float>) -> (Double, ContiguousArray<Float>) {
            var wT = ContiguousArray<Float>(repeating: 0, count: 75)
            p.withUnsafeBufferPointer { pp in
                w.reforward(parameters: pp)
                wT.withUnsafeMutableBufferPointer { trainer.policy.gru!.transposeRecurrentWeight(parameters: pp, into: $0) }
                wT.withUnsafeBufferPointer { t in
                    w.backward(parameters: pp, transposedRecurrentWeight: t, coefficients: coefficients,
                               rowWeight: rowWeight, advantageShift: 0.1, advantageScale: 2, clipRange: ppo ? 0.3 : nil)
                }
            }
            return (w.loss.total(coefficients), ContiguousArray(w.gradients))
        }
        let (_, analytic) = lossAndGradient(base)
        var failures: [String] = []
        let step: Float = 2e-3
        for i in stride(from: 0, to: base.count, by: 3) {
            var plus = base, minus = base
            plus[i] += step; minus[i] -= step
            let numeric = (lossAndGradient(plus).0 - lossAndGradient(minus).0) / Double(2 * step)
            let a = Double(analytic[i])
            if abs(numeric - a) > 2e-3 + 3e-2 * max(abs(a), abs(numeric)) { failures.append("\(i): \(a) vs \(numeric)") }
        }
        #expect(failures.count <= 2, "\(failures)")   // a PPO clip boundary may fall inside a difference step
    }

    @Test("a policy that cannot play never plays in training, and its play logits never move (A2C and PPO)", arguments: [1, 3])
    func noPlayTraining(epochs: Int) throws {
        let trainer = try smallTrainer(threads: 2, epochs: epochs, plays: .none)
        let head = trainer.policy.head
        func playRows(_ p: ContiguousArray<Float>) -> [Float] {
            let w = head.linear.weight.offset, b = head.linear.bias.offset, h = head.hiddenSize
            return Array(p[(w + head.taskCount * h)..<(w + (head.taskCount + head.playCount) * h)])
                + Array(p[(b + head.taskCount)..<(b + head.taskCount + head.playCount)])
        }
        let before = trainer.parameters
        for _ in 0..<4 {
            let m = try trainer.step()
            for w in trainer.workers { #expect(w.plays.allSatisfy { $0 == 0 }) }
            #expect(m.loss.entropy > 0, "the task head still has entropy")
        }
        #expect(playRows(trainer.parameters) == playRows(before))
        #expect(trainer.parameters != before)
    }

    @Test("a back-propagation span as long as the segment changes nothing; shorter spans cut only what flows back through the memory")
    func backPropagationSpan() throws {
        let trainer = try smallTrainer(threads: 1)
        trainer.collectRollout()
        let w = trainer.workers[0]
        func gradient(span: Int?) -> ContiguousArray<Float> {
            var wT = ContiguousArray<Float>(repeating: 0, count: 75)
            trainer.parameters.withUnsafeBufferPointer { p in
                wT.withUnsafeMutableBufferPointer { trainer.policy.gru!.transposeRecurrentWeight(parameters: p, into: $0) }
                wT.withUnsafeBufferPointer { t in
                    w.backward(parameters: p, transposedRecurrentWeight: t, coefficients: ActorCriticCoefficients(),
                               rowWeight: 1 / 42, advantageShift: 0, advantageScale: 1, clipRange: nil, backPropagationSpan: span)
                }
            }
            return ContiguousArray(w.gradients)
        }
        let whole = gradient(span: nil)
        #expect(gradient(span: 7) == whole && gradient(span: 100) == whole)
        let cut = gradient(span: 1), some = gradient(span: 3)
        let head = trainer.policy.head.linear
        let readOut = [head.weight.offset..<(head.weight.offset + head.weight.count), head.bias.offset..<(head.bias.offset + head.bias.count)]
        for range in readOut { #expect(Array(cut[range]) == Array(whole[range]) && Array(some[range]) == Array(whole[range])) }
        #expect(cut != whole && some != whole && some != cut)
        #expect(throws: TrainingError.self) {
            var c = trainer.configuration
            c.backPropagationSpan = 0
            try c.validate(batchSize: 6)
        }
    }

    @Test("an entropy bonus that is not a finite number ≥ 0 is refused before training, not found out as a diverged loss")
    func entropyBonusIsValidated() throws {
        let trainer = try smallTrainer(threads: 1)
        for entropy in [Float.nan, .infinity, -0.01] {
            var c = trainer.configuration
            c.coefficients.entropy = entropy
            #expect(throws: TrainingError.self) { try c.validate(batchSize: 6) }
        }
    }

    @Test("segments too long for the rollout buffers are refused before they are allocated (a crash) or sized (an overflow trap)")
    func segmentLengthIsBounded() throws {
        var c = TrainerConfiguration()
        c.rolloutLength = TrainerConfiguration.mostStepsPerUpdate / 64
        try c.validate(batchSize: 64)
        for (length, batch) in [(TrainerConfiguration.mostStepsPerUpdate / 64 + 1, 64), (Int.max, 64), (999_999_999, 1)] {
            c.rolloutLength = length
            let error = try #require(#expect(throws: TrainingError.self) { try c.validate(batchSize: batch) })
            #expect("\(error)".contains("segments of \(length) steps in \(batch) environments are more than"), "\(error)")
        }
    }

    @Test("a floor under the advantages' spread stops standardisation from blowing small advantages up to unit size")
    func advantageScaleFloor() throws {
        func firstUpdate(floor: Float?) throws -> (TrainingMetrics, ContiguousArray<Float>) {
            let env = SyntheticEnvironment(batchSize: 6, observationSize: 3, taskActionCount: 3, playActionCount: 2,
                                           poolLength: 16, doneProbability: 0.2, seed: 1)
            var c = TrainerConfiguration()
            c.rolloutLength = 7
            c.seed = 3
            c.normalizeAdvantages = true
            c.advantageScaleFloor = floor
            c.coefficients = ActorCriticCoefficients(entropy: 0, value: 0)
            let trainer = try Trainer(environment: env, policy: RecurrentPolicy(PolicyConfiguration(for: env, hiddenSize: 5)), configuration: c)
            let m = try trainer.step()
            return (m, trainer.parameters)
        }
        let (plain, p0) = try firstUpdate(floor: nil)
        let (below, p1) = try firstUpdate(floor: Float(plain.advantageStd) / 2)
        #expect(plain.advantageStd > 0 && p1 == p0, "a floor below the spread changes nothing")
        let (above, _) = try firstUpdate(floor: Float(plain.advantageStd) * 10)
        // The policy loss is linear in the advantages' scale: ten times the spread makes it a tenth.
        #expect(abs(above.loss.policy * 10 - plain.loss.policy) <= 1e-3 * abs(plain.loss.policy) + 1e-7)
        #expect(above.gradientNorm < plain.gradientNorm && below.gradientNorm == plain.gradientNorm)
    }

    @Test("the spike guard lets no gradient norm above its multiple of the running average through, and one that never acts changes nothing")
    func spikeGuard() throws {
        func run(guard factor: Float?) throws -> (Trainer<SyntheticEnvironment>, acted: Int) {
            let env = SyntheticEnvironment(batchSize: 6, observationSize: 3, taskActionCount: 3, playActionCount: 2,
                                           poolLength: 16, doneProbability: 0.2, seed: 1)
            var c = TrainerConfiguration()
            c.rolloutLength = 7
            c.seed = 3
            c.normalizeAdvantages = true
            c.learningRate = 1e-2
            c.spikeGuard = factor
            let trainer = try Trainer(environment: env, policy: RecurrentPolicy(PolicyConfiguration(for: env, hiddenSize: 5)), configuration: c)
            var acted = 0
            for _ in 0..<12 {
                let before = trainer.recentGradientNorm
                let m = try trainer.step()
                if let before, let factor {
                    #expect(m.clippedGradientNorm <= Double(factor) * before * (1 + 1e-9))
                    if m.gradientNorm > Double(factor) * before { acted += 1 }
                }
            }
            return (trainer, acted)
        }
        let (plain, _) = try run(guard: nil)
        let (loose, untouched) = try run(guard: 1e6)
        #expect(untouched == 0)
        #expect(loose.parameters == plain.parameters && plain.recentGradientNorm == nil && loose.recentGradientNorm != nil)
        let (tight, acted) = try run(guard: 1.05)
        #expect(acted > 0 && tight.parameters != plain.parameters)
    }

    @Test("same seed and thread count give bit-identical parameters; the update changes them", arguments: [1, 2])
    func determinism(threads: Int) throws {
        let a = try smallTrainer(threads: threads, epochs: 2), b = try smallTrainer(threads: threads, epochs: 2)
        let initial = a.parameters
        for _ in 0..<5 { try a.step(); try b.step() }
        #expect(a.parameters == b.parameters)
        #expect(a.parameters != initial)
        #expect(a.updateCount == 5 && a.environmentSteps == 5 * 7 * 6)
        let c = try smallTrainer(threads: threads, epochs: 2, seed: 4)
        for _ in 0..<5 { try c.step() }
        #expect(c.parameters != a.parameters, "a different seed trains differently")
    }

    @Test("training runs whole updates: the steps planned for a request are the steps it takes")
    func plannedSteps() throws {
        let trainer = try smallTrainer(threads: 1)
        #expect(trainer.stepsPerUpdate == 7 * 6)
        #expect(trainer.plannedSteps(42) == 42 && trainer.plannedSteps(43) == 84 && trainer.plannedSteps(0) == 0)
        try trainer.train(steps: 50)
        #expect(trainer.environmentSteps == trainer.plannedSteps(50))
    }

    @Test("what a rollout records does not depend on how the batch is split across threads")
    func rolloutIndependentOfThreads() throws {
        let whole = try smallTrainer(threads: 1), split = try smallTrainer(threads: 3)
        whole.collectRollout()
        split.collectRollout()
        let w = whole.workers[0]
        for part in split.workers {
            for t in 0..<7 {
                for r in 0..<part.rows {
                    let (i, j) = (t * part.rows + r, t * w.rows + part.rowStart + r)
                    #expect(part.tasks[i] == w.tasks[j] && part.plays[i] == w.plays[j])
                    #expect(part.rewards[i] == w.rewards[j] && part.advantages[i] == w.advantages[j])
                }
            }
        }
    }

    @Test("metrics report steps, episodes and returns of each update through the progress callback")
    func metrics() throws {
        let env = LeverBandit(batchSize: 8, levers: 3, pulls: 5)
        var c = TrainerConfiguration()
        c.rolloutLength = 5
        let trainer = try Trainer(environment: env, policy: RecurrentPolicy(PolicyConfiguration(for: env, hiddenSize: 8)), configuration: c)
        var seen: [TrainingMetrics] = []
        try trainer.train(steps: 100) { seen.append($0); return seen.count < 2 }
        #expect(seen.count == 2, "progress returning false stops training")
        #expect(seen[1].environmentSteps == 80 && seen[1].episodes == 40 && seen[1].trials == 8)
        #expect(seen[1].meanTaskReturn >= 0 && seen[1].meanTaskReturn <= 1)
        #expect(seen[1].meanFunReturn == 0)
        #expect(seen[1].stepsPerSecond > 0)
    }

    /// Emits a NaN reward on its third step.
    struct PoisonedBandit: MetaEnvironment {
        var inner = LeverBandit(batchSize: 4, levers: 3, pulls: 5)
        var steps = 0
        var batchSize: Int { inner.batchSize }
        var observationSize: Int { inner.observationSize }
        var taskActionCount: Int { inner.taskActionCount }
        var playActionCount: Int { inner.playActionCount }
        var families: [FamilyID] { inner.families }
        func family(ofRow row: Int) -> Int { inner.family(ofRow: row) }
        var observationEncoding: ObservationEncoding { inner.observationEncoding }
        mutating func reset(seed: UInt64, into out: inout MetaStep) { inner.reset(seed: seed, into: &out) }
        func split(sizes: [Int]) -> [PoisonedBandit] { inner.split(sizes: sizes).map { PoisonedBandit(inner: $0, steps: steps) } }
        init(joining parts: [PoisonedBandit]) { inner = LeverBandit(joining: parts.map(\.inner)); steps = parts[0].steps }
        init(inner: LeverBandit = LeverBandit(batchSize: 4, levers: 3, pulls: 5), steps: Int = 0) { self.inner = inner; self.steps = steps }
        mutating func step(task: UnsafeBufferPointer<Int32>, play: UnsafeBufferPointer<Int32>, into out: inout MetaStep) {
            inner.step(task: task, play: play, into: &out)
            steps += 1
            if steps == 13 { out.taskReward[1] = .nan }
        }
    }

    @Test("a NaN reward stops training with a clear error and keeps the last good parameters")
    func nonFinite() throws {
        let env = PoisonedBandit()
        var c = TrainerConfiguration()
        c.rolloutLength = 5
        let trainer = try Trainer(environment: env, policy: RecurrentPolicy(PolicyConfiguration(for: env, hiddenSize: 6)), configuration: c)
        try trainer.step(); try trainer.step()
        let good = trainer.parameters
        #expect(throws: TrainingError.nonFinite(update: 3, quantity: "the loss")) { try trainer.step() }
        #expect(trainer.parameters == good)
        #expect(trainer.updateCount == 2)
        #expect(TrainingError.nonFinite(update: 3, quantity: "the loss").description.contains("update 2 were kept"))
    }

    @Test("the learning rate falls linearly over the decay steps to a 2% floor, or stays constant")
    func learningRateDecay() {
        var c = TrainerConfiguration()
        c.learningRate = 1e-3
        #expect(c.learningRate(atStep: 5_000_000) == 1e-3)
        c.learningRateDecaySteps = 1000
        #expect(c.learningRate(atStep: 0) == 1e-3)
        #expect(abs(c.learningRate(atStep: 500) - 5e-4) < 1e-9)
        #expect(abs(c.learningRate(atStep: 2000) - 2e-5) < 1e-9)
    }

    @Test("the entropy bonus falls with the learning rate only when asked; the value weight never does")
    func entropyFallsWithLearningRate() {
        var c = TrainerConfiguration()
        c.coefficients = ActorCriticCoefficients(entropy: 0.04, value: 0.5)
        c.learningRateDecaySteps = 1000
        #expect(c.coefficients(atStep: 500) == c.coefficients)
        c.entropyFallsWithLearningRate = true
        #expect(c.coefficients(atStep: 0) == c.coefficients)
        #expect(abs(c.coefficients(atStep: 500).entropy - 0.02) < 1e-7 && c.coefficients(atStep: 500).value == 0.5)
        #expect(abs(c.coefficients(atStep: 5000).entropy - 0.0008) < 1e-7)
        c.learningRateDecaySteps = nil
        #expect(c.coefficients(atStep: 5000) == c.coefficients)
    }

    @Test("bad configurations and mismatched shapes are rejected with a message")
    func validation() {
        let env = LeverBandit(batchSize: 4)
        var c = TrainerConfiguration()
        c.threads = 5
        #expect(throws: TrainingError.self) { try Trainer(environment: env, configuration: c) }
        c.threads = 1
        c.rewardShift = .nan
        #expect(throws: TrainingError.self) { try Trainer(environment: env, configuration: c) }
        let wrong = RecurrentPolicy(PolicyConfiguration(observationSize: 2, taskActionCount: 5, playActionCount: 1, hiddenSize: 4))
        do {
            _ = try Trainer(environment: env, policy: wrong)
            Issue.record("a policy for observation size 2 was accepted")
        } catch {
            #expect("\(error)".contains("observation 2"))
        }
    }
}
