import Dispatch

/// Monotonic wall-clock timing for benchmarks.
public struct Stopwatch {
    let start = DispatchTime.now().uptimeNanoseconds
    public init() {}
    public var seconds: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
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
