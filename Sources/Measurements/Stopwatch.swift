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
    let start = ThreadCPUStopwatch.now
    public init() {}
    public var seconds: Double { Double(ThreadCPUStopwatch.now - start) / 1e9 }

    static var now: UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }
}
