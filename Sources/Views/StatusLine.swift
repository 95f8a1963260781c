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
        var hints = hints(state.mode, input: state.inputMode, isPlaying: state.speed != nil, isFollowing: state.isFollowing,
                          unicode: unicode)
        if !state.frame.world.rules.mechanics.isEmpty {
            hints.insert(("r", state.overlay == .reveal ? "hide rules" : "reveal rules"), at: min(3, hints.count))
        }
        for (index, (key, what)) in hints.enumerated() {
            let width = (index > 0 ? 2 : 0) + Screen.columns(of: key) + 1 + Screen.columns(of: what)
            guard x + width <= rect.maxX else { break }
            if index > 0 { x = screen.write("  ", x: x, y: rect.y, clip: rect) }
            x = screen.write(key, x: x, y: rect.y, style: theme.style("key-label"), clip: rect)
            x = screen.write(" " + what, x: x, y: rect.y, style: theme.style("text-dim"), clip: rect)
        }
    }

    /// The keys worth showing in each mode, most useful first (the line is cut at the terminal's edge). In manual
    /// play a digit plays now, or (simultaneous coupling) picks the play half the next move takes; in a replay space
    /// plays or, while it plays (a replay shows its speed only then), pauses; on a followed tape it pauses following or
    /// follows again.
    static func hints(_ mode: ViewMode, input: InputMode, isPlaying: Bool, isFollowing: Bool,
                      unicode: Bool) -> [(String, String)] {
        let step = unicode ? ". →" : ". right", back = unicode ? ", ←" : ", left"
        switch mode {
        case .live:
            return [("space", "pause"), ("?", "help"), ("q", "quit"), ("+/-", "speed"), ("t", "take over"), ("h f v", "overlays")]
        case .paused:
            return [("space", "resume"), ("?", "help"), ("q", "quit"), (step, "step"), (back, "back"), ("t", "take over")]
        case .manual:
            let play = input == .manualSimultaneous ? (KeyMap.playHalfDigits, "play half") : (KeyMap.playNowDigits, "play now")
            return [("?", "help"), ("q", "quit"), (unicode ? "↑↓←→ wasd" : "wasd", "move"), ("e", "use"), play, (".", "wait"),
                    (",", "undo"), ("t", "hand back")]
        case .follow:
            return [("space", isFollowing ? "pause" : "follow"), ("?", "help"), ("q", "quit"), (back, "back"), ("[ ]", "episode"),
                    ("{ }", "event")]
        case .replay:
            return [("space", isPlaying ? "pause" : "play"), ("?", "help"), ("q", "quit"), (step, "step"), (back, "back"),
                    ("[ ]", "episode"), ("{ }", "event")]
        }
    }
}
