import ArgumentParser
import Experiments
import Foundation
import GridWorld
import ScenarioFiles
import Tapes

/// `playgrid scenarios list|show|validate`.
struct Scenarios: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, show and validate scenario files.",
        subcommands: [List.self, Show.self, Validate.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the shipped scenarios.")

        func run() throws {
            try reportingFailures {
                let names = try ScenarioCatalog.names()
                let width = names.map(\.count).max() ?? 0
                for name in names {
                    let summary = (try? ScenarioCatalog.load(name).summary) ?? "(does not load: run scenarios validate)"
                    print(name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + summary)
                }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Describe a scenario and draw one MDP from it.")

        @Argument(help: "A shipped scenario's name or a path.")
        var scenario: String

        @Option(help: "Seed of the MDP to draw.")
        var seed: UInt64 = 1

        @Option(help: "Trials to draw for the family's variety: distinct MDPs among them, and how many of as many fresh trials were met among them (0: skip; at most \(Show.mostVariety), which takes minutes).")
        var variety: Int = 2000

        /// The most trials `--variety` draws: their fingerprints are held in memory, so a mistyped huge count
        /// would otherwise die allocating them instead of saying what is wrong.
        static let mostVariety = 10_000_000

        func validate() throws {
            guard (0...Show.mostVariety).contains(variety) else {
                throw ValidationError("--variety must be from 0 to \(Show.mostVariety), found \(variety)")
            }
        }

        func run() throws {
            try reportingFailures {
                let s = try ScenarioCatalog.load(scenario)
                let level = try s.sample(seed: seed)
                print(s.summary.isEmpty ? s.name : "\(s.name): \(s.summary)")
                print("task: \(s.task.sentence)")
                print("play: \(PlayAction.allCases.filter { s.play.contains($0) && $0 != .none }.map(\.name).joined(separator: ", "))")
                let delight = s.delight.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.name) \($0.value)" }
                print("delight: \(delight.isEmpty ? "none" : delight.joined(separator: ", "))")
                switch s.coupling {
                case .exclusive: print("coupling: exclusive (play takes the turn)")
                case .simultaneous(let energy, let cost, let gain):
                    print("coupling: simultaneous (energy \(energy), play costs \(cost), rest gives \(gain))")
                }
                print("episode: \(s.maxSteps) steps; trial: \(s.episodesPerTrial) episodes; view \(s.viewSize)×\(s.viewSize)")
                if !s.dynamics.isStatic { print("dynamics: \(describe(s.dynamics))") }
                print("MDP drawn with seed \(seed):")
                print(WorldText.lines(World(scenario: s, level: level)).joined(separator: "\n"))
                if !level.leverOdds.isEmpty {
                    print("lever odds: " + level.leverOdds.map { String(format: "%.2f", $0) }.joined(separator: " "))
                }
                if variety > 0 {
                    let v = try MDPOverlap.variety(s, seed: seed, trials: variety)
                    print("variety: \(v.distinct) distinct MDPs in \(variety) trials drawn; \(String(format: "%.1f", 100 * v.metAgain))% of \(variety) fresh trials were among them")
                }
            }
        }

        func describe(_ d: Dynamics) -> String {
            var parts: [String] = []
            if d.goalMovesEvery > 0 { parts.append("goal moves every \(d.goalMovesEvery) steps") }
            if d.goalMovesBetweenEpisodes { parts.append("goal moves between episodes") }
            // In the order of things, not of the dictionaries, so that show prints the same every time.
            for (thing, p) in d.drift.sorted(by: { $0.key.rawValue < $1.key.rawValue }) { parts.append("\(thing.name) drifts (p=\(p))") }
            for (thing, n) in d.respawn.sorted(by: { $0.key.rawValue < $1.key.rawValue }) { parts.append("\(thing.name) grows back after \(n) steps") }
            if let s = d.doorSchedule { parts.append("doors open \(s.open), closed \(s.closed)") }
            if d.redrawRulesEvery > 0 { parts.append("hidden rules drawn anew every \(d.redrawRulesEvery) steps") }
            if d.redrawRulesBetweenEpisodes { parts.append("hidden rules drawn anew between episodes") }
            return parts.joined(separator: "; ")
        }
    }

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check scenario files; exit non-zero at the first bad one.")

        @Argument(help: "Scenario names or paths (default: every shipped scenario).")
        var scenarios: [String] = []

        func run() throws {
            try reportingFailures {
                let targets = scenarios.isEmpty ? try ScenarioCatalog.names() : scenarios
                guard !targets.isEmpty else { throw CommandFailure("no scenarios to validate") }
                for target in targets {
                    let s = try ScenarioCatalog.load(target)
                    for seed in 0..<UInt64(20) { _ = try s.sample(seed: seed) }
                    print("ok  \(target) (\(s.name): \(s.map.width)×\(s.map.height), \(s.task.name))")
                }
            }
        }
    }
}
