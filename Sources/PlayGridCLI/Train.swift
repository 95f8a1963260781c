import ArgumentParser
import Clocks
import Foundation
import Fun
import GridWorld
import MetaAgents
import MetaRL
import Plots
import Tapes
import ScenarioFiles

/// `playgrid train`: meta-train the recurrent agent (RL²) over a distribution of scenarios.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Meta-train the recurrent agent (RL²) over scenarios; writes a checkpoint, a learning curve (CSV) and its plot (SVG).")

    @Argument(help: "Scenarios whose MDPs make the training distribution (names or paths).")
    var scenarios: [String] = ["rock-garden", "key-door", "four-rooms", "shifting-goal"]

    @Option(help: "Checkpoint to write (also NAME.curve.csv and NAME.curve.svg beside it).")
    var out: String

    @Option(help: "Environment steps to train for.")
    var steps: Int = 2_000_000

    @Option(help: "Environments stepped together.")
    var envs: Int = 64

    @Option(help: "Threads the batch is split across (results are deterministic per seed and thread count).")
    var threads: Int = 2

    @Option(help: "Fun models and weights, e.g. delight=1,novelty=0.1 (none for no fun).")
    var fun: String = FunSpec.standard.description

    @Option(help: "Seed of the run.")
    var seed: UInt64 = 1

    @Option(help: "GRU size.")
    var hidden: Int = 128

    @Option(help: "Steps per rollout segment (BPTT length); default from the gridworld recipe.")
    var rolloutLength: Int?

    @Option(help: "Entropy bonus weight; default from the gridworld recipe.")
    var entropy: Float?

    @Option(help: "Optimisation passes per segment: 1 is A2C, more is PPO; default from the gridworld recipe.")
    var epochs: Int?

    @Option(help: "Adam learning rate; default from the gridworld recipe.")
    var learningRate: Float?

    @Option(help: "Discount γ; default from the gridworld recipe.")
    var discount: Float?

    @Flag(help: "Continue from the checkpoint at --out.")
    var resume = false

    @Flag(help: "Overwrite an existing checkpoint.")
    var force = false

    func validate() throws {
        if steps < 1 { throw ValidationError("--steps must be at least 1") }
        if envs < 1 || envs > 4096 { throw ValidationError("--envs must be from 1 to 4096") }
        if threads < 1 || threads > envs { throw ValidationError("--threads must be from 1 to --envs") }
        if hidden < 4 || hidden > 1024 { throw ValidationError("--hidden must be from 4 to 1024") }
        if resume && force { throw ValidationError("--resume continues the checkpoint; --force would overwrite it: give one") }
    }

    func run() throws {
        try reportingFailures {
            let loaded = try scenarios.map { try ScenarioCatalog.load($0) }
            let spec = try FunSpec(parsing: fun)
            let environment = try GridMetaEnvironment(scenarios: loaded, funSpec: spec, batchSize: envs)
            let identity = TrainingIdentity(scenarios: loaded.map(ScenarioID.init),
                                            fun: spec.description, seed: seed, envs: envs, threads: threads)
            let trainer: Trainer<GridMetaEnvironment>
            if resume {
                let checkpoint = try Checkpoint.read(from: out)
                let saved = try TrainingIdentity.decode(checkpoint.userConfiguration, path: out)
                guard saved.scenarios == identity.scenarios && saved.fun == identity.fun else {
                    throw CommandFailure("\(out): was trained on \(saved.summary); --resume needs the same scenarios (same files) and fun")
                }
                trainer = try checkpoint.makeTrainer(environment: environment)
            } else {
                if FileManager.default.fileExists(atPath: out) && !force {
                    throw CommandFailure("\(out) exists; pass --force to overwrite it or --resume to continue it")
                }
                var configuration = TrainerConfiguration.gridworld(seed: seed, threads: threads)
                if let rolloutLength { configuration.rolloutLength = rolloutLength }
                if let entropy { configuration.coefficients.entropy = entropy }
                if let epochs { configuration.epochs = epochs }
                if let learningRate { configuration.learningRate = learningRate }
                if let discount { configuration.discount = discount }
                let policy = RecurrentPolicy(PolicyConfiguration(for: environment, hiddenSize: hidden))
                trainer = try .gridworld(environment: environment, policy: policy, configuration: configuration)
            }
            try TrainingRun(trainer: trainer, identity: identity, out: out, steps: steps).go()
        }
    }
}

/// What a checkpoint was trained on, stored in it so `--resume` and `run --agent` can check.
struct TrainingIdentity: Codable, Equatable {
    var scenarios: [ScenarioID]
    var fun: String
    var seed: UInt64
    var envs: Int
    var threads: Int
    var tool = TapeFormat.toolVersion

    var summary: String { scenarios.map(\.name).joined(separator: ", ") + " with fun " + fun }

    func encoded() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    static func decode(_ text: String, path: String) throws -> TrainingIdentity {
        guard let value = try? JSONDecoder().decode(TrainingIdentity.self, from: Data(text.utf8)) else {
            throw CommandFailure("\(path): not a PlayGrid training checkpoint (no scenario record)")
        }
        return value
    }
}

