import EpisodicAgents
import GridWorld

/// How fast MFEC decides with a full memory (issue #16 asks for 100k stored keys): its memories are filled with
/// the keys of situations a random walk meets in a family with a new layout every trial, then it decides on the
/// situations of another walk. A decision reads every task action's memory: an exact match by hash where the
/// situation was stored, else its k nearest keys through the memory's exact index. The walk in the same family
/// meets stored situations as an agent would; the walk in `stranger` (same view, other worlds) never does, so every
/// read is a k-nearest search. On the stranger's keys the index is also timed against the scan it replaced.
public enum EpisodicBenchmark {
    public struct Report: Sendable, Encodable {
        /// Keys stored over all of MFEC's memories when timing began.
        public var storedKeys: Int
        public var decisionsPerSecond: Double
        /// Deciding where no situation is stored: every read a k-nearest search.
        public var decisionsPerSecondAllScans: Double
        /// The brute-force scan's time ÷ the index's for the same k-nearest reads (the stranger's keys in every task
        /// memory), in one process.
        public var nearestIndexSpeedup: Double

        enum CodingKeys: String, CodingKey {
            case storedKeys = "stored_keys"
            case decisionsPerSecond = "decisions_per_second"
            case decisionsPerSecondAllScans = "decisions_per_second_all_scans"
            case nearestIndexSpeedup = "nearest_index_speedup"
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
        let speedup = try nearestIndexSpeedup(&agent, walking: stranger, seconds: seconds, rng: &rng)
        return Report(storedKeys: stored, decisionsPerSecond: same, decisionsPerSecondAllScans: scans, nearestIndexSpeedup: speedup)
    }

    /// k-nearest reads per second through the index ÷ by the scan, of 256 keys of a walk in `scenario`.
    static func nearestIndexSpeedup(_ agent: inout MFECAgent, walking scenario: Scenario, seconds: Double, rng: inout SplitMix64) throws -> Double {
        var walk = try TrialWorld(scenario: scenario, seed: 6)
        let actions = WorldBenchmark.actions(seed: 23)
        var queries: [[Float]] = []
        for step in 0..<256 {
            queries.append(agent.key(of: walk.world, rng: &rng))
            if walk.step(ActionPair(actions[step].task)).isLast { try walk.beginNextEpisode() }
        }
        let memories = agent.taskMemories, k = agent.k
        var neighbours = Neighbours(k: k)
        var slots = [Int32](repeating: 0, count: k), distances = [Float](repeating: 0, count: k)
        var next = 0, checksum = 0
        func readsPerSecond(_ read: (UnsafeBufferPointer<Float>, EpisodicMemory) -> Int) -> Double {
            rate(seconds: seconds / 2) {
                for memory in memories { checksum &+= queries[next & 255].withUnsafeBufferPointer { read($0, memory) } }
                next &+= 1
                return memories.count
            }
        }
        let indexed = readsPerSecond { neighbours.find($0, in: $1) }
        let scanned = readsPerSecond { key, memory in
            slots.withUnsafeMutableBufferPointer { s in distances.withUnsafeMutableBufferPointer { memory.scanNearest(to: key, k: k, slots: s, distances: $0) } }
        }
        precondition(checksum >= 0)
        return indexed / scanned
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
