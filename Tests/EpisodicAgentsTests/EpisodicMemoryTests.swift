import EpisodicAgents
import GridWorld
import Testing

@Suite struct EpisodicMemoryTests {
    static func randomKey(_ size: Int, _ rng: inout SplitMix64) -> [Float] {
        (0..<size).map { _ in Float(rng.nextNormal()) }
    }

    @Test("at capacity the key used longest ago is evicted; using or rewriting a key makes it recent")
    func leastRecentlyUsedEviction() {
        var memory = EpisodicMemory(keySize: 3, capacity: 3)
        let keys: [[Float]] = [[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]]
        func slot(_ i: Int) -> Int? { keys[i].withUnsafeBufferPointer { memory.slot(of: $0) } }
        for i in 0..<3 { keys[i].withUnsafeBufferPointer { _ = memory.write($0, value: Float(i), at: UInt64(i + 1)) } }
        #expect(memory.leastRecentlyUsed == 0)
        // Using key 0 makes key 1 the one used longest ago, so the fourth key takes key 1's slot.
        memory.touch(slot(0)!, at: 4)
        #expect(memory.leastRecentlyUsed == 1)
        #expect(keys[3].withUnsafeBufferPointer { memory.write($0, value: 3, at: 5) } == 1)
        #expect(memory.count == 3)
        #expect(slot(1) == nil)
        #expect(slot(0) == 0 && slot(3) == 1)
        // Rewriting a stored key keeps its slot and changes its value; an older time does not make it look older.
        keys[2].withUnsafeBufferPointer { _ = memory.write($0, value: 9, at: 6) }
        keys[2].withUnsafeBufferPointer { _ = memory.write($0, value: 8, at: 1) }
        #expect(memory.lastUsedTimes == [4, 5, 6])
        #expect(keys[4].withUnsafeBufferPointer { memory.write($0, value: 4, at: 7) } == 0)
        #expect(memory.values == [4, 3, 8])
        #expect(Array(memory.key(at: 0)) == [1, 1, 1])
        #expect(slot(0) == nil && slot(4) == 0)
    }

    @Test("k nearest neighbours are those of a brute-force sort, nearest first, with their squared distances")
    func nearestAgainstBruteForce() {
        var rng = SplitMix64(seed: 7)
        let size = 19, stored = 500, k = 11
        var memory = EpisodicMemory(keySize: size, capacity: 400)
        var kept: [Int: [Float]] = [:]
        for i in 0..<stored {
            let key = Self.randomKey(size, &rng)
            let slot = key.withUnsafeBufferPointer { memory.write($0, value: Float(i), at: UInt64(i)) }
            kept[slot] = key
        }
        #expect(memory.count == 400)
        for _ in 0..<20 {
            let query = Self.randomKey(size, &rng)
            var neighbours = Neighbours(k: k)
            let found = query.withUnsafeBufferPointer { neighbours.find($0, in: memory) }
            let slots = neighbours.slots, distances = neighbours.distances
            func distance(_ key: [Float]) -> Float {
                var sum: Float = 0
                for (a, b) in zip(key, query) { sum += (a - b) * (a - b) }
                return sum
            }
            let brute: [(slot: Int, distance: Float)] = kept.map { ($0.key, distance($0.value)) }.sorted { $0.distance < $1.distance }
            #expect(found == k)
            #expect(slots.map { Int($0) } == brute.prefix(k).map { $0.slot })
            for (d, b) in zip(distances, brute) { #expect(abs(d - b.distance) <= 1e-4 * max(1, b.distance)) }
        }
    }

    @Test("a stored key's estimate is its value; another's is the mean of its k nearest; an empty memory has none")
    func estimates() {
        var memory = EpisodicMemory(keySize: 1, capacity: 10)
        var neighbours = Neighbours(k: 2)
        #expect([Float(0)].withUnsafeBufferPointer { memory.estimate($0, neighbours: &neighbours) } == nil)
        for (x, v) in [(0, 1), (1, 2), (3, 4), (10, 8)] { [Float(x)].withUnsafeBufferPointer { _ = memory.write($0, value: Float(v), at: 0) } }
        #expect([Float(3)].withUnsafeBufferPointer { memory.estimate($0, neighbours: &neighbours) } == 4)
        #expect([Float(0.4)].withUnsafeBufferPointer { memory.estimate($0, neighbours: &neighbours) } == 1.5)
        #expect([Float(9)].withUnsafeBufferPointer { memory.estimate($0, neighbours: &neighbours) } == 6)
    }

    @Test("fewer stored keys than k: all of them, nearest first")
    func fewerThanK() {
        var memory = EpisodicMemory(keySize: 2, capacity: 10)
        for (i, k) in [[3, 0], [1, 0], [2, 0]].enumerated() { k.map(Float.init).withUnsafeBufferPointer { _ = memory.write($0, value: Float(i), at: UInt64(i)) } }
        var neighbours = Neighbours(k: 5)
        let found = [Float(0), 0].withUnsafeBufferPointer { neighbours.find($0, in: memory) }
        let slots = neighbours.slots, distances = neighbours.distances
        #expect(found == 3)
        #expect(Array(slots.prefix(3)) == [1, 2, 0])
        #expect(Array(distances.prefix(3)) == [1, 4, 9])
    }
}
