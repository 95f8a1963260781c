import ArgumentParser
import Foundation
import GridWorld
import MetaAgents
import MetaRL
import Records
import ScenarioFiles

/// `playgrid goals`: goal-conditioned agents trained with `playgrid train SCENARIO --goals goid|uniform`.
struct Goals: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Goal-conditioned agents (playgrid train SCENARIO --goals goid|uniform): measure their goal coverage, plot curricula against each other.",
        subcommands: [GoalsCoverage.self, GoalsPlot.self])
}

/// `playgrid goals coverage CKPT`: the held-out coverage measure that training records, on demand.
struct GoalsCoverage: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage",
        abstract: "Try every goal cell on held-out layouts from the fixed start: the share of goals reached with success ≥ 0.5, and a map of each goal's success.")

    @Argument(help: "A checkpoint trained with playgrid train SCENARIO --goals goid|uniform.")
    var checkpoint: String

    @Option(help: "Scenario whose goal cells to try, a name or a path (default: the one it was trained on).")
    var scenario: String?

    @Option(help: "Held-out layouts each goal is tried on.")
    var layouts: Int = GoalCoverage.defaultLayouts

    @Option(help: "Seed of the held-out layouts and of the agent's action draws.")
    var seed: UInt64 = GoalCoverage.defaultSeed

    @Flag(help: "Print one JSON object instead of the figure and the map.")
    var json = false

    func validate() throws {
        if layouts < 1 || layouts > 64 { throw ValidationError("--layouts must be from 1 to 64") }
    }

    struct Report: Codable {
        var scenario: String
        var layouts: Int
        var seed: UInt64
        var goals: Int
        var coverage: Double
        /// Per goal cell, [x, y, success].
        var success: [[Double]]
    }

    func run() throws {
        let (report, world) = try reportingFailures { () throws -> (Report, Scenario) in
            let saved = try Checkpoint.read(from: checkpoint)
            guard saved.identity?.observation.goals != nil else {
                throw CommandFailure("\(checkpoint): is not goal-conditioned; train one with playgrid train SCENARIO --goals goid")
            }
            let world = try scenario.map(ScenarioCatalog.load) ?? saved.trainedScenario(path: checkpoint)
            // Loading it as an agent refuses a scenario it cannot see, with one line.
            _ = try RecurrentAgent(checkpoint: saved, name: checkpoint, scenario: world)
            let space = try GoalSpace(scenario: world)
            let measure = try GoalCoverage(scenario: world, space: space, layouts: layouts, seed: seed)
            let (coverage, success) = measure.measure(policy: RecurrentPolicy(saved.policy), parameters: saved.parameters)
            return (Report(scenario: world.name, layouts: layouts, seed: seed, goals: space.count, coverage: coverage,
                           success: zip(space.cells, success).map { [Double($0.x), Double($0.y), $1] }), world)
        }
        if json {
            print(try StableJSON.string(report))
            return
        }
        print(String(format: "coverage %.3f: %d of %d goal cells reached with success ≥ 0.5 (%d held-out layouts, seed %llu)",
                     report.coverage, report.success.filter { $0[2] >= GoalCoverage.threshold }.count, report.goals, report.layouts, report.seed))
        print("success per goal cell (# wall, A start, 0-9: tenths of success, * every layout)")
        var rows = (0..<world.map.height).map { y in
            (0..<world.map.width).map { x in world.map[x, y].tile.isPassable ? Character(" ") : Character("#") }
        }
        rows[world.map.agentStart.y][world.map.agentStart.x] = "A"
        for s in report.success {
            rows[Int(s[1])][Int(s[0])] = s[2] >= 1 ? "*" : Character(String(Int(s[2] * 10)))
        }
        print(rows.map { String($0) }.joined(separator: "\n"))
    }
}

