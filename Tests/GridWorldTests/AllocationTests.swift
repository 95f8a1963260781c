import Dispatch
import GridWorld
import Testing
import TestSupport

/// The allocation counter itself: without these, a harness that counted nothing would pin every path as free.
@Suite(.enabled(if: HeapAllocations.areCounted, "allocations are counted only with glibc"))
struct HeapAllocationsTests {
    @Test("a new array's storage is counted")
    func countsAnArray() {
        var array: [Int] = []
        let count = HeapAllocations.count { array = Array(repeating: 7, count: 100) }
        #expect(count >= 1)
        #expect(array.count == 100)
    }

    @Test("an over-aligned allocation is counted (Swift asks for it with posix_memalign or aligned_alloc)")
    func countsAnAlignedAllocation() {
        var pointer: UnsafeMutableRawPointer?
        let count = HeapAllocations.count { pointer = UnsafeMutableRawPointer.allocate(byteCount: 256, alignment: 64) }
        #expect(count == 1)
        pointer?.deallocate()
    }

    @Test("work on the stack counts nothing")
    func countsNothingForNoAllocation() {
        var sum = 0
        let count = HeapAllocations.count {
            for i in 0..<1000 { sum &+= i }
        }
        #expect(count == 0)
        #expect(sum == 499_500)
    }

    @Test("another thread's allocations are not counted")
    func countsOnlyThisThread() {
        let start = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            start.wait()
            var total = 0
            for i in 0..<1000 { total &+= Array(repeating: i, count: 8).count }
            precondition(total == 8000)
            done.signal()
        }
        let count = HeapAllocations.count {
            start.signal()
            done.wait()
        }
        #expect(count == 0)
    }
}

/// `World.step` allocates nothing: the world's grid is a flat buffer changed in place.
@Suite(.enabled(if: HeapAllocations.areCounted, "allocations are counted only with glibc"))
struct WorldStepAllocationTests {
    /// Steps `world` with uniformly random action pairs, starting its next episode in place whenever one ends.
    func run(_ world: inout World, steps: Int, rng: inout SplitMix64) {
        for _ in 0..<steps {
            let action = ActionPair(TaskAction(rawValue: UInt8(rng.below(6)))!, PlayAction(rawValue: UInt8(rng.below(7)))!)
            let t = world.step(action, rng: &rng)
            if t.isLast { world.resetEpisode(episode: world.state.episode + 1, rng: &rng) }
        }
    }

    @Test("stepping a world and starting its next episodes allocates nothing, on 8 MDPs of every shipped scenario",
          arguments: Repository.scenarioNames)
    func stepAllocatesNothing(_ name: String) throws {
        let scenario = try shipped(name)
        for seed in 0..<8 as Range<UInt64> {
            var world = World(scenario: scenario, level: try scenario.sample(seed: seed))
            var rng = SplitMix64(seed: 11)
            run(&world, steps: 1000, rng: &rng)
            let count = HeapAllocations.count { run(&world, steps: 10_000, rng: &rng) }
            #expect(count == 0, "MDP of level seed \(seed)")
        }
    }
}
