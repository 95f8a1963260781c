import GridWorld

/// Environment speed: random actions drawn in advance, resets and observations inside the timed loop, as the
/// peer scripts in shared/peers measure MiniGrid and Griddly.
public enum WorldBenchmark {
    /// A fixed stream of random action pairs, cycled through.
    static func actions(seed: UInt64, count: Int = 1 << 16) -> [ActionPair] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            ActionPair(TaskAction(rawValue: UInt8(rng.below(TaskAction.count)))!,
                       rng.below(4) == 0 ? PlayAction(rawValue: UInt8(1 + rng.below(PlayAction.count - 1)))! : .none)
        }
    }

    /// Steps per second of one world on one core.
    public static func singleCore(_ scenario: Scenario, seconds: Double = 0.6) throws -> Double {
        var env = try TrialWorld(scenario: scenario, seed: 7)
        let actions = actions(seed: 11)
        var observation = [UInt8](repeating: 0, count: env.world.observationSize)
        var next = 0
        var checksum = 0
        let result = try rate(seconds: seconds) { () throws -> Int in
            let chunk = 4096
            try observation.withUnsafeMutableBufferPointer { out in
                for _ in 0..<chunk {
                    let t = env.step(actions[next & (actions.count - 1)])
                    next &+= 1
                    if t.isLast { try env.beginNextEpisode() }
                    env.world.observe(into: out)
                    checksum &+= Int(out[0])
                }
            }
            return chunk
        }
        precondition(checksum >= 0)
        return result
    }

    /// Steps per second of a batch of `count` worlds stepped together (all env-steps counted).
    public static func batched(_ scenario: Scenario, count: Int = 64, seconds: Double = 0.6) throws -> Double {
        var batch = try WorldBatch(scenario: scenario, count: count, seed: 7)
        let all = actions(seed: 13)
        var next = 0
        return try rate(seconds: seconds) { () throws -> Int in
            let rounds = 64
            for _ in 0..<rounds {
                let start = next & (all.count - 1)
                next &+= count
                if start + count <= all.count {
                    try all.withUnsafeBufferPointer { try batch.step(UnsafeBufferPointer(rebasing: $0[start..<(start + count)])) }
                } else {
                    try all.withUnsafeBufferPointer { try batch.step(UnsafeBufferPointer(rebasing: $0[0..<count])) }
                }
            }
            return rounds * count
        }
    }
}
