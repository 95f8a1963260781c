import Clocks
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Monotonic wall-clock timing for benchmarks, read from an injected clock (the system's by default).
public struct Stopwatch {
    let clock: any MonotonicClock
    let start: Duration

    public init(clock: any MonotonicClock = SystemClock()) {
        self.clock = clock
        start = clock.now
    }

    public var seconds: Double { clock.seconds(since: start) }
}

/// Repeats `body` (which returns how many units of work it did) until at least `seconds` have passed, and
/// returns units per second, best of `rounds`.
public func rate(seconds: Double = 0.4, rounds: Int = 3, _ body: () throws -> Int) rethrows -> Double {
    var best = 0.0
    for _ in 0..<rounds {
        let watch = Stopwatch()
        var units = 0
        repeat { units += try body() } while watch.seconds < seconds / Double(rounds)
        best = max(best, Double(units) / watch.seconds)
    }
    return best
}

/// CPU time of the calling thread (user and system): what a piece of work costs, whatever else the machine runs.
/// Ratios of two such times stay steady on a busy machine where wall-clock ratios swing by tens of percent.
public struct ThreadCPUStopwatch {
    let start = cpuNanoseconds(CLOCK_THREAD_CPUTIME_ID)
    public init() {}
    public var seconds: Double { Double(cpuNanoseconds(CLOCK_THREAD_CPUTIME_ID) - start) / 1e9 }
}

/// CPU time of the whole process (every thread, user and system): what work costs when it spreads over threads.
public struct ProcessCPUStopwatch {
    let start = cpuNanoseconds(CLOCK_PROCESS_CPUTIME_ID)
    public init() {}
    public var seconds: Double { Double(cpuNanoseconds(CLOCK_PROCESS_CPUTIME_ID) - start) / 1e9 }

    /// The process CPU time that `body` takes.
    public static func measure(_ body: () throws -> Void) rethrows -> Double {
        let watch = ProcessCPUStopwatch()
        try body()
        return watch.seconds
    }
}

/// The CPU-time clock `clock` (a thread's or the process's) in nanoseconds.
func cpuNanoseconds(_ clock: clockid_t) -> UInt64 {
    var t = timespec()
    clock_gettime(clock, &t)
    return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
}
