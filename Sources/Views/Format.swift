import Foundation
import GridWorld

/// Number formats the panels (and the command line's progress lines) share, so the same quantity always reads the
/// same way.
public enum Format {
    /// A count of steps in three or four characters: "950", "12k", "3.1M".
    public static func count(_ n: Int) -> String {
        n >= 1_000_000 ? String(format: "%.1fM", Double(n) / 1e6) : n >= 1000 ? String(format: "%.0fk", Double(n) / 1e3) : String(n)
    }

    /// A duration as minutes and seconds: "12:05" (0:00 when it is not finite).
    public static func minutesAndSeconds(_ seconds: Double) -> String {
        // Capped, as Int(_:) traps past Int.max; the minutes interpolated, as %d reads 32 bits and printed an ETA past
        // 4,000 years (skills learn --steps 9223372036854775807) as a negative number.
        let s = Int(seconds.isFinite ? min(max(0, seconds), 1e15) : 0)
        return "\(s / 60):" + String(format: "%02d", s % 60)
    }

    /// A reward with its sign and two decimals: "+1.00", "-0.10", " 0.00".
    static func signed(_ value: Float, decimals: Int = 2) -> String {
        let text = String(format: "%.\(decimals)f", abs(value))
        if value > 0 && text != String(format: "%.\(decimals)f", 0.0) { return "+" + text }
        if value < 0 && text != String(format: "%.\(decimals)f", 0.0) { return "-" + text }
        return " " + text
    }

    /// Whether `signed` shows `value` as something other than zero: the event log leaves out rewards that read 0.00.
    static func showsNonZero(_ value: Float) -> Bool { signed(value) != signed(0) }

    /// A probability in two columns after the point: ".42", "1.0".
    static func probability(_ p: Float) -> String {
        if p >= 0.995 { return "1.0" }
        let text = String(format: "%.2f", max(0, p))
        return String(text.dropFirst())
    }

    static func percent(_ fraction: Double) -> String { "\(Int((fraction * 100).rounded()))%" }

    /// A speed in steps per second, "max" for as fast as the engine goes.
    static func speed(_ stepsPerSecond: Double) -> String {
        if stepsPerSecond.isInfinite { return "max speed" }
        if stepsPerSecond < 1 { return String(format: "%.1f steps/s", stepsPerSecond) }
        return "\(Int(stepsPerSecond)) steps/s"
    }

    /// Both halves of an action: ⟨right, push⟩ (or <right, push> in ASCII).
    static func action(_ action: ActionPair, unicode: Bool) -> String {
        unicode ? action.description : "<\(action.task.name), \(action.play.name)>"
    }

    /// `text` padded with spaces to `width` columns (or cut).
    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? String(text.prefix(width)) : text + String(repeating: " ", count: width - text.count)
    }

    /// `text` cut to `columns` characters, its last one an ellipsis when something was cut (a terminal line that
    /// wraps cannot be redrawn in place).
    public static func fitted(_ text: String, columns: Int) -> String {
        guard columns > 0 else { return "" }
        return text.count <= columns ? text : String(text.prefix(columns - 1)) + "…"
    }

    /// `text` right-aligned in `width` columns.
    static func right(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}
