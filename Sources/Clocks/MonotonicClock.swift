import Foundation

/// A clock that only moves forward, read as the time since its own fixed origin.
///
/// Everything in PlayGrid that measures or paces time (tape batching, the screen loop, benchmarks, run reports,
/// progress lines) reads one of these, passed in. Production code uses `SystemClock`; tests pass a `ManualClock`
/// and move time by hand instead of sleeping, so timing rules are tested exactly and fast.
public protocol MonotonicClock: Sendable {
    /// Time since the clock's origin; never decreases.
    var now: Duration { get }

    /// Waits `duration` (a `ManualClock` just moves its time on).
    func sleep(for duration: Duration)
}

extension MonotonicClock {
    /// `now` in whole nanoseconds, for deadlines kept as integers on hot paths. O(1).
    @inlinable public var nanoseconds: UInt64 {
        let (seconds, attoseconds) = now.components
        return UInt64(seconds) &* 1_000_000_000 &+ UInt64(attoseconds / 1_000_000_000)
    }

    /// Seconds elapsed since `start`, an earlier reading of this clock.
    @inlinable public func seconds(since start: Duration) -> Double {
        (now - start) / .seconds(1)
    }
}

/// The system's monotonic clock (`ContinuousClock`), with its origin where it was made.
public struct SystemClock: MonotonicClock {
    @usableFromInline let origin: ContinuousClock.Instant

    public init() {
        origin = .now
    }

    @inlinable public var now: Duration { ContinuousClock.now - origin }

    public func sleep(for duration: Duration) {
        guard duration > .zero else { return }
        Thread.sleep(forTimeInterval: duration / .seconds(1))
    }
}

/// A clock that moves only when told: a test advances it (or code under test "sleeps" on it), or has every reading
/// move it on by a fixed tick, to script how long work takes. Deterministic, and safe to share between threads.
public final class ManualClock: MonotonicClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Duration
    /// How far each reading moves the clock on before it reports; zero for a clock that stands still.
    public let tick: Duration

    /// A clock standing at `start`; each reading of `now` first moves it on by `tick` (so the first reads `start + tick`).
    public init(_ start: Duration = .zero, advancingEachReadingBy tick: Duration = .zero) {
        current = start
        self.tick = max(.zero, tick)
    }

    public var now: Duration {
        lock.lock()
        defer { lock.unlock() }
        current += tick
        return current
    }

    /// Moves the time on by `duration` (negative durations are ignored: the clock is monotonic).
    public func advance(by duration: Duration) {
        guard duration > .zero else { return }
        lock.lock()
        current += duration
        lock.unlock()
    }

    /// Returns at once, the time moved on by `duration`.
    public func sleep(for duration: Duration) {
        advance(by: duration)
    }
}
