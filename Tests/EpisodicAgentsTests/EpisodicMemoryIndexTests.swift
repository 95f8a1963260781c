@testable import EpisodicAgents
import GridWorld
import TestSupport
import Testing

/// The index must answer exactly as the brute-force scan does: the same slots in the same order, the same float
/// distances, ties to the lower slot, through writes, rewrites, evictions and cluster splits and removals.
@Suite struct EpisodicMemoryIndexTests {
    /// Checks `query` through the index against the scan; returns whether they agree bit for bit.
    static func agrees(_ memory: EpisodicMemory, _ query: [Float], neighbours: inout Neighbours) -> Bool {
        let k = neighbours.k
        var slots = [Int32](repeating: -1, count: k), distances = [Float](repeating: 0, count: k)
        let scanned = query.withUnsafeBufferPointer { q in
            slots.withUnsafeMutableBufferPointer { s in distances.withUnsafeMutableBufferPointer { memory.scanNearest(to: q, k: k, slots: s, distances: $0) } }
        }
        let found = query.withUnsafeBufferPointer { neighbours.find($0, in: memory) }
        return found == scanned && Array(neighbours.slots.prefix(found)) == Array(slots.prefix(found))
            && neighbours.distances.prefix(found).map(\.bitPattern) == distances.prefix(found).map(\.bitPattern)
    }

    /// The index's bookkeeping: every stored key in exactly the cluster its slot names, at the distance kept for
    /// it, within its cluster's radius.
    static func indexIsConsistent(_ memory: EpisodicMemory) -> Bool {
        var seen = Set<Int>()
        for (j, cluster) in memory.clusters.enumerated() {
            guard !cluster.slots.isEmpty, cluster.slots.count == cluster.distances.count else { return false }
            let centre = Array(memory.centres[j * memory.keySize ..< (j + 1) * memory.keySize])
            for (slot, d) in zip(cluster.slots, cluster.distances) {
                let s = Int(slot)
                guard memory.cluster(of: s) == j, seen.insert(s).inserted, d <= memory.radii[j],
                      memory.distance(centre, s).squareRoot() == d else { return false }
            }
        }
        return seen.count + memory.unindexedKeys == memory.count && memory.centres.count == memory.clusterCount * memory.keySize
    }

    /// Writes `keys` one by one (some twice, so that a rewrite keeps its slot), checking queries against the scan
    /// every `every` writes: new keys, stored keys, and stored keys nudged.
    static func check(_ keys: [[Float]], queries: [[Float]], capacity: Int, k: Int, seed: UInt64, every: Int = 97) {
        var rng = SplitMix64(seed: seed)
        var memory = EpisodicMemory(keySize: keys[0].count, capacity: capacity)
        var neighbours = Neighbours(k: k)
        var disagreements = 0, checked = 0
        for (i, key) in keys.enumerated() {
            let rewrite = i > 0 && rng.below(10) == 0 ? keys[rng.below(i)] : key
            rewrite.withUnsafeBufferPointer { _ = memory.write($0, value: Float(i), at: UInt64(i)) }
            guard i % every == every - 1 || i == keys.count - 1 else { continue }
            #expect(indexIsConsistent(memory), "after \(i + 1) writes")
            for _ in 0..<8 {
                var query = queries[rng.below(queries.count)]
                switch rng.below(3) {
                case 0: query = keys[rng.below(i + 1)]
                case 1: query = keys[rng.below(i + 1)].map { $0 + Float(rng.nextNormal()) * 0.05 }
                default: break
                }
                checked += 1
                if !agrees(memory, query, neighbours: &neighbours) { disagreements += 1 }
            }
        }
        #expect(memory.count == capacity && memory.clusterCount > 1, "\(memory.count) keys in \(memory.clusterCount) clusters")
        #expect(disagreements == 0, "\(disagreements) of \(checked) queries")
    }

    @Test("random keys: the index finds what the scan finds, through evictions, splits and emptied clusters")
    func randomKeys() {
        var rng = SplitMix64(seed: 3)
        for size in [64, 19] {
            let keys = (0..<3000).map { _ in (0..<size).map { _ in Float(rng.nextNormal()) } }
            let queries = (0..<200).map { _ in (0..<size).map { _ in Float(rng.nextNormal()) } }
            Self.check(keys, queries: queries, capacity: 700, k: 11, seed: 4)
        }
    }

