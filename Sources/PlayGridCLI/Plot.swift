import ArgumentParser
import Engine
import Experiments
import Foundation
import Records
import Spelling

/// `playgrid plot`: several `run --json` reports drawn by episode of the trial, one curve each.
struct Plot: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Plot runs (playgrid run ... --json) by episode of the trial, one curve each: task return, steps or play, with 95% intervals over trials where the reports keep every trial; prints the values too.")

    @Argument(help: "Run reports (playgrid run ... --json), one curve each.")
    var runs: [String]

    @Option(help: "The SVG to write.")
    var out: String

    @Option(help: "What to draw: return, length, success, play, effective-play, play-steps, or event:NAME (a play event's count per episode, e.g. event:rock-sank-in-water).")
    var metric = "return"

    @Option(help: "A curve's name, once per run in order (default: each report's file name without .json).")
    var label: [String] = []

    @Option(help: "The plot's title (default: the scenario and what is drawn).")
    var title: String?

    @Flag(help: "Overwrite an existing SVG.")
    var force = false

    func validate() throws {
        if runs.isEmpty { throw ValidationError("give at least one run report (playgrid run ... --json > NAME.json)") }
        if !label.isEmpty && label.count != runs.count {
            throw ValidationError("--label names the runs in order: \(runs.count) runs, \(label.count) labels")
        }
        if RunCurves.Metric(name: metric) == nil {
            let events = RunCurves.Metric.events.map { "event:\($0)" }
            throw ValidationError("--metric \(metric) is not a figure; \(didYouMean(metric, among: RunCurves.Metric.names + events))expected one of \(RunCurves.Metric.names.joined(separator: ", ")), or event:NAME with NAME a play event (e.g. event:bell-rang)")
        }
    }

    func run() throws {
        try reportingFailures {
            try CommandFailure.refuseOverwriting(out, force: force, signature: CommandFailure.svgSignature, what: "plot (SVG)", expecting: "an SVG file")
            let names = label.isEmpty ? runs.map { (($0 as NSString).lastPathComponent as NSString).deletingPathExtension } : label
            let reports = try runs.map(readRunReport)
            let metric = RunCurves.Metric(name: metric)!
            let curves = try RunCurves(runs: Array(zip(names, reports)), metric: metric)
            let scenarios = reports.map(\.scenario).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            let title = title ?? "\(scenarios.joined(separator: ", ")): \(metric.label) by episode of the trial"
            try AtomicFile.write(text: curves.plot(title: title).svg, to: out)
            print(curves.table)
            if curves.curves.contains(where: { $0.halfWidths != nil }) { print("(± the 95% t-interval's half-width over trials)") }
            print("wrote \(out)")
        }
    }
}
