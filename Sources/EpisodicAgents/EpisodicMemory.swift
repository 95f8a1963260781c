import GridWorld

/// A store of (key, value) pairs of one key width, read by exact match or by its k nearest keys, with
/// least-recently-used eviction at a capacity: the memory of MFEC's tables and NEC's dictionaries.
///
/// Exact matches go through a hash of the key's bits, O(keySize) expected. Each slot carries the time (the owner's
/// step count) it was last used, so that an agent can also ask which of several memories' entries it used least
/// recently; when full, a write replaces the slot used longest ago, found by a scan (O(count), only once full).
/// Nearest neighbours are exact, found through an index of clusters (`EpisodicMemory+Index.swift`) that skips
/// the keys a triangle-inequality bound puts beyond the k-th nearest so far: the answer is the brute-force
/// scan's (`scanNearest`), slot for slot and bit for bit, for a fraction of its work once there are thousands of
/// keys (an open-field query among four-rooms' 17k keys computes ~5% of the scan's distances, in ~1/8 its time).
///
/// Slots live in chunks of `chunkSlots` (keys a flat row per slot), and the hash index in shards: the memory is a
/// value, and the watch screen keeps a thousand copies of the session to step back through, so a write after a
/// copy duplicates one chunk and one shard rather than the whole memory. Storage allocates only as it grows.
public struct EpisodicMemory: Sendable {
    public let keySize: Int
    public let capacity: Int
    public private(set) var count = 0
    public static let chunkSlots = 256
    static let shardBits = 6

    struct Chunk: Sendable {
        var keys: ContiguousArray<Float> = []
        var values: ContiguousArray<Float> = []
        /// When each slot was last used, in the owner's clock, and the hash of its key.
        var lastUsed: ContiguousArray<UInt64> = []
        var hashes: ContiguousArray<UInt64> = []
        /// The index cluster holding each slot's key (-1 for a key with a non-finite float, which no cluster holds).
        var cluster: ContiguousArray<Int32> = []
    }
    var chunks: [Chunk] = []
    /// The slot of each key hash, sharded by the hash's top bits.
    var slotByHash: [[UInt64: Int32]] = Array(repeating: [:], count: 1 << shardBits)
    /// The index: each cluster's centre (`clusterCount × keySize`, row-major), the farthest distance (not squared)
    /// from it to a member, and its members. Kept apart so that a write after a copy duplicates little.
    var centres: ContiguousArray<Float> = []
    var radii: ContiguousArray<Float> = []
    var clusters: [Cluster] = []
    /// Keys holding a NaN or an infinity: their distances do not order, so while any is stored reads scan.
    var unindexedKeys = 0

    public init(keySize: Int, capacity: Int) {
        precondition(keySize > 0 && capacity > 0, "EpisodicMemory: key size and capacity must be positive")
        self.keySize = keySize
        self.capacity = capacity
    }

    /// A hash of a key's bits (keys compare exactly: the same observation projects to the same floats).
    public static func hash(_ key: UnsafeBufferPointer<Float>) -> UInt64 {
        var h: UInt64 = 0x243F_6A88_85A3_08D3
        for x in key { h = StateHash.mix(h, UInt64(x.bitPattern)) }
        return StateHash.finish(h)
    }

    static func shard(_ hash: UInt64) -> Int { Int(hash >> UInt64(64 - shardBits)) }

    public func value(at slot: Int) -> Float { chunks[slot / Self.chunkSlots].values[slot % Self.chunkSlots] }
    public func lastUsed(at slot: Int) -> UInt64 { chunks[slot / Self.chunkSlots].lastUsed[slot % Self.chunkSlots] }
    /// Every slot's value and last use, in slot order (for tests and tools). O(count).
    public var values: [Float] { chunks.flatMap(\.values) }
    public var lastUsedTimes: [UInt64] { chunks.flatMap(\.lastUsed) }

    /// The stored key of `slot`.
    public func key(at slot: Int) -> [Float] { withKey(at: slot) { Array(UnsafeBufferPointer(start: $0, count: keySize)) } }

