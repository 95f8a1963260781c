import Foundation
import Synchronization
import Testing
@testable import MetaRL

@Suite struct WorkerPoolTests {
    final class Hits: @unchecked Sendable {
        let counts = Atomic<Int>(0)
        let lanesSeen = Atomic<Int>(0)
    }

    @Test("every lane runs exactly once per job, through thousands of back-to-back jobs and after parking")
    func lanes() {
        let pool = WorkerPool(lanes: 3)
        defer { pool.stop() }
        let hits = Hits()
        for round in 0..<3000 {
            pool.run { lane in
                hits.counts.add(1, ordering: .relaxed)
                hits.lanesSeen.bitwiseOr(1 << lane, ordering: .relaxed)
            }
            if round == 1000 { Thread.sleep(forTimeInterval: 0.05) }   // long enough for the helpers to park
        }
        #expect(hits.counts.load(ordering: .relaxed) == 9000)
        #expect(hits.lanesSeen.load(ordering: .relaxed) == 0b111)
    }
}
