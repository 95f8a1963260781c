import Foundation
import Fun
import GridWorld
import MetaAgents
import MetaRL

/// What `train --tapes` costs training, in process CPU time (which counts the snapshots' own thread too: the cost as if
/// training had one core): runs of `playgrid train`'s defaults on one thread (64 environments, GRU 128) with and without
/// snapshots, alternated in pairs in one process, and one snapshot's cost measured alone, which with one update's
/// gives the overhead at the default cadence (a ratio too small to see against the noise of whole runs).
public enum TrainingTapesBenchmark {
    public struct Report: Codable, Hashable, Sendable {
        public var scenario: String
        /// Updates per run, and the snapshot cadence of the measured runs (denser than the default, to be seen).
        public var updates: Int
        public var measuredEvery: Int
        /// Extra CPU time with snapshots every `measuredEvery` updates, as a fraction of training's (median of pairs;
        /// noisy on a busy machine).
        public var overheadMeasured: Double
        /// CPU seconds of one update, and of one snapshot (one held-out trial played and appended to its tape).
        public var updateSeconds: Double
        public var snapshotSeconds: Double
        /// The default cadence and the overhead it costs: one snapshot's time over that many updates' time.
        public var defaultEvery: Int
        public var overheadAtDefault: Double

        enum CodingKeys: String, CodingKey {
            case scenario
            case updates
            case measuredEvery = "measured_every"
            case overheadMeasured = "overhead_measured"
            case updateSeconds = "update_seconds"
            case snapshotSeconds = "snapshot_seconds"
            case defaultEvery = "default_every"
            case overheadAtDefault = "overhead_at_default"
        }
    }

    /// `pairs` alternating runs of `updates` updates without snapshots and with one every `every` updates (the
    /// end-to-end ratio), then `snapshots` snapshots played alone (what one costs).
    public static func run(_ scenario: Scenario, updates: Int = 20, every: Int = 2, pairs: Int = 3, snapshots: Int = 10) throws -> Report {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("playgrid-bench-tapes-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let plan = GridTraining.Plan(scenarios: [scenario], fun: .standard, seed: 1, threads: 1)
        let stepsPerRun = updates * plan.envs * plan.configuration.rolloutLength
        var plain: [Double] = [], ratios: [Double] = []
        for _ in 0..<pairs {
            let without = try GridTraining(plan)
            let alone = try ProcessCPUStopwatch.measure { try without.train(steps: stepsPerRun) }
            let with = try GridTraining(plan)
            try with.recordTapes(TrainingTapes.Plan(directory: folder, every: every, agent: "bench", force: true))
            ratios.append(try ProcessCPUStopwatch.measure { try with.train(steps: stepsPerRun) } / alone - 1)
            plain.append(alone)
        }
        let training = try GridTraining(plan)
        let tapes = try TrainingTapes(TrainingTapes.Plan(directory: folder, agent: "bench", force: true), scenarios: [scenario],
                                      fun: plan.fun, policy: training.trainer.policy)
        let snapshotSeconds = try ProcessCPUStopwatch.measure {
            for k in 0..<snapshots { tapes.record(parameters: training.trainer.parameters, update: k, trainingStep: k) }
            try tapes.finish()
        } / Double(snapshots)
        let updateSeconds = plain.sorted()[plain.count / 2] / Double(updates)
        let defaultEvery = TrainingTapes.Plan.defaultEvery
        return Report(scenario: scenario.name, updates: updates, measuredEvery: every, overheadMeasured: ratios.sorted()[ratios.count / 2],
                      updateSeconds: updateSeconds, snapshotSeconds: snapshotSeconds, defaultEvery: defaultEvery,
                      overheadAtDefault: snapshotSeconds / (Double(defaultEvery) * updateSeconds))
    }
}
