import Testing
import Views

@Suite struct FormatTests {
    @Test("a line is cut to the columns it may use, with an ellipsis where something was cut")
    func fitted() {
        #expect(Format.fitted("12% 3.1M/9.0M steps", columns: 40) == "12% 3.1M/9.0M steps")
        #expect(Format.fitted("12345", columns: 5) == "12345")
        #expect(Format.fitted("123456", columns: 5) == "1234…")
        #expect(Format.fitted("██░ 2 at once: none seed 4/10 · none seed 5/10", columns: 14).count == 14)
        #expect(Format.fitted("anything", columns: 0) == "")
    }

    @Test("an ETA of years reads as its minutes, never as a negative number or a trap")
    func longDurations() {
        #expect(Format.minutesAndSeconds(725) == "12:05")
        #expect(Format.minutesAndSeconds(130_000_000_005) == "2166666666:45")
        #expect(Format.minutesAndSeconds(1e30) == "16666666666666:40", "capped at 10¹⁵ s")
        #expect(Format.minutesAndSeconds(-.infinity) == "0:00")
    }
}
