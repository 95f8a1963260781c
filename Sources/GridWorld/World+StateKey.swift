extension World {
    /// A 64-bit key of the situation the agent is in: the grid's contents, where the agent stands and what it
    /// carries (and, when asked, where it faces).
    ///
    /// The step counter, episode number and energy are left out, so coming back to the same situation gives the
    /// same key: count-based fun, visitation entropy, empowerment and tabular agents all index states by it.
    /// O(cells), no allocation.
    public func stateKey(includingFacing: Bool = false) -> UInt64 {
        var h = gridHash
        let body = state.body
        h = StateHash.mix(h, UInt64(truncatingIfNeeded: body.cell))
        h = StateHash.mix(h, UInt64(body.carrying.rawValue) << 8 | UInt64(body.carryingAux))
        if includingFacing { h = StateHash.mix(h, 0x100 | UInt64(body.facing.rawValue)) }
        return StateHash.finish(h)
    }

    /// A 64-bit key of what the agent sees: the cells within `radius` of it (its whole egocentric view when
    /// nil), what it carries and where it faces (the observation, without energy). Places that look alike
    /// share a key, so a tabular learner on it carries what it learned to places and layouts it has not seen.
    /// O(radius²), no allocation.
    public func observationKey(radius: Int? = nil) -> UInt64 {
        let radius = min(radius ?? rules.viewSize / 2, rules.pad)
        let view = 2 * radius + 1
        let stride = rules.stride
        let body = state.body
        return state.cells.withUnsafeBytes { raw in
            var h: UInt64 = 0x1319_8A2E_0370_7344
            var row = (body.cell - radius * stride - radius) * 3
            for _ in 0..<view {
                var at = row
                let end = row + view * 3
                while at + 8 <= end {
                    h = StateHash.mix(h, raw.loadUnaligned(fromByteOffset: at, as: UInt64.self))
                    at += 8
                }
                var tail: UInt64 = 0
                while at < end {
                    tail = tail << 8 | UInt64(raw[at])
                    at += 1
                }
                h = StateHash.mix(h, tail)
                row += stride * 3
            }
            h = StateHash.mix(h, UInt64(body.carrying.rawValue) << 16 | UInt64(body.carryingAux) << 8 | UInt64(body.facing.rawValue))
            return StateHash.finish(h)
        }
    }

    /// A 64-bit hash of the grid's cells (tiles, things and their state bytes). O(cells), no allocation.
    public var gridHash: UInt64 {
        state.cells.withUnsafeBytes { raw in
            var h: UInt64 = 0x243F_6A88_85A3_08D3
            let words = raw.count / 8
            for i in 0..<words {
                h = StateHash.mix(h, raw.loadUnaligned(fromByteOffset: i &* 8, as: UInt64.self))
            }
            var tail: UInt64 = 0
            for i in (words &* 8)..<raw.count { tail = tail << 8 | UInt64(raw[i]) }
            return StateHash.mix(h, tail ^ UInt64(raw.count))
        }
    }
}

/// The mixing steps of `World.stateKey`, public so that learners can fold extra context (a skill) into a key.
public enum StateHash {
    /// Folds one word into a running hash.
    @inlinable public static func mix(_ h: UInt64, _ word: UInt64) -> UInt64 {
        var x = (h ^ word) &* 0x9E37_79B9_7F4A_7C15
        x ^= x >> 29
        return x
    }

    /// The final avalanche (SplitMix64's), so that nearby inputs give unrelated keys.
    @inlinable public static func finish(_ h: UInt64) -> UInt64 {
        var z = h
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
