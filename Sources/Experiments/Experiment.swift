import Agents
import Clocks
import Foundation
import Fun
import GridWorld
import MetaAgents
import MetaRL
import Records

/// What an experiment reports while it runs, for a progress bar and a log.
public enum ExperimentEvent: Sendable {
    /// The whole experiment's training steps (cached work included: it is counted as done when skipped).
    case planned(totalSteps: Int)
    /// Training steps done so far, the current training rate and what is being trained (with where that agent
    /// stands among the experiment's agents, when an agent is being trained).
    case progress(done: Int, rate: Double, detail: String, agent: AgentProgress? = nil)
    /// A line worth logging: a finished or reused cell, an evaluation starting.
    case note(String)
}

/// Where the agent being trained stands: its number among the experiment's agents (those before it are finished,
/// trained or reused; those after it are queued), and its own training time left at the current rate.
public struct AgentProgress: Sendable, Equatable {
    public var number: Int
    public var count: Int
    public var secondsLeft: Double
    public var finished: Int { number - 1 }
    public var queued: Int { count - number }
}

/// One agent group's per-seed results: a fun setting's trained agents or a scripted baseline.
public struct AgentGroup: Sendable, Equatable {
    public var name: String
    /// The fun spec the agents trained (and were evaluated) with; `learned` resolves to the weights found.
    public var fun: String
    public var isBaseline: Bool
    public var training: [TrainedCell]
    public var evaluations: [AgentEvaluation]
}

/// How a results folder's figures were produced: the command that reproduces them and what its run did.
public struct RunProvenance: Codable, Equatable, Sendable {
    public var command: String
    public var seconds: Double
    public var trainedNow: Int
    public var reused: Int

    enum CodingKeys: String, CodingKey {
        case command, seconds, reused
        case trainedNow = "trained_now"
    }

    /// The provenance a folder's results.json records; nil for a folder without one (or written before it was kept).
    static func recorded(in folder: ResultsFolder) -> RunProvenance? {
        struct Summary: Decodable { var run: RunProvenance? }
        guard let data = FileManager.default.contents(atPath: folder.path + "/results.json") else { return nil }
        return (try? StableJSON.decode(Summary.self, from: data))?.run
    }
}

/// Everything an experiment produced, for the report.
public struct ExperimentResults: Sendable, Equatable {
    public var configuration: ExperimentConfiguration
    public var groups: [AgentGroup]
    var learned: LearnedFunSearch.Outcome?
    /// Arms whose fun was scaled to a share of the task return, with how.
    public var calibrations: [FunCalibration] = []
    /// The measured overlap of evaluation MDPs with training MDPs, per scenario.
    public var overlaps: [MDPOverlap] = []
    /// Cells trained in this run and reused from the folder.
    public var trainedNow: Int
    public var reused: Int
    public var seconds: Double
    /// The command line that reproduces the results.
    public var command: String
    /// Under --analyse-only, the run that produced the folder (kept in results.json).
    var recordedRun: RunProvenance?

    /// The run the figures come from, as results.md quotes it: the recorded one when re-analysing, so a
    /// re-analysis leaves results.md as that run wrote it, else this one.
    public var provenance: RunProvenance {
        recordedRun ?? RunProvenance(command: command, seconds: seconds, trainedNow: trainedNow, reused: reused)
    }

    /// The time every agent behind these results took to train, summed over the runs that trained them (a resumed
    /// experiment's `seconds` counts only its last part), and how many learned-fun candidates recorded no time.
    public var trainingSeconds: (total: Double, untimed: Int) {
        let cells = groups.flatMap(\.training).reduce(0) { $0 + $1.seconds }
        let candidates = learned?.candidates.flatMap { $0 } ?? []
        return (cells + candidates.reduce(0) { $0 + ($1.seconds ?? 0) }, candidates.filter { $0.seconds == nil }.count)
    }
}

/// Runs an experiment into a results folder: the learned-fun search, every (fun setting × seed) agent, their
/// evaluations and the baselines', then the tables, plots and verdicts.
public struct ExperimentRunner {
    public let configuration: ExperimentConfiguration
    public let out: String
    public let force: Bool
    /// The command line that reproduces the results, quoted in `results.md`.
    public let command: String
    /// Re-analyse the folder's finished cells only: nothing is trained or evaluated, and a missing cell is an error.
    public let analyseOnly: Bool
    /// Agents trained at once (each on `training.threads` threads). Results do not depend on it: every agent is
    /// trained exactly as it would be alone.
    public let jobs: Int