    @Test("keys on a small lattice, where many distances tie: ties go to the lower slot, as the scan sends them")
    func tiedDistances() {
        var rng = SplitMix64(seed: 5)
        let keys = (0..<2500).map { _ in (0..<8).map { _ in Float(rng.below(3)) } }
        let queries = (0..<200).map { _ in (0..<8).map { _ in Float(rng.below(4)) / 2 } }
        Self.check(keys, queries: queries, capacity: 900, k: 11, seed: 6, every: 50)
    }

    /// MFEC's keys (projected observations) of a random walk through `name`, as the bench makes them.
    static func walkKeys(_ name: String, steps: Int, agent: inout MFECAgent, rng: inout SplitMix64) throws -> [[Float]] {
        var walk = try TrialWorld(scenario: try shipped(name), seed: 9)
        return try (0..<steps).map { _ in
            agent.project(walk.world, rng: &rng)
            if walk.step(ActionPair(TaskAction(rawValue: UInt8(rng.below(TaskAction.count)))!)).isLast { try walk.beginNextEpisode() }
            return Array(agent.key)
        }
    }

    @Test("MFEC's keys of a four-rooms walk, queried with an open-field walk's: the index finds what the scan finds")
    func walkKeys() throws {
        var agent = MFECAgent(funWeight: 0)
        var rng = SplitMix64(seed: 11)
        let stored = try Self.walkKeys("four-rooms", steps: 12_000, agent: &agent, rng: &rng)
        let strangers = try Self.walkKeys("open-field", steps: 400, agent: &agent, rng: &rng)
        Self.check(stored, queries: strangers, capacity: 1500, k: 11, seed: 12, every: 500)
    }

    @Test("while a stored key or the query holds a NaN or an infinity, reads scan; evicting the key brings the index back")
    func nonFiniteKeys() {
        var rng = SplitMix64(seed: 8)
        var memory = EpisodicMemory(keySize: 4, capacity: 200)
        var neighbours = Neighbours(k: 5)
        let keys = (0..<200).map { _ in (0..<4).map { _ in Float(rng.nextNormal()) } }
        for (i, key) in keys.enumerated() { key.withUnsafeBufferPointer { _ = memory.write($0, value: 0, at: UInt64(i)) } }
        [Float.nan, 0, 0, 0].withUnsafeBufferPointer { _ = memory.write($0, value: 0, at: 1000) }
        #expect(memory.unindexedKeys == 1 && Self.indexIsConsistent(memory))
        for query in keys.prefix(20) + [[0, .infinity, 0, 0]] { #expect(Self.agrees(memory, query, neighbours: &neighbours)) }
        for (i, key) in keys.enumerated() { key.withUnsafeBufferPointer { _ = memory.write($0, value: 0, at: UInt64(2000 + i)) } }
        #expect(memory.unindexedKeys == 0 && Self.indexIsConsistent(memory))
        for query in keys.prefix(20) { #expect(Self.agrees(memory, query, neighbours: &neighbours)) }
    }

    @Test("a read through the index allocates nothing once its neighbours have room", .enabled(if: HeapAllocations.areCounted))
    func readAllocatesNothing() {
        var rng = SplitMix64(seed: 10)
        var memory = EpisodicMemory(keySize: 64, capacity: 5000)
        for i in 0..<5000 { (0..<64).map { _ in Float(rng.nextNormal()) }.withUnsafeBufferPointer { _ = memory.write($0, value: 0, at: UInt64(i)) } }
        let query = (0..<64).map { _ in Float(rng.nextNormal()) }
        var neighbours = Neighbours(k: 11)
        _ = query.withUnsafeBufferPointer { neighbours.find($0, in: memory) }
        let allocations = HeapAllocations.count { _ = query.withUnsafeBufferPointer { neighbours.find($0, in: memory) } }
        #expect(memory.clusterCount > 50 && allocations == 0)
    }
}