    /// Calls `body` with the stored key of `slot`.
    public func withKey<R>(at slot: Int, _ body: (UnsafePointer<Float>) -> R) -> R {
        chunks[slot / Self.chunkSlots].keys.withUnsafeBufferPointer { body($0.baseAddress! + slot % Self.chunkSlots * keySize) }
    }

    /// The slot holding exactly `key`, or nil. O(keySize) expected.
    public func slot(of key: UnsafeBufferPointer<Float>) -> Int? {
        let h = Self.hash(key)
        guard let s = slotByHash[Self.shard(h)][h].map(Int.init) else { return nil }
        let equal = withKey(at: s) { stored in (0..<keySize).allSatisfy { stored[$0] == key[$0] } }
        return equal ? s : nil
    }

    /// Marks `slot` as used at `time`.
    public mutating func touch(_ slot: Int, at time: UInt64) { chunks[slot / Self.chunkSlots].lastUsed[slot % Self.chunkSlots] = time }

    public mutating func setValue(_ value: Float, at slot: Int) { chunks[slot / Self.chunkSlots].values[slot % Self.chunkSlots] = value }

    /// Stores `value` under `key`, used at `time` (a slot's time never goes back): in the slot already holding
    /// `key`, else a new one, else (when full) the slot used longest ago. Returns the slot. O(keySize) expected,
    /// O(count) to evict.
    @discardableResult
    public mutating func write(_ key: UnsafeBufferPointer<Float>, value: Float, at time: UInt64) -> Int {
        precondition(key.count == keySize, "EpisodicMemory: a key of \(key.count) floats, expected \(keySize)")
        if let s = slot(of: key) {
            setValue(value, at: s)
            touch(s, at: max(lastUsed(at: s), time))
            return s
        }
        let hash = Self.hash(key)
        let s: Int
        if count < capacity {
            s = count
            count += 1
            if s % Self.chunkSlots == 0 { chunks.append(Chunk()) }
            let c = chunks.count - 1
            chunks[c].keys.append(contentsOf: key)
            chunks[c].values.append(value)
            chunks[c].lastUsed.append(time)
            chunks[c].hashes.append(hash)
            chunks[c].cluster.append(-1)
        } else {
            s = leastRecentlyUsed
            unindex(s)
            let c = s / Self.chunkSlots, r = s % Self.chunkSlots
            let old = chunks[c].hashes[r]
            if slotByHash[Self.shard(old)][old] == Int32(s) { slotByHash[Self.shard(old)][old] = nil }
            for i in 0..<keySize { chunks[c].keys[r * keySize + i] = key[i] }
            chunks[c].values[r] = value
            chunks[c].lastUsed[r] = time
            chunks[c].hashes[r] = hash
        }
        slotByHash[Self.shard(hash)][hash] = Int32(s)
        index(s)
        return s
    }

    /// The slot used longest ago (the lowest among equals). O(count).
    public var leastRecentlyUsed: Int {
        var best = 0, oldest = UInt64.max
        for (c, chunk) in chunks.enumerated() {
            for (r, t) in chunk.lastUsed.enumerated() where t < oldest { (best, oldest) = (c * Self.chunkSlots + r, t) }
        }
        return best
    }

    /// The value stored under `key`, else the mean value of its `neighbours.k` nearest keys; nil when the memory
    /// is empty. O(keySize) for a stored key, else `nearest`'s cost (O(count·keySize) at worst); no allocation
    /// once `neighbours` has room for this memory's clusters.
    public func estimate(_ key: UnsafeBufferPointer<Float>, neighbours: inout Neighbours) -> Float? {
        read(key, neighbours: &neighbours)?.value
    }

    /// `estimate`, with the squared distance from `key` to the nearest stored key (0 for a stored key).
    public func read(_ key: UnsafeBufferPointer<Float>, neighbours: inout Neighbours) -> (value: Float, nearest: Float)? {
        if let s = slot(of: key) { return (value(at: s), 0) }
        let found = neighbours.find(key, in: self)
        guard found > 0 else { return nil }
        var sum: Float = 0
        for i in 0..<found { sum += value(at: Int(neighbours.slots[i])) }
        return (sum / Float(found), neighbours.distances[0])
    }