    public init(configuration: ExperimentConfiguration, out: String, force: Bool, command: String, analyseOnly: Bool = false, jobs: Int = 1) {
        self.configuration = configuration
        self.out = out
        self.force = force
        self.command = command
        self.analyseOnly = analyseOnly
        self.jobs = max(1, jobs)
    }

    /// Why an analysis-only run stops: the record it needs was never finished, or is there but does not read back.
    func missing(_ name: String) -> ExperimentError {
        let path = "\(out)/cells/\(name)"
        let what = FileManager.default.fileExists(atPath: path) ? "cannot be read (damaged, or cut short)" : "is missing"
        return ExperimentError("\(path) \(what): --analyse-only re-analyses finished cells only; run without it to compute the rest")
    }

    @discardableResult
    public func run(report: (ExperimentEvent) -> Void = { _ in }) throws -> ExperimentResults {
        let clock = SystemClock()
        let c = configuration
        // A folder that already holds this experiment's results is being resumed (or re-analysed).
        let resuming = ResultsFolder.hasResults(out) && (try? String(contentsOfFile: out + "/experiment.yaml", encoding: .utf8)) == c.sourceText
        let folder = try ResultsFolder.prepare(path: out, configurationText: c.sourceText, force: force,
                                               preregistration: c.preregistration, analyseOnly: analyseOnly)
        // Fun given as a share of the task return is calibrated first (seconds, on validation seeds), so the design
        // states the weights the arms train with.
        var specs: [String: FunSpec] = [:]
        var calibrations: [FunCalibration] = []
        for setting in c.fun {
            guard case .fixed(let spec) = setting.kind else { continue }
            specs[setting.name] = spec
            if let share = setting.share {
                let scaled = try FunCalibration.calibrate(arm: setting.name, spec: spec, share: share, scenarios: c.scenarios(of: setting),
                                                          seedBase: c.validationSeed &+ 1000)
                specs[setting.name] = scaled.spec
                calibrations.append(scaled.calibration)
                report(.note("\(setting.name): fun scaled to \(scaled.spec) (a random agent's fun per episode = \(format(share)) × the maximal task return)"))
            }
        }
        // The design is written once, before training; a resumed run or a re-analysis keeps the one the data were
        // gathered under (a re-analysis of a folder without one writes it with its tables).
        let design = ExperimentDesign(configuration: c, command: command, calibrations: calibrations).markdown()
        let writesDesign = !(analyseOnly || resuming) || !FileManager.default.fileExists(atPath: out + "/DESIGN.md")
        if writesDesign && !analyseOnly { try folder.write(text: design, to: out + "/DESIGN.md") }
        let learnedSteps = c.learned.map { $0.generations * 2 * $0.pairs * $0.steps } ?? 0
        let hasLearned = c.fun.contains { $0.kind == .learned }
        let total = (hasLearned ? learnedSteps : 0) + c.fun.count * c.seeds * c.training.steps
        report(.planned(totalSteps: total))
        let cells = c.fun.count * c.seeds
        report(.note("\(cells) agents to train or reuse (\(c.fun.count) fun settings × \(c.seeds) seeds, \(c.training.steps) steps each)"))
        if jobs > 1 && !analyseOnly { report(.note("training \(jobs) agents at once, on \(c.training.threads) thread\(c.training.threads == 1 ? "" : "s") each")) }
        var done = 0, trainedNow = 0, reused = 0
        let cellTrainer = CellTrainer(training: c.training)

        var outcome: LearnedFunSearch.Outcome?
        if hasLearned, let learned = c.learned {
            // The search trains its candidates where the learned arm trains (its scenarios and training dynamics).
            let arm = c.fun.first { $0.kind == .learned }
            let search = LearnedFunSearch(configuration: learned, scenarios: arm.map(c.scenarios(of:)) ?? c.scenarios, training: c.training,
                                          dynamics: arm?.trainDynamics?.key, validationSeed: c.validationSeed)
            var base = done
            let concurrently = jobs > 1 && !analyseOnly ? ConcurrentTraining(jobs: jobs, steps: learned.steps, done: done) : nil
            outcome = try search.run(folder: folder, missing: analyseOnly ? missing : nil, concurrently: concurrently, report: report, onUpdate: { label, m in
                report(.progress(done: base + m.environmentSteps, rate: m.stepsPerSecond,
                                 detail: "\(label)  task \(format(m.meanTaskReturn))"))
            }, onCandidate: { candidate, cached in
                base += learned.steps
                done = base
                if cached { reused += 1 } else { trainedNow += 1 }
                report(.note("learned fun: candidate \(search.spec(candidate.weights)) scored \(format(candidate.score)) task return per trial\(cached ? " (cached)" : "")"))
            })
            if let outcome { report(.note("learned fun: the search settled on \(search.spec(outcome.weights))")) }
        }

        let viewSize = c.scenarios[0].viewSize
        var groups: [AgentGroup] = []
        func spec(of setting: ExperimentConfiguration.FunSetting) throws -> FunSpec {
            switch setting.kind {
            case .fixed: return specs[setting.name] ?? FunSpec(terms: [])
            case .yoked: return FunSpec(terms: [])
            case .learned:
                guard let outcome, let learned = c.learned else { throw ExperimentError("the learned fun search did not run") }
                return LearnedFunSearch(configuration: learned, scenarios: c.scenarios(of: setting), training: c.training,
                                        validationSeed: c.validationSeed).spec(outcome.weights)
            }
        }
        /// Seed k's agent of `setting`; a yoked agent's key names its partner's (seed k of the partner arm, listed first).
        func job(_ setting: ExperimentConfiguration.FunSetting, _ k: Int) throws -> CellJob {
            let partner = try setting.yokedTo.map { name in
                guard let arm = c.fun.first(where: { $0.name == name }) else { throw ExperimentError("arm '\(setting.name)': no partner arm '\(name)'") }
                return try job(arm, k)
            }
            return CellJob(setting: setting, seedIndex: k, spec: try spec(of: setting), partner: partner, trainer: cellTrainer, configuration: c,
                           cells: folder.cells, recordsFun: c.fun.contains { $0.yokedTo == setting.name })
        }
        /// Seed k's agent of `setting`, finished when trained, and with its checkpoint unless its evaluation is recorded.
        func finished(_ setting: ExperimentConfiguration.FunSetting, _ k: Int, _ job: CellJob) throws -> (cell: TrainedCell, checkpoint: Checkpoint?)? {
            let fun = setting.yokedTo == nil ? try spec(of: setting) : Evaluator.yokedSpec
            let record = evaluationRecord(agent: setting.name, seedIndex: k, trainingKey: job.hash, fun: fun, scenarios: c.scenarios(of: setting))
            let evaluated = folder.record(AgentEvaluation.self, named: record.name)?.key == record.key
            return job.finished(folder: folder, analyseOnly: analyseOnly, evaluated: evaluated)
        }
        /// The agent a checkpoint holds; asked for only when an evaluation is computed, never under --analyse-only.
        func agent(_ name: String, _ checkpoint: Checkpoint?) -> any Agent {
            guard let checkpoint else { preconditionFailure("a cell without its checkpoint is finished only once evaluated, so its agent is never asked for") }
            return RecurrentAgent(name: name, policy: checkpoint.recurrentPolicy, parameters: checkpoint.parameters, viewSize: viewSize)
        }
        // Stems of the agents trained ahead of the loop below (with `jobs` > 1), which it then finds finished.
        var trainedAhead: Set<String> = []
        if jobs > 1 && !analyseOnly {
            // Every unfinished agent is trained first, `jobs` at a time (yoked ones after their partners), so the loop
            // below finds them all finished. Each is evaluated on its worker as soon as it is trained (a yoked one, which
            // replays its partner, in the loop), so a run killed later keeps what it finished without its checkpoint.
            var ahead = done
            for yoked in [false, true] {
                let arms = c.fun.filter { ($0.yokedTo != nil) == yoked }
                let pending = try arms.flatMap { setting in
                    try (1...c.seeds).compactMap { k in
                        let job = try job(setting, k)
                        return try finished(setting, k, job) == nil ? (setting: setting, k: k, job: job, spec: try spec(of: setting)) : nil
                    }
                }
                guard !arms.isEmpty else { continue }
                let finishedCount = arms.count * c.seeds - pending.count
                report(.note("\(yoked ? "yoked agents: " : "")\(finishedCount) finished in \(out), \(pending.count) to train"))
                ahead += finishedCount * c.training.steps
                try ConcurrentTraining(jobs: jobs, steps: c.training.steps, done: ahead).run(pending, label: \.job.label, report: report) { p, onUpdate in
                    let result = try p.job.train(folder: folder, onUpdate: onUpdate)
                    let trained = "\(p.job.label): trained \(c.training.steps) steps in \(String(format: "%.0f", result.cell.seconds)) s"
                    guard !yoked else { return trained }
                    let evaluator = Evaluator(scenarios: c.scenarios(of: p.setting), dynamics: c.dynamics, trials: c.evaluation.trials)
                    _ = try evaluate(folder: folder, evaluator: evaluator, name: p.setting.name, seedIndex: p.k, trainingKey: p.job.hash,
                                     fun: p.spec, report: { _ in }) { agent(p.setting.name, result.checkpoint) }
                    return trained + ", evaluated"
                }
                ahead += pending.count * c.training.steps
                trainedAhead.formUnion(pending.map(\.job.stem))
            }
        }
        // A cell's checkpoint is nil under --analyse-only, which reads the records alone and makes no agent, and where
        // the folder lacks it but holds the cell's evaluation, which is then read, not computed.
        var trainedCells: [String: [Int: (tape: String, checkpoint: Checkpoint?, spec: FunSpec)]] = [:]
        for (settingIndex, setting) in c.fun.enumerated() {
            let spec = try spec(of: setting)
            var group = AgentGroup(name: setting.name, fun: spec.description, isBaseline: false, training: [], evaluations: [])
            let scenarios = c.scenarios(of: setting)
            let evaluator = Evaluator(scenarios: scenarios, dynamics: c.dynamics, trials: c.evaluation.trials)
            for k in 1...c.seeds {
                let job = try job(setting, k)
                var partner: (tape: String, checkpoint: Checkpoint?, spec: FunSpec)?
                if let name = setting.yokedTo {
                    guard let found = trainedCells[name]?[k] else { throw ExperimentError("arm '\(setting.name)': its partner '\(name)' seed \(k) was not trained first") }
                    partner = found
                }
                let hash = job.hash
                var cell: TrainedCell?
                var checkpoint: Checkpoint?
                if let finished = try finished(setting, k, job) {
                    (cell, checkpoint) = finished
                    done += c.training.steps
                    if trainedAhead.contains(job.stem) {
                        trainedNow += 1
                    } else {
                        reused += 1
                        let how = analyseOnly ? "reading \(job.stem).json"
                            : checkpoint == nil ? "reusing the record and evaluation of \(job.stem) (its checkpoint is not here)"
                            : "reusing the trained agent in \(job.stem).pgck"
                        report(.note("\(setting.name) seed \(k): " + how))
                    }
                } else {
                    if analyseOnly { throw missing(job.stem + ".json") }
                    let base = done
                    let number = settingIndex * c.seeds + k
                    let result = try job.train(folder: folder) { m in
                        let left = Double(c.training.steps - m.environmentSteps) / max(m.stepsPerSecond, 1)
                        report(.progress(done: base + m.environmentSteps, rate: m.stepsPerSecond,
                                         detail: "\(job.label)  task \(format(m.meanTaskReturn))",
                                         agent: AgentProgress(number: number, count: cells, secondsLeft: left)))
                    }
                    (cell, checkpoint) = (result.cell, result.checkpoint)
                    trainedNow += 1
                    done = base + c.training.steps
                    report(.note("\(job.label): trained \(c.training.steps) steps in \(String(format: "%.0f", result.cell.seconds)) s"))
                }
                guard let cell else { continue }
                group.training.append(cell)
                trainedCells[setting.name, default: [:]][k] = (job.tapePath, checkpoint, spec)
                // A yoked agent is evaluated as it trained: its fun, step by step, is what its partner received at that
                // step of its own run on the same held-out MDPs.
                let yoke = partner.map { p in Evaluator.Partner(fun: p.spec) { agent("partner", p.checkpoint) } }
                let evaluation = try evaluate(folder: folder, evaluator: evaluator, name: setting.name, seedIndex: k,
                                              trainingKey: hash, fun: yoke == nil ? spec : Evaluator.yokedSpec, partner: yoke, report: report) {
                    agent(setting.name, checkpoint)
                }
                group.evaluations.append(evaluation)
            }
            groups.append(group)
        }
        let evaluator = Evaluator(scenarios: c.scenarios, dynamics: c.dynamics, trials: c.evaluation.trials)
        for baseline in c.evaluation.baselines {
            var group = AgentGroup(name: baseline, fun: "none", isBaseline: true, training: [], evaluations: [])
            for k in 1...c.seeds {
                group.evaluations.append(try evaluate(folder: folder, evaluator: evaluator, name: baseline, seedIndex: k,
                                                      trainingKey: baseline, fun: FunSpec(terms: []), report: report) {
                    baseline == "random" ? RandomAgent() as any Agent : GreedyAgent() as any Agent
                })
            }
            groups.append(group)
        }
        // The overlap of evaluated with trained MDPs, for every scenario an arm is evaluated on (once per scenario list).
        report(.note("measuring the overlap of evaluation with training MDPs (\(MDPOverlap.trialsPerRow) trials × \(c.training.envs) environments × \(c.seeds) seeds per scenario list)"))
        var overlaps: [MDPOverlap] = []
        var measured: [[FamilyID]] = []
        for list in [c.scenarios] + c.fun.compactMap(\.scenarios) where !measured.contains(list.map(FamilyID.init)) {
            measured.append(list.map(FamilyID.init))
            do {
                for o in try MDPOverlap.measure(scenarios: list, seeds: c.seeds, firstSeed: c.firstSeed, envs: c.training.envs, evaluationBase: c.evaluation.seed,
                                                evaluationTrials: c.evaluation.trials) where !overlaps.contains(where: { $0.scenario == o.scenario }) {
                    overlaps.append(o)
                }
            } catch { throw ExperimentError(error.message) }
        }
        var results = ExperimentResults(configuration: c, groups: groups, learned: outcome, trainedNow: trainedNow, reused: reused,
                                        seconds: clock.seconds(since: .zero), command: command)
        results.calibrations = calibrations
        results.overlaps = overlaps
        if analyseOnly { results.recordedRun = RunProvenance.recorded(in: folder) }
        try ExperimentReport(results: results).write(to: folder)
        if analyseOnly {
            try folder.record(configurationText: c.sourceText, preregistration: c.preregistration)
            if writesDesign { try folder.write(text: design, to: out + "/DESIGN.md") }
        }
        report(.note("wrote \(out)/" + ExperimentReport.files.joined(separator: ", ")))
        return results
    }

