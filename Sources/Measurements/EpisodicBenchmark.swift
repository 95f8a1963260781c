import EpisodicAgents
import GridWorld

/// How fast MFEC decides with a full memory (issue #16 asks for 100k stored keys): its memories are filled with
/// the keys of situations a random walk meets in a family with a new layout every trial, then it decides on the
/// situations of another walk. A decision reads every task action's memory: an exact match by hash where the
/// situation was stored, else its k nearest keys by an exact scan. The walk in the same family meets stored
/// situations as an agent would; the walk in `stranger` (same view, other worlds) never does, so every read scans.
public enum EpisodicBenchmark {
    public struct Report: Sendable, Encodable {
        /// Keys stored over all of MFEC's memories when timing began.
        public var storedKeys: Int
        public var decisionsPerSecond: Double
        /// Deciding where no situation is stored: every read a k-NN scan.
        public var decisionsPerSecondAllScans: Double

        enum CodingKeys: String, CodingKey {
            case storedKeys = "stored_keys"
            case decisionsPerSecond = "decisions_per_second"
            case decisionsPerSecondAllScans = "decisions_per_second_all_scans"
        }
    }

    public static func run(_ scenario: Scenario, stranger: Scenario, storedKeys: Int = 100_000, seconds: Double = 0.4) throws -> Report {
        var agent = MFECAgent(funWeight: 0)
        var rng = SplitMix64(seed: 11)
        var fill = try TrialWorld(scenario: scenario, seed: 5)
        var stored = 0
        while stored < storedKeys {
            let task = TaskAction(rawValue: UInt8(rng.below(TaskAction.count)))!
            agent.memorise(fill.world, taking: task, value: Float(rng.below(1000)) / 1000, rng: &rng)
            stored = agent.taskMemories.reduce(0) { $0 + $1.count }
            if fill.step(ActionPair(task)).isLast { try fill.beginNextEpisode() }
        }
        let same = try decisionsPerSecond(&agent, walking: scenario, seconds: seconds, rng: &rng)
        let scans = try decisionsPerSecond(&agent, walking: stranger, seconds: seconds, rng: &rng)
        return Report(storedKeys: stored, decisionsPerSecond: same, decisionsPerSecondAllScans: scans)
    }

    static func decisionsPerSecond(_ agent: inout MFECAgent, walking scenario: Scenario, seconds: Double, rng: inout SplitMix64) throws -> Double {
        var walk = try TrialWorld(scenario: scenario, seed: 6)
        let actions = WorldBenchmark.actions(seed: 23)
        var next = 0
        var checksum = 0
        agent.beginEpisode(walk.world)
        let rate = try rate(seconds: seconds) { () throws -> Int in
            let chunk = 32
            for _ in 0..<chunk {
                checksum &+= Int(agent.decide(walk.world, rng: &rng).action.task.rawValue)
                let action = ActionPair(actions[next & (actions.count - 1)].task)
                next &+= 1
                if walk.step(action).isLast {
                    try walk.beginNextEpisode()
                    agent.beginEpisode(walk.world)
                }
            }
            return chunk
        }
        precondition(checksum >= 0)
        return rate
    }
}
