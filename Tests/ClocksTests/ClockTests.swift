import Clocks
import Testing

/// The manual clock tests rely on, and the system clock it stands in for.
@Suite struct ClockTests {
    @Test("a manual clock stands still until advanced; sleeping on it advances it; it never goes back")
    func manual() {
        let clock = ManualClock(.seconds(2))
        #expect(clock.now == .seconds(2) && clock.now == .seconds(2))
        clock.advance(by: .milliseconds(250))
        #expect(clock.now == .milliseconds(2_250))
        #expect(clock.nanoseconds == 2_250_000_000)
        clock.sleep(for: .seconds(1))
        #expect(clock.now == .milliseconds(3_250))
        clock.advance(by: .seconds(-5))
        #expect(clock.now == .milliseconds(3_250))
        #expect(clock.seconds(since: .seconds(2)) == 1.25)
    }

    @Test("a ticking manual clock moves on by its tick at every reading, as work that takes time would")
    func ticking() {
        let clock = ManualClock(advancingEachReadingBy: .milliseconds(1))
        #expect(clock.now == .milliseconds(1))
        #expect(clock.now == .milliseconds(2))
        clock.advance(by: .milliseconds(10))
        #expect(clock.now == .milliseconds(13))
    }

    @Test("the system clock starts near zero and does not go back")
    func system() {
        let clock = SystemClock()
        let first = clock.now
        #expect(first >= .zero && first < .seconds(1))
        var previous = first
        for _ in 0..<1_000 {
            let reading = clock.now
            #expect(reading >= previous)
            previous = reading
        }
        clock.sleep(for: .milliseconds(2))
        #expect(clock.now - first >= .milliseconds(2))
    }
}