    /// Identifies an evaluation: the agent, the evaluation scenarios and dynamics, the trials and seeds.
    struct EvaluationKey: Codable {
        var agent: String
        var seedIndex: Int
        var fun: String
        var scenarios: [FamilyID]
        var dynamics: [String]
        var trials: Int
        var seed: UInt64
        var version = 3  // 3: effective play by episode and recovery after a change
    }

    /// The file name and key of an agent's evaluation record.
    func evaluationRecord(agent: String, seedIndex k: Int, trainingKey: String, fun: FunSpec, scenarios: [Scenario]) -> (name: String, key: String) {
        let c = configuration
        let key = stableHash(EvaluationKey(
            agent: trainingKey, seedIndex: k, fun: fun.description,
            scenarios: scenarios.map(FamilyID.init),
            dynamics: c.dynamics.map(\.key),
            trials: c.evaluation.trials, seed: c.evaluation.seed))
        return ("eval-\(fileSafe(agent))-s\(k)-\(key).json", key)
    }

    func evaluate(folder: ResultsFolder, evaluator: Evaluator, name agent: String, seedIndex k: Int, trainingKey: String, fun: FunSpec,
                  partner: Evaluator.Partner? = nil, report: (ExperimentEvent) -> Void, makeAgent: () -> any Agent) throws -> AgentEvaluation {
        let c = configuration
        let (name, key) = evaluationRecord(agent: agent, seedIndex: k, trainingKey: trainingKey, fun: fun, scenarios: evaluator.scenarios)
        if let cached = folder.record(AgentEvaluation.self, named: name), cached.key == key { return cached }
        if analyseOnly { throw missing(name) }
        report(.note("evaluating \(agent) seed \(k) on held-out MDPs under \(c.dynamics.map(\.name).joined(separator: ", "))"))
        let evaluation = try evaluator.evaluate(key: key, base: c.evaluation.seed, seedIndex: k, fun: fun, partner: partner,
                                                makeAgent: makeAgent) { _ in }
        try folder.save(evaluation, named: name)
        return evaluation
    }
}

func format(_ x: Double) -> String { x.isFinite ? String(format: "%.3f", x) : "-" }

func fileSafe(_ name: String) -> String {
    String(name.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" })
}

