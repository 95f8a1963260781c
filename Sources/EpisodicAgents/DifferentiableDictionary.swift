/// A differentiable neural dictionary (Pritzel et al. 2017): an `EpisodicMemory` of embeddings read as a kernel
/// average, Q(h) = Σᵢ wᵢvᵢ over the `p` keys nearest h, wᵢ = kᵢ / Σⱼ kⱼ, kᵢ = 1 / (‖h − hᵢ‖² + δ).
///
/// Q is differentiable in h: with K = Σ kⱼ, ∂Q/∂h = Σᵢ (vᵢ − Q)/K · ∂kᵢ/∂h and ∂kᵢ/∂h = −2kᵢ²(h − hᵢ), which is how
/// NEC trains its embedding through the lookup (the stored keys and values are held fixed).
public struct DifferentiableDictionary: Sendable {
    public private(set) var memory: EpisodicMemory
    /// δ of the kernel.
    public let delta: Float

    public init(keySize: Int, capacity: Int, delta: Float = 1e-3) {
        memory = EpisodicMemory(keySize: keySize, capacity: capacity)
        self.delta = delta
    }

    /// Q(h) over the `neighbours.k` keys nearest h, which stay in `neighbours` for `addGradient`; nil when the
    /// dictionary is empty. O(count·keySize), no allocation.
    public func value(at h: UnsafeBufferPointer<Float>, neighbours: inout Neighbours) -> Float? {
        let found = neighbours.find(h, in: memory)
        guard found > 0 else { return nil }
        var total: Float = 0, weighted: Float = 0
        for i in 0..<found {
            let k = 1 / (neighbours.distances[i] + delta)
            total += k
            weighted += k * memory.value(at: Int(neighbours.slots[i]))
        }
        return weighted / total
    }

    /// Adds `scale · ∂Q/∂h` into `gradient`, for the Q `value(at: h, neighbours:)` just gave with these
    /// `neighbours`. O(p·keySize).
    public func addGradient(at h: UnsafeBufferPointer<Float>, neighbours: Neighbours, value q: Float, scale: Float,
                            into gradient: UnsafeMutableBufferPointer<Float>) {
        let size = memory.keySize
        var total: Float = 0
        for i in 0..<neighbours.found { total += 1 / (neighbours.distances[i] + delta) }
        for i in 0..<neighbours.found {
            let s = Int(neighbours.slots[i])
            let k = 1 / (neighbours.distances[i] + delta)
            let c = scale * (memory.value(at: s) - q) / total * (-2 * k * k)
            memory.withKey(at: s) { key in
                for j in 0..<size { gradient[j] += c * (h[j] - key[j]) }
            }
        }
    }

    /// NEC's tabular write: a key already stored (bit for bit) moves its value toward `target` at `rate`
    /// (vᵢ += α(target − vᵢ)); a new key is stored with `target`. Either is used at `time`.
    ///
    /// As the embedding trains, the same observation seldom embeds to the same floats twice, so most writes store
    /// a new key near the old ones: the kernel average then leans toward the newest targets. (Matching keys by
    /// observation instead, so that every write moved an old value by α, learned far slower in room-9: its goal
    /// unfound in 40 episodes at N = 10.)
    public mutating func write(_ h: UnsafeBufferPointer<Float>, target: Float, rate: Float, at time: UInt64) {
        let value = memory.slot(of: h).map { memory.value(at: $0) + rate * (target - memory.value(at: $0)) } ?? target
        memory.write(h, value: value, at: time)
    }
}
