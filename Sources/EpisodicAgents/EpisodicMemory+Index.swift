/// The exact nearest-neighbour index of an `EpisodicMemory`: keys grouped in clusters, each with a centre and a
/// radius (the farthest member's distance from it), every member's distance to its centre kept beside its slot.
///
/// By the triangle inequality no member of a cluster is nearer a query q than ‖q − centre‖ − radius, and no member
/// x nearer than |‖q − centre‖ − ‖x − centre‖|. A read visits clusters nearest bound first, computes the distance
/// only of members whose own bound does not already put them past the k-th nearest so far, and stops at the first
/// cluster whose bound does. Bounds are widened by `boundSlack` for the rounding in the distances they come from,
/// so a key is skipped only when its computed distance is certainly greater than the k-th: what is left is the
/// scan's answer, the same slots in the same order with the same floats.
///
/// A new key joins the cluster with the nearest centre (O(clusters·keySize)); a cluster reaching `clusterLimit`
/// members splits in two by three rounds of 2-means (O(clusterLimit·keySize)), and an evicted key leaves its
/// cluster (O(clusterLimit)). Centres are member means, so radii stay small: splitting at the two members
/// farthest apart and keeping them as centres left radii so wide that reads visited five times the clusters.
extension EpisodicMemory {
    /// Members a cluster holds before it splits. At 64 the bench's ~17k four-rooms keys a memory make ~470
    /// clusters, and an open-field query computes ~470 centre and ~440 key distances instead of 17k (visiting ~26
    /// clusters); 32 and 128 cost more (measured offline on the same keys).
    static let clusterLimit = 64

    struct Cluster: Sendable {
        var slots: ContiguousArray<Int32> = []
        /// Each member's distance (not squared) to the centre.
        var distances: ContiguousArray<Float> = []
    }

    public var clusterCount: Int { radii.count }

    /// The relative error allowed for in a distance computed with `squaredDistance` and a square root, with
    /// room to spare: a sum of `keySize` products is off by at most about keySize/2 ulps.
    var boundSlack: Float { Float(2 * keySize + 64) * .ulpOfOne }

    /// The `min(k, count)` stored keys nearest `key` in squared Euclidean distance, exactly as `scanNearest` finds
    /// them (nearest first, the lower slot first among equals, the same floats), through the index. `queue` is room
    /// for `clusterCount` entries (`Neighbours` keeps it). O(clusterCount·keySize + visited keys·keySize): ~5% of
    /// the scan's distances for an open-field query among four-rooms' 17k keys; O(count·keySize) at worst; no
    /// allocation.
    public func nearest(to key: UnsafeBufferPointer<Float>, k: Int, slots: UnsafeMutableBufferPointer<Int32>,
                        distances: UnsafeMutableBufferPointer<Float>, queue: UnsafeMutableBufferPointer<UInt64>) -> Int {
        precondition(key.count == keySize, "EpisodicMemory: a key of \(key.count) floats, expected \(keySize)")
        precondition(slots.count >= k && distances.count >= k, "EpisodicMemory: scratch shorter than k")
        guard unindexedKeys == 0 && key.allSatisfy(\.isFinite) else {
            return scanNearest(to: key, k: k, slots: slots, distances: distances)
        }
        var pending = clusterCount
        precondition(queue.count >= pending, "EpisodicMemory: room for \(queue.count) clusters, \(pending) needed")
        let q = key.baseAddress!, slack = boundSlack
        // The clusters by the bound on their members' distance, as a binary min-heap of the bound's bits (in an
        // order that sorts as the floats do) above the cluster's number. A NaN bound (from an overflowed centre)
        // proves nothing, so it sorts first.
        centres.withUnsafeBufferPointer { c in
            for j in 0..<pending {
                let toCentre = Self.squaredDistance(q, c.baseAddress! + j * keySize, count: keySize).squareRoot()
                let bound = toCentre * (1 - slack) - radii[j] * (1 + slack)
                queue[j] = UInt64(Self.sortableBits(bound.isNaN ? -.infinity : bound)) << 32 | UInt64(j)
            }
        }
        for i in stride(from: pending / 2 - 1, through: 0, by: -1) { Self.siftDown(queue, from: i, count: pending) }
        var found = 0
        while pending > 0 {
            let bound = Self.float(sortableBits: UInt32(queue[0] >> 32)), j = Int(UInt32(truncatingIfNeeded: queue[0]))
            if found == k && Self.isBeyond(bound, distances[k - 1], slack: slack) { break }
            pending -= 1
            queue[0] = queue[pending]
            Self.siftDown(queue, from: 0, count: pending)
            let toCentre = centres.withUnsafeBufferPointer { Self.squaredDistance(q, $0.baseAddress! + j * keySize, count: keySize) }.squareRoot()
            clusters[j].slots.withUnsafeBufferPointer { members in
                clusters[j].distances.withUnsafeBufferPointer { fromCentre in
                    for m in 0..<members.count {
                        if found == k {
                            let bound = max(toCentre * (1 - slack) - fromCentre[m] * (1 + slack),
                                            fromCentre[m] * (1 - slack) - toCentre * (1 + slack))
                            if Self.isBeyond(bound, distances[k - 1], slack: slack) { continue }
                        }
                        let slot = members[m]
                        let d = withKey(at: Int(slot)) { Self.squaredDistance(q, $0, count: keySize) }
                        Self.insert(d, slot, k: k, found: &found, slots: slots, distances: distances)
                    }
                }
            }
        }
        return found
    }

