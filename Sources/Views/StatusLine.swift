import Terminal

/// The bottom line: the mode badge, the speed, and the keys that matter now (or a notice).
public enum StatusLine {
    public static func draw(_ state: DashboardState, in rect: Rect, theme: Theme, into screen: inout Screen) {
        guard rect.width > 0, rect.height > 0 else { return }
        let unicode = theme.isUnicode
        var x = screen.write(" \(state.mode.label) ", x: rect.x, y: rect.y, style: theme.style("selected").adding(.bold), clip: rect)
        if let speed = state.speed {
            x = screen.write(" \(Format.speed(speed))", x: x, y: rect.y, style: theme.style("title"), clip: rect)
        }
        x = screen.write(unicode ? " │ " : " | ", x: x, y: rect.y, style: theme.style("text-dim"), clip: rect)
        if let message = state.message {
            screen.write(message, x: x, y: rect.y, style: theme.style("warning"), clip: rect)
            return
        }
        for (index, (key, what)) in hints(state.mode, unicode: unicode).enumerated() {
            if index > 0 { x = screen.write("  ", x: x, y: rect.y, clip: rect) }
            x = screen.write(key, x: x, y: rect.y, style: theme.style("key-label"), clip: rect)
            x = screen.write(" " + what, x: x, y: rect.y, style: theme.style("text-dim"), clip: rect)
        }
    }

    /// The keys worth showing in each mode, most useful first (the line is cut at the terminal's edge).
    static func hints(_ mode: ViewMode, unicode: Bool) -> [(String, String)] {
        let step = unicode ? ". →" : ". right", back = unicode ? ", ←" : ", left"
        switch mode {
        case .live:
            return [("space", "pause"), ("+/-", "speed"), ("t", "take over"), ("h f v", "overlays"), ("?", "help"), ("q", "quit")]
        case .paused:
            return [("space", "resume"), (step, "step"), (back, "back"), ("t", "take over"), ("?", "help"), ("q", "quit")]
        case .manual:
            return [(unicode ? "↑↓←→ wasd" : "wasd", "move"), ("e", "use"), ("0-9", "play half"), (".", "wait"),
                    (",", "undo"), ("t", "hand back"), ("?", "help"), ("q", "quit")]
        case .follow:
            return [("space", "pause"), (back, "back"), ("[ ]", "episode"), ("{ }", "event"), ("?", "help"), ("q", "quit")]
        case .replay:
            return [("space", "play"), (step, "step"), (back, "back"), ("[ ]", "episode"), ("{ }", "event"),
                    ("?", "help"), ("q", "quit")]
        }
    }
}
