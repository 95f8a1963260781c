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
                if !json { print(Bench.line(name, single[name]!, "one core, random actions, resets and observations")) }
            }
            let batchedRate = try WorldBenchmark.batched(try ScenarioCatalog.load("open-field"), count: 64, seconds: seconds)
            if !json { print(Bench.line("open-field", batchedRate, "batch of 64 worlds, one core")) }
            if json {
                let object: [String: Any] = [
                    "world_steps_per_second": single,
                    "world_batched_steps_per_second": ["open-field": batchedRate, "batch": 64],
                ]
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            }
        }
    }
}

extension Bench {
    static func line(_ name: String, _ rate: Double, _ what: String) -> String {
        name.padding(toLength: 16, withPad: " ", startingAt: 0) + String(format: "%14.0f", rate) + " steps/s  (\(what))"
    }
}
