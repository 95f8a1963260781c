import Foundation
import Fun
import GridWorld
import MetaAgents
import MetaRL
import Statistics

/// The meta-learned inductive bias: evolution strategies over the fun weight vector, scoring each candidate
/// weighting by the task return of an agent briefly meta-trained with it.
///
/// The search runs over log-weights θ (weight = exp θ), so weights stay positive — fun that punishes is not fun —
/// without clipping, which would make the two candidates of an antithetic pair asymmetric and bias the step.
/// Each generation samples `pairs` directions ε, trains one agent at exp(θ + σε) and one at exp(θ − σε) (the same
/// training seed for all: common random numbers), scores both on held-out MDPs, and moves θ along
/// Σ (rank(R⁺) − rank(R⁻)) ε.
struct LearnedFunSearch {
    let configuration: ExperimentConfiguration.LearnedFun
    let scenarios: [Scenario]
    let training: ExperimentConfiguration.Training
    /// The learned arm's training dynamics (`train-dynamics`), part of each candidate's key; nil when static.
    var dynamics: String? = nil
    /// Base of the validation seeds: generation g's candidates are scored on MDPs of seed `validationSeed + g`.
    let validationSeed: UInt64

    /// One scored candidate, cached under the hash of everything that produced its score.
    struct Candidate: Codable, Equatable {
        var key: String
        var weights: [Float]
        var score: Double
        /// Its training time; nil in records written before it was kept (the first play run's).
        var seconds: Double?
    }

    struct CandidateKey: Codable {
        var training: TrainingKey
        var trials: Int
        var scoringSeed: UInt64
    }

    /// What the search found, for the report.
    struct Outcome: Codable, Equatable {
        var models: [String]
        /// The weights, exp θ, before each generation and after the last.
        var path: [[Float]]
        /// Mean candidate score in each generation.
        var meanScores: [Double]
        var candidates: [[Candidate]]

        var weights: [Float] { path.last ?? [] }
    }

    static func weights(_ logWeights: [Double]) -> [Float] { logWeights.map { Float(exp($0)) } }

    /// One candidate of an antithetic pair: exp(θ ± σε). The pair's log-weights are symmetric about θ.
    static func candidate(_ theta: [Double], epsilon: [Float], sign: Float, sigma: Float) -> [Float] {
        weights(zip(theta, epsilon).map { $0.0 + Double(sign * sigma * $0.1) })
    }

    func spec(_ weights: [Float]) -> FunSpec {
        FunSpec(terms: zip(configuration.models, weights).filter { $0.1 > 0 }.map { FunSpec.Term(model: $0.0, weight: $0.1) })
    }

    /// One candidate of a generation: its weights, how it trains, and the record that caches its score.
    struct CandidateJob {
        var weights: [Float]
        var plan: GridTraining.Plan
        var key: String
        var name: String
        var label: String
        var scoringSeed: UInt64
    }

    /// Trains a candidate, scores it on its generation's validation MDPs and saves the record.
    func trainAndScore(_ job: CandidateJob, folder: ResultsFolder, onUpdate: (TrainingMetrics) -> Void) throws -> Candidate {
        let result = try CellTrainer(training: training).train(job.plan, steps: configuration.steps, onUpdate: onUpdate)
        let env = try GridMetaEnvironment(scenarios: scenarios, funSpec: job.plan.fun, batchSize: training.envs)
        let score = taskReturnPerTrial(policy: result.checkpoint.recurrentPolicy, parameters: result.checkpoint.parameters,
                                       environment: env, trials: configuration.trials, seed: job.scoringSeed)
        let candidate = Candidate(key: job.key, weights: job.weights, score: score, seconds: result.seconds)
        try folder.save(candidate, named: job.name)
        return candidate
    }

