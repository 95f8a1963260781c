import GridWorld
import Terminal

/// How keys are read: arrows step while watching or replaying, and move the agent in manual play.
public enum InputMode: String, Hashable, Sendable, CaseIterable {
    /// The agent plays live.
    case watch
    /// A saved tape is shown.
    case replay
    /// The user chooses each action. A play half takes the whole turn (exclusive coupling), so a play digit acts at once.
    case manual
    /// The user chooses both halves of each action, which act together (simultaneous coupling): a play digit waits
    /// and rides with the next move, `e` or `.`.
    case manualSimultaneous = "manual-simultaneous"

    /// What help calls the mode: both manual modes are "manual", their keys say how a digit acts.
    public var title: String { self == .manualSimultaneous ? InputMode.manual.rawValue : rawValue }
}

/// Layers drawn over the map.
public enum Overlay: String, Hashable, Sendable, CaseIterable {
    /// Visit counts as a heat map.
    case heatmap
    /// Where fun (intrinsic reward) was earned.
    case funMap
    /// The agent's own egocentric observation window.
    case egocentric
    /// This trial's hidden rules, drawn on the map and said in a line of text (off by default, so a watcher finds
    /// them out with the agent).
    case reveal
}

/// What a key asks a mode to do; modes switch over this, never over raw keys.
public enum Command: Hashable, Sendable {
    case togglePause
    case stepForward
    case stepBack
    case faster
    case slower
    case quit
    case help
    /// Closes the help overlay or any other transient panel.
    case dismiss
    /// Takes control from the agent (watch) or hands it back (manual).
    case takeOver
    /// The task half of the action: a move (the world's own `Direction`).
    case move(Direction)
    /// The task half of the action: use (pick up, open, press, eat).
    case use
    /// The play half of the action, by number; 0 is none.
    case play(Int)
    case toggleOverlay(Overlay)
    case nextEpisode
    case previousEpisode
    case nextEvent
    case previousEvent
    /// The first step of the next (previous) training snapshot on a tape of them.
    case nextSnapshot
    case previousSnapshot
    /// The terminal changed size; views must relayout.
    case resize(Size)
}
