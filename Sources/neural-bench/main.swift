import ArgumentParser
import CommandLineErrors
import Foundation
import Experiments
import Measurements
import MetaRL
import Records
import ScenarioFiles

/// `neural-bench`: the meta-learning checks at full budget and the learner's raw speed, each printing one line
/// of JSON (progress goes to stderr).
struct NeuralBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "neural-bench",
        abstract: "Meta-learning checks (RL² on bandits and tabular MDPs) and training throughput; prints one line of JSON.",
        subcommands: [Speed.self, Meta.self, Evaluate.self, Episodic.self, Recall.self],
        defaultSubcommand: Speed.self)
}

/// The RL² check families.
enum Family: String, ExpressibleByArgument, CaseIterable {
    case bandit, tabular
}

extension NeuralBench {
    struct Speed: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Training throughput on the PyTorch peer's shapes.")

        @Argument(help: "Seconds to measure each setting for.")
        var seconds: Double?

        func validate() throws {
            if let seconds, !(seconds > 0) { throw ValidationError("seconds must be a positive number, got \(seconds)") }
        }

        func run() throws {
            var options = TrainingBenchmark.Options()
            if let seconds { options.measureSeconds = seconds }
            print(try StableJSON.string(try TrainingBenchmark.run(options)))
        }
    }

    struct Meta: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Meta-train on a family, then evaluate on 1000 held-out trials against random play.")

        @Argument(help: "bandit (5 levers, 10 pulls) or tabular (10 states, 5 actions, 10 episodes of 10).")
        var family: Family

        @Argument(help: "Environment steps to train for.")
        var steps: Int

        @Argument(help: "Threads the batch is split across.")
        var threads: Int = 1

        @Argument(help: "A checkpoint to save every 100 updates and resume from when it exists.")
        var checkpoint: String?

        func validate() throws {
            if steps < 1 || steps > TrainerConfiguration.mostSteps {
                throw ValidationError("steps must be from 1 to \(TrainerConfiguration.mostSteps), got \(steps)")
            }
            if threads < 1 { throw ValidationError("threads must be at least 1, got \(threads)") }
        }

        func run() throws {
            let schedule = checkpoint.map { MetaLearningCheck.CheckpointSchedule(path: $0, everyUpdates: 100) }
            let report: (TrainingMetrics) -> Bool = { m in
                if m.update % 100 == 0 {
                    writeToStandardError(String(format: "update %d steps %d trial return %.2f sps %.0f\n",
                        m.update, m.environmentSteps, m.meanTrialReturn, m.stepsPerSecond))
                }
                return true
            }
            let outcome = switch family {
            case .bandit: try MetaLearningCheck.leverBandit(steps: steps, threads: threads, checkpoint: schedule, progress: report)
            case .tabular: try MetaLearningCheck.tabularMDP(steps: steps, threads: threads, checkpoint: schedule, progress: report)
            }
            print(try StableJSON.string(outcome))
        }
    }

    struct Evaluate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Evaluate a saved check on the same held-out trials.")

        @Argument(help: "bandit or tabular.")
        var family: Family

        @Argument(help: "The checkpoint to evaluate.")
        var checkpoint: String

        func run() throws {
            let saved = try Checkpoint.read(from: checkpoint)
            guard let result = try MetaLearningCheck.evaluate(checkpoint: saved, family: family.rawValue) else {
                throw ValidationError("no evaluation for family \(family.rawValue)")
            }
            print(try StableJSON.string(["environmentSteps": Double(saved.environmentSteps), "trained": result.trained.mean,
                                         "trainedStandardError": result.trained.standardError, "random": result.random.mean]))
        }
    }
}

extension NeuralBench {
    struct Episodic: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The episodic minds' check: mfec, nec, q and greedy on a scenario over seeds; median task return by episode.")

        @Argument(help: "A shipped scenario's name or a path to a scenario file.")
        var scenario: String = "room-9"

        @Option(help: "Seeds 1 to this.")
        var seeds: UInt64 = 10

        @Option(help: "Episodes per run.")
        var episodes: Int = 40

        @Option(help: "Write the curves as an SVG chart here.")
        var svg: String?

        func validate() throws {
            if seeds < 1 || seeds > 10_000 { throw ValidationError("--seeds must be from 1 to 10000, found \(seeds)") }
            if episodes < 1 { throw ValidationError("--episodes must be at least 1") }
        }

        func run() throws {
            let report = try EpisodicCurves.run(try ScenarioCatalog.load(scenario), seeds: Array(1...seeds), episodes: episodes)
            if let svg { try AtomicFile.write(text: EpisodicCurves.svg(report), to: svg) }
            print(try StableJSON.string(report))
        }
    }
}

extension NeuralBench {
    struct Recall: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The recall check: the episodic LSTM and the RL² GRU trained on the recurring-context bandit with the same budget; first-pull accuracy on held-out pools.")

        @Argument(help: "Environment steps to train each agent for.")
        var steps: Int = 3_000_000

        @Argument(help: "Threads the batch is split across.")
        var threads: Int = 1

        @Option(help: "Training seed (held-out pools come from another seed derived from it).")
        var seed: UInt64 = 1

        func validate() throws {
            if steps < 1 || steps > TrainerConfiguration.mostSteps {
                throw ValidationError("steps must be from 1 to \(TrainerConfiguration.mostSteps), got \(steps)")
            }
            if threads < 1 { throw ValidationError("threads must be at least 1, got \(threads)") }
        }

        func run() throws {
            var outcomes: [MetaLearningCheck.RecallOutcome] = []
            for core in [RecurrentCore.episodicLSTM, .gru] {
                let report: (TrainingMetrics) -> Bool = { m in
                    if m.update % 500 == 0 {
                        writeToStandardError(String(format: "%@ update %d steps %d trial return %.2f sps %.0f\n",
                            core.rawValue, m.update, m.environmentSteps, m.meanTrialReturn, m.stepsPerSecond))
                    }
                    return true
                }
                outcomes.append(try MetaLearningCheck.recurringContexts(core: core, steps: steps, threads: threads, seed: seed,
                                                                        progress: report))
            }
            let levers = RecurringContextBandit(batchSize: 1).levers
            print(try StableJSON.string(["chance": .number(1 / Double(levers)), "recall": .record(outcomes[0]),
                                         "rl2": .record(outcomes[1])] as JSONValue))
        }
    }
}

NeuralBench.mainReportingOneLine()
