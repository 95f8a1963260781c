import ArgumentParser
import Engine
import Foundation
import Records

/// `playgrid compare`: two `run --json` reports of one scenario and seed, trial by trial.
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare two runs (playgrid run ... --json) of one scenario and seed trial by trial: the task return of one episode index, its mean difference and 95% paired-t interval.")

    @Argument(help: "The first run's JSON report (a).")
    var a: String

    @Argument(help: "The second run's JSON report (b), of the same scenario and seed.")
    var b: String

    @Option(help: "The episode of a trial to compare, from 1 (default: the last).")
    var episode: Int?

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    func validate() throws {
        if let episode, episode < 1 { throw ValidationError("--episode counts from 1") }
    }

    func run() throws {
        let comparison = try reportingFailures { () throws -> RunComparison in
            try RunComparison(try readRunReport(a), try readRunReport(b), episode: episode.map { $0 - 1 })
        }
        if json {
            print(try StableJSON.string(comparison))
        } else {
            print(Self.table(comparison))
        }
    }

    static func table(_ c: RunComparison) -> String {
        func f(_ x: Double) -> String { String(format: "%.3f", x) }
        let rows: [(String, String)] = [
            ("scenario", "\(c.scenario), seed \(c.seed), \(c.trials) trials paired by index"),
            ("episode", "\(c.episode) (task return)"),
            ("a", "\(c.a)  \(f(c.meanA))"), ("b", "\(c.b)  \(f(c.meanB))"),
            ("a − b", "\(f(c.difference))  95% paired-t interval [\(f(c.lower)), \(f(c.upper))]"),
            ("t", "\(String(format: "%.2f", c.t)) (\(Int(c.degreesOfFreedom)) df), p \(c.p < 1e-15 ? "< 1e-15" : String(format: "%.2g", c.p))"),
        ]
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }.joined(separator: "\n")
    }
}

/// A `run --json` report read back, for the commands that compare and draw runs; bad files are one line.
func readRunReport(_ path: String) throws -> RunReport {
    let data: Data
    do { data = try ReadableFile.contents(of: path, expecting: "a run report (playgrid run ... --json)") } catch {
        throw CommandFailure(error.description)
    }
    // A tape, checkpoint or skill file named by a slip is said to be one, not "not valid JSON (cut short…)".
    if let kind = FileKind.of(data.prefix(16)) {
        throw CommandFailure("\(path): not a run report (playgrid run ... --json); it is \(kind.name)")
    }
    do {
        return try StableJSON.decode(RunReport.self, from: data)
    } catch {
        throw CommandFailure("\(path): not a run report of this playgrid: \(StableJSON.reason(error)) (write one with playgrid run ... --json)")
    }
}