/// The training loop's edges: progress on stderr, the learning curve, periodic atomic checkpoints.
struct TrainingRun {
    let trainer: Trainer<GridMetaEnvironment>
    let identity: TrainingIdentity
    let out: String
    let steps: Int

    var curvePath: String { out + ".curve.csv" }
    var plotPath: String { out + ".curve.svg" }

    func go() throws {
        var curve = try LearningCurve(path: curvePath, appending: trainer.updateCount > 0)
        let start = trainer.environmentSteps
        let clock = SystemClock()
        let began = clock.now
        var lastSave = began
        var bar = ProgressBar(total: steps)
        var playBase = (trainer.environment.playSteps, trainer.environment.steps)
        let target = start + steps
        while trainer.environmentSteps < target {
            let m: TrainingMetrics
            do {
                m = try trainer.step()
            } catch {
                save()
                bar.finish()
                throw CommandFailure("training stopped: \(error); the last good parameters are saved in \(out)")
            }
            let env = trainer.environment
            let playRatio = Double(env.playSteps - playBase.0) / Double(max(1, env.steps - playBase.1))
            playBase = (env.playSteps, env.steps)
            curve.append(m, playRatio: playRatio)
            bar.update(done: m.environmentSteps - start, rate: m.stepsPerSecond,
                       detail: String(format: "task %.3f  fun %.3f  play %.2f", m.meanTaskReturn.isNaN ? 0 : m.meanTaskReturn,
                                      m.meanFunReturn.isNaN ? 0 : m.meanFunReturn, playRatio))
            if (clock.now - lastSave) > .seconds(30) {
                lastSave = clock.now
                save()
            }
        }
        save()
        bar.finish()
        try curve.close()
        try Data(curve.plot(title: "meta-training on " + identity.scenarios.map(\.name).joined(separator: ", ")).utf8)
            .write(to: URL(fileURLWithPath: plotPath), options: .atomic)
        let elapsed = (clock.now - began).components.seconds
        printError("trained \(trainer.environmentSteps - start) steps in \(elapsed) s; wrote \(out), \(curvePath), \(plotPath)")
    }

    func save() {
        do {
            try Checkpoint(trainer: trainer, userConfiguration: identity.encoded()).write(to: out)
        } catch {
            printError("playgrid: could not save \(out): \(error)")
        }
    }
}

/// The learning curve as CSV, appended per update and flushed, so a killed run keeps what it learned.
struct LearningCurve {
    let handle: FileHandle
    var rows: [(steps: Double, task: Double, fun: Double, play: Double)] = []

    static let header = "update,env_steps,episodes,task_return,fun_return,trial_return,play_ratio,steps_per_second,entropy,grad_norm\n"

    init(path: String, appending: Bool) throws {
        if !appending || !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: Data(Self.header.utf8)) else {
                throw CommandFailure("\(path): cannot be written")
            }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { throw CommandFailure("\(path): cannot be written") }
        handle.seekToEndOfFile()
        self.handle = handle
        if appending, let text = try? String(contentsOfFile: path, encoding: .utf8) {
            for line in text.split(separator: "\n").dropFirst() {
                let f = line.split(separator: ",").map { Double($0) ?? .nan }
                if f.count >= 7 { rows.append((f[1], f[3], f[4], f[6])) }
            }
        }
    }

    mutating func append(_ m: TrainingMetrics, playRatio: Double) {
        let line = [String(m.update), String(m.environmentSteps), String(m.episodes), fmt(m.meanTaskReturn), fmt(m.meanFunReturn),
                    fmt(m.meanTrialReturn), fmt(playRatio), fmt(m.stepsPerSecond), fmt(Double(m.loss.entropy)), fmt(m.gradientNorm)]
            .joined(separator: ",") + "\n"
        handle.write(Data(line.utf8))
        rows.append((Double(m.environmentSteps), m.meanTaskReturn, m.meanFunReturn, playRatio))
    }

    func fmt(_ x: Double) -> String { x.isFinite ? String(format: "%.5g", x) : "" }

    func close() throws { try handle.close() }

    /// Task return, fun return and play ratio against environment steps, smoothed over a trailing window of
    /// 1% of the run and drawn at most ~500 points a line (a long run logs ~10k updates; more points would only
    /// make the file larger, not the curve finer).
    func plot(title: String) -> String {
        let window = max(1, rows.count / 100)
        let every = max(1, rows.count / 500)
        let shown = rows.indices.filter { $0 % every == 0 || $0 == rows.count - 1 }
        func smoothed(_ values: [Double], at i: Int) -> Double {
            let recent = values[max(0, i - window)...i].filter(\.isFinite)
            return recent.isEmpty ? .nan : recent.reduce(0, +) / Double(recent.count)
        }
        func series(_ name: String, _ values: [Double]) -> LinePlot.Series {
            LinePlot.Series(name: name, points: shown.map { (x: rows[$0].steps, y: smoothed(values, at: $0)) })
        }
        return LinePlot(title: title, xLabel: "environment steps", yLabel: "per episode",
                        series: [series("task return", rows.map(\.task)), series("fun return", rows.map(\.fun)),
                                 series("play ratio", rows.map(\.play))]).svg
    }
}