    /// A float's bits, turned so that they sort as the (non-NaN) floats do.
    static func sortableBits(_ x: Float) -> UInt32 { x.sign == .minus ? ~x.bitPattern : x.bitPattern | 1 << 31 }
    static func float(sortableBits bits: UInt32) -> Float { Float(bitPattern: bits & 1 << 31 != 0 ? bits & ~(1 << 31) : ~bits) }

    /// Restores the min-heap below `start` in the first `count` of `heap`.
    static func siftDown(_ heap: UnsafeMutableBufferPointer<UInt64>, from start: Int, count: Int) {
        var i = start
        while 2 * i + 1 < count {
            let left = 2 * i + 1
            let child = left + 1 < count && heap[left + 1] < heap[left] ? left + 1 : left
            guard heap[child] < heap[i] else { return }
            heap.swapAt(i, child)
            i = child
        }
    }

    /// Whether a key no nearer than `bound` (a distance, not squared) has a computed squared distance certainly
    /// greater than `kth`: `slack` covers rounding, the hair added to `kth` sums that fall below the normal floats.
    /// False for a NaN bound and for an infinite `kth`.
    @inline(__always)
    static func isBeyond(_ bound: Float, _ kth: Float, slack: Float) -> Bool {
        bound > 0 && bound * bound * (1 - slack) > kth + Float.leastNormalMagnitude * 64
    }

    /// Puts (`d`, `slot`) into the first `found` of `distances` and `slots`, kept sorted by distance and then slot
    /// (the order the scan's slot-order insertion leaves), dropping the last when `k` are kept.
    @inline(__always)
    static func insert(_ d: Float, _ slot: Int32, k: Int, found: inout Int,
                       slots: UnsafeMutableBufferPointer<Int32>, distances: UnsafeMutableBufferPointer<Float>) {
        if found == k && (d > distances[k - 1] || d == distances[k - 1] && slot > slots[k - 1]) { return }
        var i = found < k ? found : k - 1
        if found < k { found += 1 }
        while i > 0 && (distances[i - 1] > d || distances[i - 1] == d && slots[i - 1] > slot) {
            distances[i] = distances[i - 1]
            slots[i] = slots[i - 1]
            i -= 1
        }
        distances[i] = d
        slots[i] = slot
    }

    func cluster(of slot: Int) -> Int { Int(chunks[slot / Self.chunkSlots].cluster[slot % Self.chunkSlots]) }
    mutating func setCluster(of slot: Int, to cluster: Int) { chunks[slot / Self.chunkSlots].cluster[slot % Self.chunkSlots] = Int32(cluster) }

    /// Files the key just written to `slot` in the cluster with the nearest centre, splitting that cluster when
    /// it is full.
    mutating func index(_ slot: Int) {
        guard withKey(at: slot, { key in (0..<keySize).allSatisfy { key[$0].isFinite } }) else {
            setCluster(of: slot, to: -1)
            unindexedKeys += 1
            return
        }
        guard clusterCount > 0 else {
            centres.append(contentsOf: key(at: slot))
            radii.append(0)
            clusters.append(Cluster(slots: [Int32(slot)], distances: [0]))
            setCluster(of: slot, to: 0)
            return
        }
        var nearest = 0, least = Float.infinity
        withKey(at: slot) { key in
            centres.withUnsafeBufferPointer { c in
                for j in 0..<clusterCount {
                    let d = Self.squaredDistance(key, c.baseAddress! + j * keySize, count: keySize)
                    if d < least { (nearest, least) = (j, d) }
                }
            }
        }
        let d = least.squareRoot()
        clusters[nearest].slots.append(Int32(slot))
        clusters[nearest].distances.append(d)
        radii[nearest] = Self.radius(radii[nearest], including: d)
        setCluster(of: slot, to: nearest)
        if clusters[nearest].slots.count >= Self.clusterLimit { split(nearest) }
    }

