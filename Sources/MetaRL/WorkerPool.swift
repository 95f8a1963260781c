import Dispatch
import Foundation
import Synchronization

/// A fixed set of helper threads that run one closure per lane, with a wake-up cheap enough for a rollout.
///
/// A rollout synchronises its threads at every environment step (the environment is stepped as one batch), so
/// waking parked threads through the kernel on every step costs as much as the step itself on a virtual
/// machine. Helpers therefore spin briefly on a generation counter after each job, and park on a semaphore only
/// when no new job arrives within about a tenth of a millisecond, so an idle trainer does not burn a core.
final class WorkerPool: @unchecked Sendable {
    /// Lanes including the calling thread (lane 0).
    let lanes: Int
    private let generation = Atomic<Int>(0)
    private let pending = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    /// Bit h is set while helper h is parked (or about to park) on `wake[h]`.
    private let parked = Atomic<Int>(0)
    private let wake: [DispatchSemaphore]
    private nonisolated(unsafe) var job: (@Sendable (Int) -> Void)?

    init(lanes: Int) {
        self.lanes = lanes
        wake = (0..<max(lanes - 1, 0)).map { _ in DispatchSemaphore(value: 0) }
        for helper in 0..<(lanes - 1) {
            let thread = Thread { [self] in self.helperLoop(helper) }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// Runs `body(lane)` for every lane in parallel and returns when all have finished.
    func run(_ body: @escaping @Sendable (Int) -> Void) {
        if lanes == 1 { body(0); return }
        job = body
        pending.store(lanes - 1, ordering: .sequentiallyConsistent)
        generation.add(1, ordering: .sequentiallyConsistent)
        unpark()
        body(0)
        while pending.load(ordering: .acquiring) > 0 {}
        job = nil
    }

    /// Ends the helper threads (after any running job).
    func stop() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        generation.add(1, ordering: .sequentiallyConsistent)
        unpark()
    }

    /// Wakes every parked helper; each clears its own bit exactly once, so each signal is consumed.
    private func unpark() {
        let was = parked.exchange(0, ordering: .sequentiallyConsistent)
        for h in 0..<(lanes - 1) where was & (1 << h) != 0 { wake[h].signal() }
    }

    private func helperLoop(_ h: Int) {
        var seen = 0
        while true {
            var spins = 0
            while generation.load(ordering: .acquiring) == seen {
                spins += 1
                if spins < 200_000 { continue }   // ≈ 0.1 ms of polling on this machine
                // Park, unless a job was posted between the last check and raising the flag.
                let bit = 1 << h
                parked.bitwiseOr(bit, ordering: .sequentiallyConsistent)
                if generation.load(ordering: .sequentiallyConsistent) != seen {
                    // Whoever clears the bit owes the signal: if the poster did, take its signal.
                    if parked.bitwiseAnd(~bit, ordering: .sequentiallyConsistent).oldValue & bit == 0 { wake[h].wait() }
                } else {
                    wake[h].wait()
                }
                spins = 0
            }
            seen = generation.load(ordering: .acquiring)
            if stopping.load(ordering: .acquiring) { return }
            if let job { job(h + 1) }
            pending.subtract(1, ordering: .sequentiallyConsistent)
        }
    }

}
