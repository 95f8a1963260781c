import ArgumentParser
import Foundation
import GridWorld
import Measurements
import ScenarioFiles

/// `playgrid bench`: how fast the engine runs on this machine.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure engine speed: steps per second per scenario, single-core and batched.")

    @Flag(help: "Print one JSON object.")
    var json = false

    @Option(help: "Seconds to spend on each measurement.")
    var seconds: Double = 0.6

    func run() throws {
        try reportingFailures {
            let names = ScenarioCatalog.names()
            guard !names.isEmpty else { throw CommandFailure("cannot find the shipped scenarios; set PLAYGRID_HOME") }
            var single: [String: Double] = [:]
            for name in names {
                single[name] = try WorldBenchmark.singleCore(try ScenarioCatalog.load(name), seconds: seconds)
                if !json { print(String(format: "%-14@ %12.0f steps/s (one core, random actions, resets and observations)", name as NSString, single[name]!)) }
            }
            let batchedRate = try WorldBenchmark.batched(try ScenarioCatalog.load("open-field"), count: 64, seconds: seconds)
            if !json { print(String(format: "%-14@ %12.0f steps/s (batch of 64, one core)", "open-field" as NSString, batchedRate)) }
            let tapes = try TapeBenchmark.run(try ScenarioCatalog.load("rock-garden"), seconds: seconds)
            if !json { print(Bench.describe(tapes)) }
            if json {
                let tapeObject = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(tapes))
                let object: [String: Any] = [
                    "world_steps_per_second": single,
                    "world_batched_steps_per_second": ["open-field": batchedRate, "batch": 64],
                    "tapes": tapeObject,
                ]
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            }
        }
    }

    static func describe(_ t: TapeBenchmark.Report) -> String {
        [
            String(format: "tapes (%@): recording overhead %.1f%% with the random agent (%.0f steps/s recorded vs %.0f plain), %.1f%% with the player; closing a tape %.1f ms",
                   t.scenario, t.recording_overhead * 100, t.recording_steps_per_second, t.run_steps_per_second,
                   t.recording_overhead_player * 100, t.close_ms),
            String(format: "tapes: seek to a random step of a %d-step tape: median %.3f ms, p90 %.3f ms (= %.0f world steps); open %.0f ms",
                   t.seek_tape_steps, t.seek_median_ms, t.seek_p90_ms, t.seek_in_world_steps, t.open_ms),
            String(format: "tapes: %.2f bytes/step, %.2f with agent outputs; asciicast of the same run %.0f bytes/step (%.0f× the tape)",
                   t.bytes_per_step, t.bytes_per_step_with_outputs, t.asciicast_bytes_per_step, t.asciicast_to_tape_ratio),
        ].joined(separator: "\n")
    }
}
