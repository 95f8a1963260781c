import NeuralCore
import Testing
@testable import MetaRL

@Suite struct EnvironmentFamilyTests {
    func run<E: MetaEnvironment>(_ env: inout E, _ step: inout MetaStep, task: Int32) {
        let t = ContiguousArray<Int32>(repeating: task, count: env.batchSize)
        let p = ContiguousArray<Int32>(repeating: 0, count: env.batchSize)
        t.withUnsafeBufferPointer { tb in p.withUnsafeBufferPointer { pb in env.step(task: tb, play: pb, into: &step) } }
    }

    @Test("lever bandit: every pull ends an episode, every 10th a trial, which redraws the payouts")
    func leverBanditSchedule() {
        var env = LeverBandit(batchSize: 3, levers: 5, pulls: 10)
        var step = env.makeStep()
        env.reset(seed: 7, into: &step)
        let firstPayouts = env.payouts
        #expect(firstPayouts.allSatisfy { $0 >= 0 && $0 < 1 })
        for pull in 1...10 {
            run(&env, &step, task: 2)
            #expect(step.episodeDone == [true, true, true])
            #expect(step.trialDone == ContiguousArray(repeating: pull == 10, count: 3))
            #expect(step.taskReward.allSatisfy { $0 == 0 || $0 == 1 })
            #expect(step.observations == [1, 1, 1])
        }
        #expect(env.payouts != firstPayouts)
        var again = LeverBandit(batchSize: 3, levers: 5, pulls: 10)
        var s2 = again.makeStep()
        again.reset(seed: 7, into: &s2)
        #expect(again.payouts == firstPayouts, "the same seed draws the same bandits")
    }

    @Test("lever bandit: a fixed lever pays 0.5 per pull on average and random play scores about 5 per trial")
    func leverBanditPayouts() {
        var env = LeverBandit(batchSize: 100, levers: 5, pulls: 10)
        var step = env.makeStep()
        env.reset(seed: 8, into: &step)
        var total = 0.0
        for _ in 0..<200 { run(&env, &step, task: 0); total += step.taskReward.reduce(0) { $0 + Double($1) } }
        #expect(abs(total / 20_000 - 0.5) < 0.03)
        let random = MetaEvaluation.evaluateRandom(environment: env, trials: 2000, seed: 3)
        #expect(abs(random.mean - 5) < 0.2)
    }

    @Test("tabular MDPs: stochastic transition rows, one-hot states, 10-step episodes, 10-episode trials")
    func tabularSchedule() {
        var env = TabularMDPFamily(batchSize: 2)
        var step = env.makeStep()
        env.reset(seed: 9, into: &step)
        for s in 0..<10 { for a in 0..<5 {
            let row = (0..<10).map { env.transitionProbability(environment: 1, state: s, action: a, next: $0) }
            #expect(abs(row.reduce(0, +) - 1) < 1e-5)
            #expect(row.allSatisfy { $0 >= 0 })
        } }
        #expect(Array(step.observations[0..<10]) == [1, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        let firstMeans = env.meanRewards
        for t in 1...100 {
            run(&env, &step, task: Int32(t % 5))
            #expect(step.episodeDone[0] == (t % 10 == 0))
            #expect(step.trialDone[0] == (t == 100))
            #expect(step.observations[0..<10].reduce(0, +) == 1)
        }
        #expect(env.meanRewards != firstMeans, "a finished trial draws a new MDP")
    }

    @Test("tabular MDPs: mean rewards are about N(1, 1) and random play earns about 100 per trial")
    func tabularRandom() {
        let env = TabularMDPFamily(batchSize: 50)
        var e = env
        var step = e.makeStep()
        e.reset(seed: 10, into: &step)
        let means = e.meanRewards.map(Double.init)
        let m = means.reduce(0, +) / Double(means.count)
        let sd = (means.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(means.count)).squareRoot()
        #expect(abs(m - 1) < 0.1 && abs(sd - 1) < 0.1)
        let random = MetaEvaluation.evaluateRandom(environment: env, trials: 300, seed: 4)
        #expect(abs(random.mean - 100) < 6, "random trial return \(random.mean)")
    }

    /// Steps `whole` and its parts side by side on the same random actions: every step's rows must agree, and the
    /// parts joined again must step on as the whole does.
    func expectPartsStepAsWhole<E: MetaEnvironment>(_ whole: E, sizes: [Int], seed: UInt64) {
        var whole = whole
        var step = whole.makeStep()
        whole.reset(seed: seed, into: &step)
        var parts = whole.split(sizes: sizes)
        let starts = sizes.indices.map { sizes[..<$0].reduce(0, +) }
        var partSteps = sizes.indices.map { step.rows(starts[$0]..<(starts[$0] + sizes[$0])) }
        var rng = SplitMix64(seed: seed)
        for _ in 0..<120 {
            let task = ContiguousArray((0..<whole.batchSize).map { _ in Int32(rng.next() % UInt64(whole.taskActionCount)) })
            let play = ContiguousArray((0..<whole.batchSize).map { _ in Int32(rng.next() % UInt64(whole.playActionCount)) })
            task.withUnsafeBufferPointer { t in play.withUnsafeBufferPointer { p in
                whole.step(task: t, play: p, into: &step)
                for i in parts.indices {
                    let rows = starts[i]..<(starts[i] + sizes[i])
                    parts[i].step(task: UnsafeBufferPointer(rebasing: t[rows]), play: UnsafeBufferPointer(rebasing: p[rows]),
                                  into: &partSteps[i])
                    #expect(partSteps[i] == step.rows(rows))
                }
            } }
        }
        var joined = E(joining: parts), joinedStep = step
        let task = ContiguousArray<Int32>(repeating: 0, count: whole.batchSize)
        task.withUnsafeBufferPointer { t in
            whole.step(task: t, play: t, into: &step)
            joined.step(task: t, play: t, into: &joinedStep)
        }
        #expect(joinedStep == step)
    }

    @Test("every family's batch splits into parts that step exactly as the whole, and joins again")
    func splitting() {
        expectPartsStepAsWhole(LeverBandit(batchSize: 7, levers: 3, pulls: 4), sizes: [3, 4], seed: 1)
        expectPartsStepAsWhole(TabularMDPFamily(batchSize: 5, horizon: 3, episodesPerTrial: 2), sizes: [1, 2, 2], seed: 2)
        expectPartsStepAsWhole(SyntheticEnvironment(batchSize: 6, observationSize: 3, taskActionCount: 2, playActionCount: 2,
                                                    poolLength: 9, doneProbability: 0.2, seed: 3), sizes: [4, 2], seed: 3)
    }
}