/// `playgrid goals plot`: coverage against steps for several runs of several curricula.
struct GoalsPlot: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Plot goal coverage against environment steps from the NAME.coverage.csv files of goal-conditioned runs: each curriculum's mean over its runs with a ± one standard error band; prints the steps each mean first reaches each coverage and, for two curricula, how many times the one's steps the other needs (95% bootstrap interval over runs).")

    @Argument(help: "Coverage files (NAME.coverage.csv), any number of runs of each curriculum.")
    var files: [String]

    @Option(help: "The SVG to write.")
    var out: String

    @Option(help: "The plot's title (say the scenario: coverage files do not record it).")
    var title = "Goal coverage: GOID curriculum against uniform goals"

    @Flag(help: "Overwrite an existing SVG.")
    var force = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one coverage file (NAME.coverage.csv)") }
    }

    func run() throws {
        try reportingFailures {
            try CommandFailure.refuseOverwriting(out, force: force, signature: CommandFailure.svgSignature, what: "plot (SVG)", expecting: "an SVG file")
            let runs = try files.map { path in
                let expected = "a coverage file (NAME.coverage.csv)"
                let data: Data
                do { data = try ReadableFile.contents(of: path, expecting: expected) } catch { throw CommandFailure("\(error)") }
                guard let text = String(data: data, encoding: .utf8) else {
                    throw CommandFailure("\(path): is not UTF-8 text, expected \(expected)\(FileKind.identified(data.prefix(16)))")
                }
                return try CoverageComparison.run(csv: text, name: path)
            }
            let comparison = CoverageComparison(runs: runs)
            try AtomicFile.write(text: comparison.svg(title: title), to: out)
            print(Self.table(comparison))
            if let shares = Self.trialsOnIntermediateTable(comparison) { print(shares) }
            print("wrote \(out)")
        }
    }

    /// For each coverage level (tenths), per curriculum: the steps its mean curve first reaches it, and the steps each
    /// run first reaches it (a run that never does shows "-"); with two curricula, the ratio of the second's mean
    /// steps to the first's over the runs, with its 95% bootstrap interval ("-" unless every run reached the level).
    static func table(_ comparison: CoverageComparison) -> String {
        func m(_ x: Double?) -> String { x.map { String(format: "%.2fM", $0 / 1e6) } ?? "-" }
        let top = comparison.runs.flatMap(\.coverage).max() ?? 0
        let levels = Array(stride(from: 0.1, through: top + 1e-9, by: 0.1))
        let ratio = comparison.curves.count == 2 ? "\(comparison.curves[1].goals)/\(comparison.curves[0].goals) steps, runs [95%]" : nil
        let header = comparison.curves.map { "\($0.goals): mean curve | each run" }
        let rows = levels.map { level in
            zip(comparison.curves, comparison.firstSteps(level)).map { c, first in
                m(c.stepsToReach(level)) + " | " + first.steps.map(m).joined(separator: " ")
            }
        }
        // Each column as wide as its widest cell, so that many runs do not run into the next column.
        let widths = header.indices.map { k in ([header[k]] + rows.map { $0[k] }).map(\.count).max()! + 3 }
        func line(_ first: String, _ cells: [String], _ last: String) -> String {
            first.padding(toLength: 10, withPad: " ", startingAt: 0)
                + zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined() + last
        }
        var lines = [line("coverage", header, ratio ?? "")]
        for (level, cells) in zip(levels, rows) {
            let interval = ratio == nil ? "" : comparison.stepsRatio(level).map { String(format: "%.2f [%.2f, %.2f]", $0.estimate, $0.lower, $0.upper) } ?? "-"
            lines.append(line(String(format: "%.1f", level), cells, interval))
        }
        return lines.joined(separator: "\n")
    }

    /// Per measurement (the mean curves' steps), each curriculum's mean share of the trials since the measurement
    /// before that went to goals of intermediate difficulty: where the training went. Nil when no file records it.
    static func trialsOnIntermediateTable(_ comparison: CoverageComparison) -> String? {
        let curves = comparison.curves
        guard curves.contains(where: { $0.meanTrialsOnIntermediate.contains { $0 != nil } }) else { return nil }
        func cell(_ text: String) -> String { text.padding(toLength: max(12, text.count + 3), withPad: " ", startingAt: 0) }
        var lines = ["trials on goals of intermediate difficulty since the measurement before (mean of runs):",
                     cell("steps") + curves.map { cell($0.goals) }.joined()]
        for k in 0..<(curves.map(\.steps.count).max() ?? 0) {
            let steps = curves.first { k < $0.steps.count }!.steps[k]
            lines.append(cell(String(format: "%.2fM", steps / 1e6)) + curves.map { c in
                cell(k < c.steps.count ? c.meanTrialsOnIntermediate[k].map { String(format: "%.0f%%", $0 * 100) } ?? "-" : "")
            }.joined())
        }
        return lines.joined(separator: "\n")
    }
}
