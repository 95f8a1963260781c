import Foundation
import GridWorld

/// How often each state has been visited: the memory of count-based novelty and of visitation entropy.
public struct VisitCounts: Sendable, Codable, Hashable {
    var index = KeyIndex()
    var counts: ContiguousArray<UInt32> = []
    /// Visits counted in all.
    public private(set) var total = 0

    public init() {}

    /// Counts a visit and returns the state's count including it. O(1) expected.
    public mutating func visit(_ key: UInt64) -> Int {
        let (n, inserted) = index.insert(key)
        if inserted { counts.append(0) }
        counts[n] &+= 1
        total += 1
        return Int(counts[n])
    }

    /// Visits of a state so far.
    public func count(of key: UInt64) -> Int { index.number(of: key).map { Int(counts[$0]) } ?? 0 }

    /// Distinct states visited.
    public var distinct: Int { counts.count }

    /// Entropy (nats) of the visitation distribution.
    public var entropy: Double {
        guard total > 0 else { return 0 }
        let t = Double(total)
        return counts.reduce(0) { sum, c in c == 0 ? sum : sum - Double(c) / t * log(Double(c) / t) }
    }

    public mutating func removeAll() {
        index.removeAll()
        counts.removeAll(keepingCapacity: true)
        total = 0
    }
}
