import AllocationCounter

/// Counts heap allocations, so tests can pin the hot paths that promise to allocate nothing per step.
///
/// The test process's `malloc`, `calloc`, `realloc` and aligned allocations are replaced (Tests/AllocationCounter)
/// by ones that forward to glibc and count the calls a thread makes while it asks them to. Elsewhere nothing is
/// counted: tests check `HeapAllocations.areCounted` and skip.
public enum HeapAllocations {
    /// Whether this platform counts allocations (Linux with glibc).
    public static var areCounted: Bool { pg_allocations_are_counted() }

    /// The allocations this thread makes while `body` runs. `body` is synchronous, so it runs on this thread start
    /// to end; allocations of other threads (tests running in parallel) are not counted.
    public static func count(in body: () -> Void) -> Int {
        pg_allocations_start()
        body()
        return pg_allocations_stop()
    }
}
