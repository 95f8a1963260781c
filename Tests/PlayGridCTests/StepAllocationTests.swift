import GridWorld
@testable import PlayGridC
import TestSupport
import Testing

/// `pg_batch_step` allocates nothing with delight or no fun (playgrid.h says so): only a step that begins a trial
/// of a varying family, drawing a new MDP, does.
@Suite(.enabled(if: HeapAllocations.areCounted, "allocations are counted only with glibc"))
struct StepAllocationTests {
    @Test("a batch steps through the C functions without allocating, but where a trial draws a new MDP",
          arguments: ["playroom", "sandbox", "serpentine", "rock-garden", "tinker-lab", "buried-key"], ["delight=1", ""])
    func stepAllocatesNothing(_ name: String, fun: String) throws {
        let batch = try Opened(name, fun: fun, seeds: Array(0..<8))
        var actions = [Int64](repeating: 0, count: 16)
        var rng = SplitMix64(seed: 1)
        var allocations = 0
        for step in 0..<11_000 {
            for i in 0..<8 {
                actions[2 * i] = Int64(rng.below(TaskAction.count))
                actions[2 * i + 1] = Int64(rng.below(PlayAction.count))
            }
            let episodes = batch.episode.map { $0 }
            var status: Int32 = 0
            let count = actions.withUnsafeBufferPointer { actions in
                HeapAllocations.count { status = pgBatchStep(batch.handle, actions.baseAddress, 16) }
            }
            #expect(status == 0)
            // A step after an episode's last begins the next episode; back at episode 0, it began a new trial.
            let newTrial = zip(episodes, batch.episode).contains { $0 != 0 && $1 == 0 }
            if step >= 1000 && !newTrial { allocations += count }
        }
        #expect(allocations == 0)
    }
}