    /// Runs the search, reusing finished candidates from `folder`; reports each training update and each candidate
    /// (with whether it came from the cache). With `missing`, a candidate not in the folder is that error instead.
    /// With `concurrently`, a generation's unfinished candidates first train together, reporting to `report`; the
    /// scores, and so the search, are the same.
    func run(folder: ResultsFolder, missing: ((String) -> ExperimentError)? = nil, concurrently: ConcurrentTraining? = nil,
             report: (ExperimentEvent) -> Void = { _ in },
             onUpdate: (String, TrainingMetrics) -> Void, onCandidate: (Candidate, Bool) -> Void) throws -> Outcome {
        let trainer = CellTrainer(training: training)
        // θ in Double, so exp(log w) gives back the configured starting weights exactly as Floats.
        var theta = configuration.start.map { log(Double($0)) }
        var outcome = Outcome(models: configuration.models, path: [Self.weights(theta)], meanScores: [], candidates: [])
        let dimension = theta.count
        var done = concurrently?.done ?? 0
        for g in 0..<configuration.generations {
            var rng = SplitMix64(seed: 0xE5_0000 &+ UInt64(g))
            let trainingSeed = UInt64(10_000 + g)
            let scoringSeed = validationSeed &+ UInt64(g)
            var directions: [[Float]] = []
            var jobs: [CandidateJob] = []
            for pair in 0..<configuration.pairs {
                let epsilon = (0..<dimension).map { _ in Float(rng.nextNormal()) }
                directions.append(epsilon)
                for sign: Float in [1, -1] {
                    let weights = Self.candidate(theta, epsilon: epsilon, sign: sign, sigma: configuration.sigma)
                    let spec = self.spec(weights)
                    let plan = trainer.plan(scenarios: scenarios, fun: spec, seed: trainingSeed)
                    var trainingKey = TrainingKey(plan, steps: configuration.steps)
                    trainingKey.dynamics = dynamics
                    let key = stableHash(CandidateKey(training: trainingKey,
                                                      trials: configuration.trials, scoringSeed: scoringSeed))
                    jobs.append(CandidateJob(weights: weights, plan: plan, key: key, name: "es-g\(g)-p\(pair)\(sign > 0 ? "+" : "-")-\(key).json",
                                             label: "learned g\(g + 1)/\(configuration.generations) \(spec)", scoringSeed: scoringSeed))
                }
            }
            func cached(_ job: CandidateJob) -> Candidate? {
                folder.record(Candidate.self, named: job.name).flatMap { $0.key == job.key ? $0 : nil }
            }
            var trainedAhead: Set<String> = []
            if let concurrently, missing == nil {
                let pending = jobs.filter { cached($0) == nil }
                var training = concurrently
                training.done = done + (jobs.count - pending.count) * configuration.steps
                try training.run(pending, label: \.label, report: report) { job, onUpdate in
                    let candidate = try trainAndScore(job, folder: folder, onUpdate: onUpdate)
                    return "\(job.label): trained \(configuration.steps) steps in \(String(format: "%.0f", candidate.seconds ?? 0)) s"
                }
                trainedAhead = Set(pending.map(\.name))
                done += jobs.count * configuration.steps
            }
            var scored: [Candidate] = []
            for job in jobs {
                if let found = cached(job) {
                    scored.append(found)
                    onCandidate(found, !trainedAhead.contains(job.name))
                    continue
                }
                if let missing { throw missing(job.name) }
                let candidate = try trainAndScore(job, folder: folder) { onUpdate(job.label, $0) }
                scored.append(candidate)
                onCandidate(candidate, false)
            }
            // Centred ranks in [-0.5, 0.5] make the step indifferent to the scale of returns; ties share a rank.
            var rank = [Float](repeating: 0, count: scored.count)
            for i in scored.indices where scored.count > 1 {
                let below = scored.filter { $0.score < scored[i].score }.count
                let equal = scored.filter { $0.score == scored[i].score }.count
                rank[i] = (Float(below) + Float(equal - 1) / 2) / Float(scored.count - 1) - 0.5
            }
            var step = [Float](repeating: 0, count: dimension)
            for (pair, epsilon) in directions.enumerated() {
                let advantage = rank[2 * pair] - rank[2 * pair + 1]
                for j in 0..<dimension { step[j] += advantage * epsilon[j] }
            }
            // θ moves at most about learning-rate × σ × |ε| per generation, towards the better half of each pair.
            let scale = configuration.learningRate * configuration.sigma / Float(configuration.pairs)
            theta = (0..<dimension).map { theta[$0] + Double(scale * step[$0]) }
            outcome.path.append(Self.weights(theta))
            outcome.meanScores.append(Sample.mean(scored.map(\.score)))
            outcome.candidates.append(scored)
        }
        return outcome
    }
}

