import Clocks
import CommandLineErrors
import Foundation
import Views

/// A one-line progress bar with rate and ETA on stderr (a plain line every few seconds when stderr is a file).
///
/// Shared by `train` and `experiment`, so long jobs look and log alike.
struct ProgressBar {
    let total: Int
    let interactive = isatty(2) == 1
    let clock: any MonotonicClock
    var lastPlain: Duration
    var lastDraw: Duration

    init(total: Int, clock: any MonotonicClock = SystemClock()) {
        self.total = total
        self.clock = clock
        lastPlain = clock.now
        lastDraw = lastPlain - .seconds(1)
    }

    mutating func update(done: Int, rate: Double, detail: String) {
        let now = clock.now
        // Work whose last step overshoots what was planned (a high level's skill ends where its episode does) is
        // shown as done, never as "20k/6k steps" with a negative ETA.
        let total = max(self.total, done)
        let fraction = Double(done) / Double(max(1, total))
        let eta = rate > 0 ? Double(total - done) / rate : 0
        let line = String(format: "%3.0f%% %@/%@ steps  %@/s  ETA %@  %@", fraction * 100, Format.count(done), Format.count(total),
                          Format.count(Int(rate)), Format.minutesAndSeconds(eta), detail)
        if interactive {
            guard now - lastDraw > .milliseconds(100) || done >= total else { return }
            lastDraw = now
            let width = 24, filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            // Cut to the terminal's width: a line that wraps is not redrawn in place, and several agents' details
            // (`experiment --jobs`) easily exceed it.
            let shown = Self.terminalColumns.map { Format.fitted("\(bar) \(line)", columns: $0 - 1) } ?? "\(bar) \(line)"
            writeToStandardError("\r\u{1B}[K\(shown)")
        } else if now - lastPlain > .seconds(5) || done >= total {
            lastPlain = now
            printError(line)
        }
    }

    /// Logs a line without breaking the bar: it is drawn again at the next update.
    mutating func note(_ line: String) {
        if interactive {
            writeToStandardError("\r\u{1B}[K")
            lastDraw = clock.now - .seconds(1)
        }
        printError(line)
    }

    func finish() { if interactive { writeToStandardError("\n") } }

    /// The width of the terminal on stderr, nil when it cannot be told.
    static var terminalColumns: Int? {
        var size = winsize()
        guard ioctl(2, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

}
