import GridWorld

/// A store of (key, value) pairs of one key width, read by exact match or by its k nearest keys, with
/// least-recently-used eviction at a capacity: the memory of MFEC's tables and NEC's dictionaries.
///
/// Keys live in one flat `ContiguousArray<Float>`, a row per slot; exact matches go through a hash of the key's
/// bits, O(keySize) expected. Each slot carries the time (the owner's step count) it was last used, so that an
/// agent can also ask which of several memories' entries it used least recently; when full, a write replaces the
/// slot used longest ago, found by a scan (O(count), only once full). Nearest neighbours are found by brute
/// force over every stored key: at the sizes these agents meet in PlayGrid's worlds (hundreds to a few thousand
/// keys a memory) an exact scan of 64 floats a key takes microseconds, needs no index kept up to date as keys are
/// evicted, and is exactly right; at the 100k-key capacity a scan is ~6.4M multiply-adds. Storage grows by
/// doubling up to `capacity` and allocates only then.
public struct EpisodicMemory: Sendable {
    public let keySize: Int
    public let capacity: Int
    public private(set) var count = 0
    var keys: ContiguousArray<Float> = []
    public private(set) var values: ContiguousArray<Float> = []
    /// When each slot was last used, in the owner's clock.
    public private(set) var lastUsed: ContiguousArray<UInt64> = []
    /// The hash of each slot's key, and the slot of each hash.
    var hashes: ContiguousArray<UInt64> = []
    var slotByHash: [UInt64: Int32] = [:]

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

    /// The stored key of `slot`.
    public func key(at slot: Int) -> ArraySlice<Float> { keys[slot * keySize..<(slot + 1) * keySize] }

    /// The slot holding exactly `key`, or nil. O(keySize) expected.
    public func slot(of key: UnsafeBufferPointer<Float>) -> Int? {
        guard let s = slotByHash[Self.hash(key)].map(Int.init) else { return nil }
        let base = s * keySize
        for i in 0..<keySize where keys[base + i] != key[i] { return nil }
        return s
    }

    /// Marks `slot` as used at `time`.
    public mutating func touch(_ slot: Int, at time: UInt64) { lastUsed[slot] = time }

    public mutating func setValue(_ value: Float, at slot: Int) { values[slot] = value }

    /// Stores `value` under `key`, used at `time` (a slot's time never goes back): in the slot already holding
    /// `key`, else a new one, else (when full) the slot used longest ago. Returns the slot. O(keySize) expected,
    /// O(count) to evict.
    @discardableResult
    public mutating func write(_ key: UnsafeBufferPointer<Float>, value: Float, at time: UInt64) -> Int {
        precondition(key.count == keySize, "EpisodicMemory: a key of \(key.count) floats, expected \(keySize)")
        let hash = Self.hash(key)
        if let s = slot(of: key) {
            values[s] = value
            lastUsed[s] = max(lastUsed[s], time)
            return s
        }
        let s: Int
        if count < capacity {
            s = count
            count += 1
            keys.append(contentsOf: key)
            values.append(value)
            lastUsed.append(time)
            hashes.append(hash)
        } else {
            s = leastRecentlyUsed
            if slotByHash[hashes[s]] == Int32(s) { slotByHash[hashes[s]] = nil }
            for i in 0..<keySize { keys[s * keySize + i] = key[i] }
            values[s] = value
            lastUsed[s] = time
            hashes[s] = hash
        }
        slotByHash[hash] = Int32(s)
        return s
    }

    /// The slot used longest ago (the lowest among equals). O(count).
    public var leastRecentlyUsed: Int {
        lastUsed.withUnsafeBufferPointer { used in
            var best = 0
            for s in 1..<max(1, used.count) where used[s] < used[best] { best = s }
            return best
        }
    }

    /// The value stored under `key`, else the mean value of its `neighbours.k` nearest keys; nil when the memory
    /// is empty. O(keySize) for a stored key, O(count·keySize) otherwise; no allocation.
    public func estimate(_ key: UnsafeBufferPointer<Float>, neighbours: inout Neighbours) -> Float? {
        if let s = slot(of: key) { return values[s] }
        let found = neighbours.find(key, in: self)
        guard found > 0 else { return nil }
        var sum: Float = 0
        for i in 0..<found { sum += values[Int(neighbours.slots[i])] }
        return sum / Float(found)
    }

    /// The `min(k, count)` stored keys nearest `key` in squared Euclidean distance, nearest first: their slots
    /// and squared distances are written to the front of `slots` and `distances` (at least `k` long), and the
    /// number found is returned. Exact brute force, O(count·keySize + count·k), no allocation.
    public func nearest(to key: UnsafeBufferPointer<Float>, k: Int, slots: UnsafeMutableBufferPointer<Int32>,
                        distances: UnsafeMutableBufferPointer<Float>) -> Int {
        precondition(slots.count >= k && distances.count >= k, "EpisodicMemory: scratch shorter than k")
        var found = 0
        keys.withUnsafeBufferPointer { stored in
            for s in 0..<count {
                let d = Self.squaredDistance(key.baseAddress!, stored.baseAddress! + s * keySize, count: keySize)
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
                slots[i] = Int32(s)
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

    /// Finds `key`'s nearest neighbours in `memory`; returns how many (min(k, memory.count)).
    public mutating func find(_ key: UnsafeBufferPointer<Float>, in memory: EpisodicMemory) -> Int {
        let k = self.k
        found = slots.withUnsafeMutableBufferPointer { s in
            distances.withUnsafeMutableBufferPointer { memory.nearest(to: key, k: k, slots: s, distances: $0) }
        }
        return found
    }
}
