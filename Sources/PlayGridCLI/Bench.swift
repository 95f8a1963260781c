import ArgumentParser
import Foundation
import GridWorld
import Measurements
import MetaRL
import Records
import ScenarioFiles
import ShippedFiles
import Terminal
import Views

/// `playgrid bench`: how fast the engine runs on this machine.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure speed: world steps per scenario (one core and batched), fun models, MFEC at 100k keys, tapes, the screen, and training.")

    @Flag(help: "Print one JSON object.")
    var json = false

    @Option(help: "Seconds to spend on each measurement.")
    var seconds: Double = 0.6

    /// Each measurement runs for `seconds`: no time measures nothing, and a time that is not finite traps where a
    /// measurement turns it into a count.
    func validate() throws {
        guard seconds > 0 && seconds.isFinite else { throw ValidationError("--seconds must be a positive number, found \(seconds)") }
    }

    func run() throws {
        try reportingFailures {
            let names = try ScenarioCatalog.names()
            var single: [String: Double] = [:]
            for name in names {
                single[name] = try WorldBenchmark.singleCore(try ScenarioCatalog.load(name), seconds: seconds)
                if !json { print(Bench.line(name, single[name]!, "one core, random actions, resets and observations")) }
            }
            let batchedRate = try WorldBenchmark.batched(try ScenarioCatalog.load("open-field"), count: 64, seconds: seconds)
            if !json { print(Bench.line("open-field", batchedRate, "batch of 64 worlds, one core")) }
            let funScenario = "rock-garden"
            let fun = try FunBenchmark.run(try ScenarioCatalog.load(funScenario), seconds: seconds / 2)
            if !json {
                print("fun cost on \(funScenario): time per step with the model ÷ bare world step (\(Int(fun.worldStepsPerSecond)) steps/s)")
                for (name, ratio) in fun.costRatio.sorted(by: { $0.value < $1.value }) {
                    print("  " + name.padding(toLength: 18, withPad: " ", startingAt: 0) + String(format: "%8.1f×", ratio))
                }
            }
            let episodic = try EpisodicBenchmark.run(try ScenarioCatalog.load("four-rooms"), stranger: try ScenarioCatalog.load("open-field"), seconds: seconds)
            if !json {
                print(String(format: "mfec with %d stored keys (four-rooms), one core: %.0f decisions/s walking four-rooms, %.0f in open-field (every read a k-NN search; the index %.1f× the scan's speed)",
                             episodic.storedKeys, episodic.decisionsPerSecond, episodic.decisionsPerSecondAllScans, episodic.nearestIndexSpeedup))
            }
            let tapes = try TapeBenchmark.run(try ScenarioCatalog.load("rock-garden"), seconds: seconds)
            if !json { print(Bench.describe(tapes)) }
            let theme = try Theme.load(named: "unicode", in: try ShippedFolder.locate(ShippedFolder.themes).url)
            let views = try ViewsBenchmark.run(theme: theme, cheap: try ScenarioCatalog.load("rock-garden"), seconds: seconds)
            let terminal = "\(views.terminal.width)x\(views.terminal.height)"
            let map = "\(views.map.width)x\(views.map.height)"
            if !json {
                print("screen on a \(terminal) terminal, \(map) map, scripted player with delight:")
                print(String(format: "  compose a full frame     %8.3f ms   (target ≤ 1 ms)", views.composeMilliseconds))
                print(String(format: "  watch at full speed      %8.0f steps/s = %.2f× headless %.0f steps/s (target ≥ 0.5×)",
                             views.watchStepsPerSecond, views.watchRatio, views.headlessStepsPerSecond))
                print(String(format: "  random agent, rock-garden %7.0f steps/s = %.2f× headless %.0f steps/s",
                             views.cheapWatchStepsPerSecond, views.cheapWatchRatio, views.cheapHeadlessStepsPerSecond))
                print(String(format: "  frames while at full speed %6.1f per second (target ≥ 30)", views.watchFramesPerSecond))
                print(String(format: "  key to frame latency     %8.1f ms median, %.1f ms max (target ≤ 50 ms)",
                             views.keyLatencyMedianMilliseconds, views.keyLatencyMaxMilliseconds))
            }
            var peer = TrainingBenchmark.Options()
            peer.measureSeconds = max(0.5, seconds * 2)
            let training = try TrainingBenchmark.run(peer)
            let grid = try GridTrainingBenchmark.run(try ScenarioCatalog.load("rock-garden"), seconds: max(0.5, seconds * 2))
            let trainingTapes = try TrainingTapesBenchmark.run(try ScenarioCatalog.load("rock-garden"))
            if !json {
                print("training (A2C, GRU 128, batch 64, 128-step rollouts, BPTT through all of them):")
                for run in training.runs {
                    print(String(format: "  PyTorch peer's shapes, %d thread%@  %8.0f env-steps/s", run.threads, run.threads == 1 ? " " : "s",
                                 run.trainEnvironmentStepsPerSecond))
                }
                print(String(format: "  no-grad rollout, 1 thread       %8.0f env-steps/s; peak memory %.0f MiB",
                             training.inferenceEnvironmentStepsPerSecond, training.peakMemoryMiB))
                for (threads, rate) in grid.sorted(by: { $0.key < $1.key }) {
                    print(String(format: "  rock-garden with delight, %d thread%@ %7.0f env-steps/s", threads, threads == 1 ? " " : "s", rate))
                }
                let t = trainingTapes
                print(String(format: "  train --tapes on %@: %.1f%% CPU with a snapshot every %d updates (%.0f ms a snapshot, %.0f ms an update); %.2f%% at the default every %d (target ≤ 5%%)",
                             t.scenario, t.overheadMeasured * 100, t.measuredEvery, t.snapshotSeconds * 1000, t.updateSeconds * 1000,
                             t.overheadAtDefault * 100, t.defaultEvery))
            }
            if json {
                func rates(_ values: [String: Double]) -> JSONValue { .object(values.mapValues { .number($0) }) }
                let report: JSONValue = [
                    "screen_compose_ms_\(terminal)_map_\(map)": .number(views.composeMilliseconds),
                    "watch_full_speed_vs_headless_ratio_\(terminal)": .number(views.watchRatio),
                    "watch_full_speed_steps_per_second_\(terminal)": .number(views.watchStepsPerSecond),
                    "watch_headless_steps_per_second": .number(views.headlessStepsPerSecond),
                    "watch_random_rock_garden_vs_headless_ratio_\(terminal)": .number(views.cheapWatchRatio),
                    "watch_random_rock_garden_steps_per_second_\(terminal)": .number(views.cheapWatchStepsPerSecond),
                    "watch_frames_per_second_\(terminal)": .number(views.watchFramesPerSecond),
                    "watch_key_latency_ms_\(terminal)": ["median": .number(views.keyLatencyMedianMilliseconds),
                                                         "max": .number(views.keyLatencyMaxMilliseconds)],
                    "world_steps_per_second": rates(single),
                    "world_batched_steps_per_second": ["open-field": .number(batchedRate), "batch": .number(64)],
                    "fun_cost_ratio": rates(fun.costRatio),
                    "fun_cost_scenario": .string(funScenario),
                    "fun_cost_baseline_steps_per_second": .number(fun.worldStepsPerSecond),
                    "tapes": .record(tapes),
                    "mfec_decisions": .record(episodic),
                    "training_peer_shapes_env_steps_per_second": rates(Dictionary(uniqueKeysWithValues: training.runs.map {
                        ("threads_\($0.threads)", $0.trainEnvironmentStepsPerSecond) })),
                    "training_peer_shapes_rollout_no_grad_env_steps_per_second": .number(training.inferenceEnvironmentStepsPerSecond),
                    "training_peak_memory_mib": .number(training.peakMemoryMiB),
                    "training_gridworld_env_steps_per_second": rates(Dictionary(uniqueKeysWithValues: grid.map { ("threads_\($0.key)", $0.value) })),
                    "training_tapes": .record(trainingTapes),
                ]
                print(try StableJSON.string(report))
            }
        }
    }

    static func describe(_ t: TapeBenchmark.Report) -> String {
        [
            String(format: "tapes (%@): recording overhead %.1f%% with the random agent (%.0f steps/s recorded vs %.0f plain), %.1f%% with the player; closing a tape %.1f ms",
                   t.scenario, t.recordingOverhead * 100, t.recordingStepsPerSecond, t.runStepsPerSecond,
                   t.recordingOverheadPlayer * 100, t.closeMs),
            String(format: "tapes: seek to a random step of a %d-step tape: median %.3f ms, p90 %.3f ms (= %.0f world steps); open %.0f ms",
                   t.seekTapeSteps, t.seekMedianMs, t.seekP90Ms, t.seekInWorldSteps, t.openMs),
            String(format: "tapes: %.2f bytes/step, %.2f with agent outputs; asciicast of the same run %.0f bytes/step (%.0f× the tape)",
                   t.bytesPerStep, t.bytesPerStepWithOutputs, t.asciicastBytesPerStep, t.asciicastToTapeRatio),
        ].joined(separator: "\n")
    }
}

extension Bench {
    static func line(_ name: String, _ rate: Double, _ what: String) -> String {
        name.padding(toLength: 16, withPad: " ", startingAt: 0) + String(format: "%14.0f", rate) + " steps/s  (\(what))"
    }
}
