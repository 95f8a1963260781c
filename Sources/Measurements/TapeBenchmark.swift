import Agents
import Foundation
import Fun
import GridWorld
import Engine
import Tapes

/// What recording costs and what tapes weigh: recording overhead on a headless run, seek time on a
/// million-step tape, bytes per step with and without agent outputs, and against an asciicast of the same run.
///
/// Every time is set against a baseline measured in the same run (the same run without recording; world steps
/// per second), so the figures compare across machines.
public enum TapeBenchmark {
    public struct Report: Codable, Hashable, Sendable {
        public var scenario: String
        /// Headless run steps per second of the random agent (the cheapest, so the worst case for overhead),
        /// without and with a tape being written (to a file).
        public var runStepsPerSecond: Double
        public var recordingStepsPerSecond: Double
        /// Extra time recording takes, as a fraction of the run's time (0.05 = 5 %), with the random agent: the
        /// median over alternating pairs of runs of their CPU times (writing the file included).
        public var recordingOverhead: Double
        /// The same with the scripted player (which plans each step, as agents that think do).
        public var recordingOverheadPlayer: Double
        /// Closing a tape: the last chunk, the end record and syncing the file to the disk (a fixed cost per tape).
        public var closeMs: Double
        public var seekTapeSteps: Int
        /// Opening (reading and indexing) the seek tape.
        public var openMs: Double
        /// Median over random steps of one seek (nearest key frame, then re-simulation).
        public var seekMedianMs: Double
        public var seekP90Ms: Double
        /// World steps per second on this scenario, measured here: the baseline for seeks.
        public var worldStepsPerSecond: Double
        /// A median seek costs as much as this many plain world steps.
        public var seekInWorldSteps: Double
        public var bytesPerStep: Double
        public var bytesPerStepWithOutputs: Double
        public var asciicastBytesPerStep: Double
        /// How many times larger the asciicast of the same run is than its tape.
        public var asciicastToTapeRatio: Double
        /// `bench --json` spells its keys in snake_case, as the Python tools that read it expect.
        enum CodingKeys: String, CodingKey {
            case scenario
            case runStepsPerSecond = "run_steps_per_second"
            case recordingStepsPerSecond = "recording_steps_per_second"
            case recordingOverhead = "recording_overhead"
            case recordingOverheadPlayer = "recording_overhead_player"
            case closeMs = "close_ms"
            case seekTapeSteps = "seek_tape_steps"
            case openMs = "open_ms"
            case seekMedianMs = "seek_median_ms"
            case seekP90Ms = "seek_p90_ms"
            case worldStepsPerSecond = "world_steps_per_second"
            case seekInWorldSteps = "seek_in_world_steps"
            case bytesPerStep = "bytes_per_step"
            case bytesPerStepWithOutputs = "bytes_per_step_with_outputs"
            case asciicastBytesPerStep = "asciicast_bytes_per_step"
            case asciicastToTapeRatio = "asciicast_to_tape_ratio"
        }
    }

    /// Runs every measurement on one scenario; `seconds` scales the timed parts.
    public static func run(_ scenario: Scenario, seconds: Double = 0.6, seekSteps: Int = 1_000_000) throws -> Report {
        let random = try recordingRates(scenario, seconds: seconds) { RandomAgent() }
        let player = try recordingRates(scenario, seconds: seconds) { PlayerAgent() }
        let seekTape = try tape(scenario, steps: seekSteps, outputs: false)
        let watch = Stopwatch()
        let reader = try TapeReader(bytes: seekTape, name: "benchmark")
        let openSeconds = watch.seconds
        var engine = try ReplayEngine(reader: reader)
        var rng = SplitMix64(seed: 17)
        var times: [Double] = []
        for _ in 0..<200 {
            let target = rng.below(seekSteps)
            let w = Stopwatch()
            let frame = try engine.seek(to: target)
            times.append(w.seconds)
            precondition(frame.world.state.step >= 1)
        }
        times.sort()
        let worldRate = try WorldBenchmark.singleCore(scenario, seconds: seconds)
        let median = times[times.count / 2]

        let sizeSteps = 100_000
        let withOutputs = try tape(scenario, steps: sizeSteps, outputs: true)
        let small = try tape(scenario, steps: 20_000, outputs: false)
        var castBytes = 0
        try TapeExport.export(try TapeReader(bytes: small, name: "benchmark"), format: .asciicast) { text in castBytes += text.utf8.count }
        return Report(
            scenario: scenario.name, runStepsPerSecond: random.plain, recordingStepsPerSecond: random.recording,
            recordingOverhead: random.overhead, recordingOverheadPlayer: player.overhead, closeMs: random.close * 1000, seekTapeSteps: seekSteps, openMs: openSeconds * 1000,
            seekMedianMs: median * 1000, seekP90Ms: times[times.count * 9 / 10] * 1000,
            worldStepsPerSecond: worldRate, seekInWorldSteps: median * worldRate,
            bytesPerStep: Double(seekTape.count) / Double(seekSteps),
            bytesPerStepWithOutputs: Double(withOutputs.count) / Double(sizeSteps),
            asciicastBytesPerStep: Double(castBytes) / 20_000,
            asciicastToTapeRatio: Double(castBytes) / Double(small.count))
    }