    /// A radius that also covers a member `d` away; a NaN distance (an overflowed centre) makes it infinite, so
    /// that no bound trusts it.
    static func radius(_ radius: Float, including d: Float) -> Float { d <= radius ? radius : d.isNaN ? .infinity : d }

    /// Takes the key in `slot`, about to be overwritten, out of its cluster (dropping the cluster when it empties).
    mutating func unindex(_ slot: Int) {
        let j = cluster(of: slot)
        guard j >= 0 else {
            unindexedKeys -= 1
            return
        }
        let m = clusters[j].slots.firstIndex(of: Int32(slot))!
        clusters[j].slots.swapAt(m, clusters[j].slots.count - 1)
        clusters[j].distances.swapAt(m, clusters[j].distances.count - 1)
        clusters[j].slots.removeLast()
        clusters[j].distances.removeLast()
        guard clusters[j].slots.isEmpty else {
            radii[j] = clusters[j].distances.reduce(0, Self.radius)
            return
        }
        // The last cluster takes the empty one's place.
        let last = clusterCount - 1
        if j != last {
            for i in 0..<keySize { centres[j * keySize + i] = centres[last * keySize + i] }
            radii[j] = radii[last]
            clusters[j] = clusters[last]
            for member in clusters[j].slots { setCluster(of: Int(member), to: j) }
        }
        centres.removeLast(keySize)
        radii.removeLast()
        clusters.removeLast()
    }

    /// Splits cluster `j` in two by 2-means, started from its member farthest from the centre and the member
    /// farthest from that; keeps it whole if all its members fall on one side.
    mutating func split(_ j: Int) {
        let members = clusters[j].slots
        let first = Int(members[clusters[j].distances.indices.max { clusters[j].distances[$0] < clusters[j].distances[$1] }!])
        let firstKey = key(at: first)
        let second = Int(members.max { a, b in distance(firstKey, Int(a)) < distance(firstKey, Int(b)) }!)
        var centre = (firstKey, key(at: second))
        var inSecond = [Bool](repeating: false, count: members.count)
        for round in 0...3 {
            for (m, slot) in members.enumerated() {
                inSecond[m] = distance(centre.1, Int(slot)) < distance(centre.0, Int(slot))
            }
            guard inSecond.contains(true) && inSecond.contains(false) else { return }
            if round < 3 { centre = (mean(of: members, where: { !inSecond[$0] }), mean(of: members, where: { inSecond[$0] })) }
        }
        var kept = Cluster(), moved = Cluster()
        for (m, slot) in members.enumerated() {
            let d = distance(inSecond[m] ? centre.1 : centre.0, Int(slot)).squareRoot()
            if inSecond[m] {
                moved.slots.append(slot)
                moved.distances.append(d)
            } else {
                kept.slots.append(slot)
                kept.distances.append(d)
            }
        }
        for i in 0..<keySize { centres[j * keySize + i] = centre.0[i] }
        radii[j] = kept.distances.reduce(0, Self.radius)
        clusters[j] = kept
        centres.append(contentsOf: centre.1)
        radii.append(moved.distances.reduce(0, Self.radius))
        clusters.append(moved)
        for slot in moved.slots { setCluster(of: Int(slot), to: clusterCount - 1) }
    }

    /// The squared distance from `point` to the key in `slot`.
    func distance(_ point: [Float], _ slot: Int) -> Float {
        point.withUnsafeBufferPointer { p in withKey(at: slot) { Self.squaredDistance(p.baseAddress!, $0, count: keySize) } }
    }

    /// The mean of the keys of the `members` whose index passes `include`.
    func mean(of members: ContiguousArray<Int32>, where include: (Int) -> Bool) -> [Float] {
        var sum = [Float](repeating: 0, count: keySize), n: Float = 0
        for (m, slot) in members.enumerated() where include(m) {
            withKey(at: Int(slot)) { key in for i in 0..<keySize { sum[i] += key[i] } }
            n += 1
        }
        return sum.map { $0 / n }
    }
}
