import Foundation
import GridWorld
import Engine
import Terminal

/// The event log: what happened in recent steps, in words, with the reward each step earned.
///
/// "e2 s37 pushed a rock into soft ground: +1.00 delight". Newest at the bottom; steps with nothing but a
/// move are left out. Play events are in the fun colour, everything else in the task colour. The first time a hidden
/// rule works in a trial is said in words of its own, highlighted ("discovery: the bell opened the red door"); later
/// times read as ordinary events.
public enum EventLogView {
    public static func draw(_ state: DashboardState, trace: Trace, in rect: Rect, theme: Theme, into screen: inout Screen) {
        let inner = screen.box(rect, title: "Events", theme: theme)
        guard inner.width > 2, inner.height > 0 else { return }
        let area = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: inner.height)
        // Newest first, each entry wrapped to the width, until the panel is full; then drawn oldest first. Entries of an
        // earlier trial sit above a line naming the trial after them, so "e4 s15" is not read as this trial's.
        var rows: [[(String, Style)]] = []
        var index = trace.count - 1
        var trialBelow = state.frame.trial
        while index >= 0 && rows.count < area.height {
            let record = trace[index]
            if record.isNotable {
                if record.trial != trialBelow {
                    if rows.count + 1 >= area.height { break }
                    rows.insert([("trial \(trialBelow + 1)", theme.style("title"))], at: 0)
                    trialBelow = record.trial
                }
                var pieces: [(String, Style)] = [(label(record), theme.style("text-dim"))]
                if record.manual { pieces.append(("you: ", theme.style("key-label"))) }
                pieces += describe(record, index: index, trace: trace, state: state, theme: theme)
                let entry = wrap(pieces, width: area.width, indent: 8)
                if !rows.isEmpty && rows.count + entry.count > area.height { break }
                rows.insert(contentsOf: entry, at: 0)
            }
            index -= 1
        }
        if rows.isEmpty {
            screen.write(trace.count == 0 ? "nothing yet" : "only moves so far", in: area, style: theme.style("text-dim"))
            return
        }
        for (row, pieces) in rows.suffix(area.height).enumerated() {
            var x = area.x
            for (text, style) in pieces { x = screen.write(text, x: x, y: area.y + row, style: style, clip: area) }
        }
    }

    /// "e2 s37   ": the episode and step, padded to the 8 columns wrapped lines are indented by, and always followed by a
    /// space ("e12 s100 " takes 9), so a long one never runs into the text.
    static func label(_ record: StepRecord) -> String {
        let label = "e\(record.episode + 1) s\(record.step)"
        return label + String(repeating: " ", count: max(1, 8 - label.count))
    }

    /// Breaks styled pieces into rows of at most `width` columns at spaces; later rows start `indent` in.
    static func wrap(_ pieces: [(String, Style)], width: Int, indent: Int) -> [[(String, Style)]] {
        var rows: [[(String, Style)]] = [[]]
        var column = 0
        for (text, style) in pieces {
            var words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            // Keep the padding of a padded piece (the step label) as it is.
            if text.hasSuffix(" ") && text.trimmingCharacters(in: .whitespaces).count < text.count - 1 {
                words = [text]
            }
            for (n, word) in words.enumerated() {
                let piece = n < words.count - 1 ? word + " " : word
                if column + word.count > width && column > indent {
                    rows.append([(String(repeating: " ", count: indent), style)])
                    column = indent
                }
                rows[rows.count - 1].append((piece, style))
                column += piece.count
            }
        }
        return rows
    }

    /// A generic event that a more specific one in the same step already says (a sunk rock was pushed), or that
    /// the step's discovery line tells (the rule's own events, and the play that set it off).
    static func isImplied(_ kind: EventKind, in record: StepRecord) -> Bool {
        let events = record.events
        if record.discovered != 0 {
            if let rule = kind.mechanic, record.discovered & 1 << rule.rawValue != 0 { return true }
            if [.pushed, .kicked, .ballRolled, .bellRang, .lightToggled, .dug, .built].contains(kind) { return true }
        }
        switch kind {
        case .pushed: return events.contains(.rockSank)
        case .kicked: return events.contains(.ballRolled) || events.contains(.ballBounced)
        default: return false
        }
    }

    /// The pieces of one log line: phrases of its events, then what it earned, then how the episode ended.
    static func describe(_ record: StepRecord, index: Int, trace: Trace, state: DashboardState, theme: Theme) -> [(String, Style)] {
        var pieces: [(String, Style)] = []
        var first = true
        if let discovery = record.discovery {
            pieces.append(("discovery: " + discovery, theme.style("warning")))
            first = false
        }
        for kind in record.events where kind != .moved && !isImplied(kind, in: record) {
            pieces.append(((first ? "" : "; ") + kind.phrase, kind.isPlay ? theme.style("fun") : theme.style("task")))
            first = false
        }
        var earned: [String] = []
        // A reward that reads 0.00 says nothing (and its sign's space would double the one before it).
        if Format.showsNonZero(record.task) { earned.append("\(Format.signed(record.task)) task") }
        for (component, name) in state.funNames.enumerated() where component < trace.components {
            let value = trace.fun(index, component)
            if Format.showsNonZero(value) { earned.append("\(Format.signed(value)) \(name)") }
        }
        if !earned.isEmpty {
            pieces.append(((first ? "" : ": ") + earned.joined(separator: ", "), theme.style("title")))
            first = false
        }
        if record.terminated || record.truncated {
            let end = record.succeeded ? "episode done: success" : record.truncated ? "episode over: out of time" : "episode over"
            pieces.append(((first ? "" : theme.isUnicode ? " · " : " - ") + end,
                           theme.style("warning")))
        }
        return pieces
    }
}