    /// The `min(k, count)` stored keys nearest `key` in squared Euclidean distance, nearest first and the lower
    /// slot first among equals: their slots and squared distances are written to the front of `slots` and
    /// `distances` (at least `k` long), and the number found is returned. Brute force over every key in slot
    /// order, O(count·keySize + count·k), no allocation: the reference the index (`nearest`) answers as, and
    /// what it falls back on while a stored key or the query holds a NaN or an infinity.
    public func scanNearest(to key: UnsafeBufferPointer<Float>, k: Int, slots: UnsafeMutableBufferPointer<Int32>,
                        distances: UnsafeMutableBufferPointer<Float>) -> Int {
        precondition(slots.count >= k && distances.count >= k, "EpisodicMemory: scratch shorter than k")
        var found = 0
        for (c, chunk) in chunks.enumerated() {
            chunk.keys.withUnsafeBufferPointer { stored in
                for r in 0..<chunk.values.count {
                    let d = Self.squaredDistance(key.baseAddress!, stored.baseAddress! + r * keySize, count: keySize)
                    if found == k && d >= distances[k - 1] { continue }
                    // Insertion into the sorted front: the farthest kept falls off when k are kept.
                    var i = found < k ? found : k - 1
                    if found < k { found += 1 }
                    while i > 0 && distances[i - 1] > d {
                        distances[i] = distances[i - 1]
                        slots[i] = slots[i - 1]
                        i -= 1
                    }
                    distances[i] = d
                    slots[i] = Int32(c * Self.chunkSlots + r)
                }
            }
        }
        return found
    }

    /// ‖a − b‖² over `count` floats, eight lanes at a time (the lanes' partial sums are added in another order
    /// than a scalar loop would, which is what lets it vectorise).
    @inline(__always)
    public static func squaredDistance(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var sum = SIMD8<Float>()
        var i = 0
        while i + 8 <= count {
            let d = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD8<Float>.self) - UnsafeRawPointer(b + i).loadUnaligned(as: SIMD8<Float>.self)
            sum.addProduct(d, d)
            i += 8
        }
        var tail: Float = 0
        while i < count {
            let d = a[i] - b[i]
            tail += d * d
            i += 1
        }
        return sum.sum() + tail
    }
}


/// Room for the k nearest neighbours of one query, kept between steps so that a lookup allocates nothing.
public struct Neighbours: Sendable {
    public let k: Int
    /// Slots and squared distances of the last query's neighbours, nearest first (the first `found` are valid).
    public private(set) var found = 0
    public private(set) var slots: ContiguousArray<Int32>
    public private(set) var distances: ContiguousArray<Float>

    public init(k: Int) {
        self.k = k
        slots = ContiguousArray(repeating: 0, count: k)
        distances = ContiguousArray(repeating: 0, count: k)
    }

    /// Room for the index's queue of clusters (`EpisodicMemory.nearest`), grown to the largest memory read.
    private var queue: ContiguousArray<UInt64> = []

    /// Finds `key`'s nearest neighbours in `memory` (`EpisodicMemory.nearest`); returns how many
    /// (min(k, memory.count)). Allocates only to grow its queue, past the most clusters met so far.
    public mutating func find(_ key: UnsafeBufferPointer<Float>, in memory: EpisodicMemory) -> Int {
        let k = self.k
        if queue.count < memory.clusterCount { queue = ContiguousArray(repeating: 0, count: 2 * memory.clusterCount) }
        found = slots.withUnsafeMutableBufferPointer { s in
            distances.withUnsafeMutableBufferPointer { d in
                queue.withUnsafeMutableBufferPointer { memory.nearest(to: key, k: k, slots: s, distances: d, queue: $0) }
            }
        }
        return found
    }
}
