import Foundation
import GridWorld

/// How count-based fun names the state it counts: exactly in small worlds, by SimHash in large ones.
///
/// Exact keys (`World.stateKey`: agent position, what it carries, a hash of the grid) make every distinct
/// situation its own state, which is right when there are few of them. In a large world almost every state
/// is new, so the egocentric observation is hashed with SimHash (Charikar 2002) instead, as Tang et al. 2017
/// ("#Exploration") do: `bits` signs of a fixed random projection, so similar observations share a key.
public struct StateKeyer: Sendable {
    public enum Kind: Hashable, Sendable { case exact, simHash(bits: Int) }
    public let kind: Kind
    let features: FeatureSpace
    /// `dimension × bits` Gaussian projection (SimHash only).
    let projection: ContiguousArray<Float>
    var active: ContiguousArray<Int32>
    var sums: ContiguousArray<Float>

    /// Maps larger than this many cells are keyed by SimHash.
    public static let exactLimit = 400

    /// Exact keys for maps up to `exactLimit` cells, 64-bit SimHash beyond.
    public init(scenario: Scenario, seed: UInt64) {
        let big = scenario.map.width * scenario.map.height > Self.exactLimit
        self.init(kind: big ? .simHash(bits: 64) : .exact, features: FeatureSpace(scenario: scenario), seed: seed)
    }

    public init(kind: Kind, features: FeatureSpace, seed: UInt64) {
        self.kind = kind
        self.features = features
        var bits = 0
        if case .simHash(let b) = kind { bits = min(64, max(1, b)) }
        var rng = SplitMix64(seed: seed).derived(0x5154)
        projection = ContiguousArray((0..<(bits == 0 ? 0 : features.dimension * bits)).map { _ in Float(rng.nextNormal()) })
        active = ContiguousArray(repeating: 0, count: features.activeCount)
        sums = ContiguousArray(repeating: 0, count: bits)
    }

    /// The key of a world's state. Exact: O(cells); SimHash: O(activeCount · bits). No allocation.
    public mutating func key(_ world: World) -> UInt64 {
        guard case .simHash = kind else { return world.stateKey() }
        let bits = sums.count
        let features = features
        return active.withUnsafeMutableBufferPointer { active in
            features.write(world, into: active)
            return sums.withUnsafeMutableBufferPointer { sums in
                projection.withUnsafeBufferPointer { a in
                    for b in 0..<bits { sums[b] = 0 }
                    for index in active {
                        let row = Int(index) * bits
                        for b in 0..<bits { sums[b] += a[row + b] }
                    }
                    var key: UInt64 = 0
                    for b in 0..<bits where sums[b] > 0 { key |= 1 << UInt64(b) }
                    return key
                }
            }
        }
    }
}