    /// Steps per second of a headless run, without and with recording to a file, and the overhead: the median
    /// over alternating pairs of runs (the same seed in both runs of a pair) of the ratio of their thread CPU
    /// times, so that other load on the machine neither adds to a run's time nor spoils the figure. Opening a
    /// tape and closing it (which syncs it to the disk) are timed apart; the fastest close is returned.
    static func recordingRates(_ scenario: Scenario, seconds: Double, agent: () -> any Agent)
        throws -> (plain: Double, recording: Double, overhead: Double, close: Double) {
        // A folder of its own, removed however the measurement ends (a pair's tape is also removed as soon as it is timed).
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("playgrid-bench-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let pairs = 11
        // Calibrate: episodes for one run of about seconds / (2 · pairs).
        let calibration = Stopwatch()
        _ = try Runner.run(scenario: scenario, agent: agent(), fun: .standard, seed: 99, length: .episodes(20))
        let perEpisode = max(calibration.seconds / 20, 1e-7)
        let episodes = max(20, min(1_000_000, Int(seconds / Double(2 * pairs) / perEpisode)))
        var plain = 0.0, recording = 0.0, close = Double.infinity
        var ratios: [Double] = []
        for pair in 0..<pairs {
            let seed = UInt64(pair)
            let w1 = Stopwatch(), c1 = ThreadCPUStopwatch()
            let r1 = try Runner.run(scenario: scenario, agent: agent(), fun: .standard, seed: seed, length: .episodes(episodes))
            let (t1, cpu1) = (w1.seconds, c1.seconds)
            let path = "\(folder)/\(pair).tape"
            let writer = try TapeWriter(path: path, scenario: scenario, origin: scenario.name, seed: seed, agent: "benchmark",
                                        fun: .standard, force: true)
            let w2 = Stopwatch(), c2 = ThreadCPUStopwatch()
            let r2 = try Runner.run(scenario: scenario, agent: agent(), fun: .standard, seed: seed, length: .episodes(episodes)) { frame in
                try writer.append(frame)
            }
            let (t2, cpu2) = (w2.seconds, c2.seconds)
            let w3 = Stopwatch()
            try writer.finish()
            close = min(close, w3.seconds)
            try? FileManager.default.removeItem(atPath: path)
            plain = max(plain, Double(r1.steps) / t1)
            recording = max(recording, Double(r2.steps) / t2)
            ratios.append(cpu2 / cpu1)
        }
        ratios.sort()
        return (plain, recording, ratios[ratios.count / 2] - 1, close)
    }

    /// A tape of `steps` random steps (the world driven directly, fun from the standard spec), in memory.
    /// With `outputs`, every step carries both heads' probabilities and a value, as a learned agent's would.
    static func tape(_ scenario: Scenario, steps: Int, outputs: Bool) throws -> [UInt8] {
        let fun = FunSpec.standard
        let header = TapeHeader(scenarioText: scenario.sourceText, scenarioOrigin: scenario.name, seed: 5, agent: outputs ? "synthetic" : "random",
                                funSpec: fun.description, funComponents: fun.terms.map(\.model))
        let writer = try TapeWriter(inMemory: header, scenario: scenario)
        var world = try TrialWorld(scenario: scenario, seed: 5)
        var models = fun.makeModels(for: scenario, seed: 5)
        var agent = RandomAgent()
        var rng = SplitMix64(seed: 9)
        var pending = false
        var values = [Float](repeating: 0, count: models.count)
        var task = [Float](repeating: 0, count: TaskAction.count)
        var play = [Float](repeating: 0, count: PlayAction.count)
        for _ in 0..<steps {
            if pending { try world.beginNextEpisode() }
            let before = world.world
            let action = agent.decide(before, rng: &rng).action
            let t = world.step(action)
            for i in models.indices {
                values[i] = models[i].reward(FunInput(before: before, action: action, transition: t, after: world.world))
            }
            var o: AgentOutputs?
            if outputs {
                for i in task.indices { task[i] = Float(rng.nextUnitDouble()) }
                for i in play.indices { play[i] = Float(rng.nextUnitDouble()) }
                let ts = task.reduce(0, +), ps = play.reduce(0, +)
                o = AgentOutputs(taskProbabilities: task.map { $0 / ts }, playProbabilities: play.map { $0 / ps }, value: Float(rng.nextUnitDouble()))
            }
            try writer.append(action: action, transition: t, after: world, fun: values, outputs: o)
            pending = t.isLast
        }
        try writer.finish()
        return writer.bytes
    }
}
