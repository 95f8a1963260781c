import Foundation
import Engine
import GridWorld
import Plots
import Statistics

/// Several runs' figures by the episode's index within the trial, side by side (`playgrid plot`): whether an agent
/// gets better from a trial's first episode to its last, and whether its play falls, drawn for a paper.
public struct RunCurves: Sendable {
    /// What is drawn for each episode index.
    public enum Metric: Hashable, Sendable {
        case taskReturn, length, success, play, effectivePlay, playSteps
        /// The mean count of one play event in an episode (`EventKind.name`).
        case event(String)

        /// The names `playgrid plot --metric` takes, events as `event:NAME`.
        public static let names = ["return", "length", "success", "play", "effective-play", "play-steps"]
        /// The play events a run counts by episode (`run`'s `play events by episode index`).
        public static let events = EventKind.allCases.filter { $0.isPlay && $0 != .fumbled }.map(\.name)

        public init?(name: String) {
            if name.hasPrefix("event:") {
                let kind = String(name.dropFirst("event:".count))
                guard Self.events.contains(kind) else { return nil }
                self = .event(kind)
                return
            }
            guard let index = Self.names.firstIndex(of: name) else { return nil }
            self = [.taskReturn, .length, .success, .play, .effectivePlay, .playSteps][index]
        }

        /// The y axis's label.
        public var label: String {
            switch self {
            case .taskReturn: "task return"
            case .length: "steps"
            case .success: "success rate"
            case .play: "play ratio"
            case .effectivePlay: "effective play ratio"
            case .playSteps: "play steps"
            case .event(let kind): "\(kind) per episode"
            }
        }
    }

    /// One run's values by episode index, with the 95% t-interval's half-width over trials where the report keeps
    /// every trial's row (task return, steps, play steps, play events).
    public struct Curve: Sendable, Equatable {
        public var name: String
        public var values: [Double]
        public var halfWidths: [Double]?
    }

    public let metric: Metric
    public let curves: [Curve]

    /// Each run's curve under `metric`. A report written before its figures were kept (older `run --json` files lack
    /// the per-trial rows and the play events by episode) is refused, naming the run.
    public init(runs: [(name: String, report: RunReport)], metric: Metric) throws(RunCurvesError) {
        self.metric = metric
        curves = try runs.map { name, r throws(RunCurvesError) in
            func byIndex(_ rows: [[Double]]?) throws(RunCurvesError) -> Curve {
                guard let rows else {
                    throw RunCurvesError("\(name): this run report has no trial-by-trial \(metric.label) (written by an older playgrid); run it again with playgrid run ... --json")
                }
                let estimates = (0..<(rows.map(\.count).max() ?? 0)).map { i in Sample.estimate(rows.compactMap { $0.count > i ? $0[i] : nil }) }
                return Curve(name: name, values: estimates.map(\.mean), halfWidths: estimates.map { $0.count > 1 ? $0.halfWidth : 0 })
            }
            switch metric {
            case .taskReturn: return try byIndex(r.taskReturnByTrial)
            case .length: return try byIndex(r.lengthByTrial?.map { $0.map(Double.init) })
            case .playSteps: return try byIndex(r.playStepsByTrial?.map { $0.map(Double.init) })
            case .success: return Curve(name: name, values: r.successByEpisodeIndex)
            case .play: return Curve(name: name, values: r.playByEpisodeIndex)
            case .effectivePlay: return Curve(name: name, values: r.effectivePlayByEpisodeIndex)
            case .event(let kind):
                guard let events = r.playEventsByTrial else {
                    throw RunCurvesError("\(name): this run report has no play events by episode (written by an older playgrid); run it again with playgrid run ... --json")
                }
                // A kind the run never played counts zero in every episode it has.
                return try byIndex((events[kind] ?? r.taskReturnByTrial.map { $0.map { _ in 0 } }).map { $0.map(Double.init) })
            }
        }
    }

    /// The curves as a line chart over episodes counted from 1, bands where there are intervals.
    public func plot(title: String) -> LinePlot {
        LinePlot(title: title, xLabel: "episode of the trial", yLabel: metric.label, series: curves.map { c in
            LinePlot.Series(name: c.name, points: c.values.enumerated().map { (x: Double($0 + 1), y: $1) }, band: c.halfWidths)
        })
    }

    /// One row per run: its values by episode, each ± the interval's half-width where there is one.
    public var table: String {
        let width = max("episode".count, curves.map(\.name.count).max() ?? 0)
        let episodes = curves.map(\.values.count).max() ?? 0
        let header = "episode".padding(toLength: width, withPad: " ", startingAt: 0) + "  "
            + (1...max(1, episodes)).map { String($0).padding(toLength: 15, withPad: " ", startingAt: 0) }.joined()
        let rows = curves.map { c in
            c.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + c.values.indices.map { i in
                let value = String(format: "%.3f", c.values[i]) + (c.halfWidths.map { String(format: " ± %.3f", $0[i]) } ?? "")
                return value.padding(toLength: 15, withPad: " ", startingAt: 0)
            }.joined()
        }
        return ([header] + rows).map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }.joined(separator: "\n")
    }
}

/// Runs that cannot be drawn as asked, in one line.
public struct RunCurvesError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
