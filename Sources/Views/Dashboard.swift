import Agents
import GridWorld
import Engine
import Terminal

/// What the screen says about who is in control.
public enum ViewMode: String, Equatable, Sendable {
    /// The agent plays at the chosen speed.
    case live
    /// The agent waits; the user steps by hand.
    case paused
    /// The user chooses both halves of each action.
    case manual
    /// A saved tape is shown.
    case replay
    /// A tape still being written is shown as it grows.
    case follow

    /// The badge on the status line.
    public var label: String { rawValue.uppercased() }

    /// How keys are read in this mode (manual play under exclusive coupling; see `DashboardState.inputMode`).
    public var inputMode: InputMode {
        switch self {
        case .live, .paused: .watch
        case .manual: .manual
        case .replay, .follow: .replay
        }
    }
}

/// Everything the watch, play and replay screens show, as one value: the screen is a pure function of it.
///
/// Built from session frames (live) or tape steps (replay), so both draw through the same code.
public struct DashboardState {
    public var scenarioName: String
    public var seed: UInt64
    public var agentName: String
    /// Fun model names in fun-spec order, matching `frame.reward.fun`.
    public var funNames: [String]
    public var frame: Frame
    public var episodesPerTrial: Int
    public var mode: ViewMode
    /// Steps per second (infinity for as fast as the engine goes); nil hides it (manual play).
    public var speed: Double?
    public var overlay: Overlay?
    public var showsHelp: Bool
    /// The play half the user has chosen for their next step (manual mode).
    public var pendingPlay: PlayAction
    /// What the agent would do now, shown while a person drives.
    public var preview: Decision?
    /// Share of all steps of the session whose play half was not none.
    public var playRatio: Double
    /// Share of play of each episode of the current trial so far, the running one last (`TrialPlay.ratios`).
    public var playByEpisode: [Double]
    /// A one-line notice (a refused key, the end of the history), shown on the status line.
    public var message: String?
    /// Where a replay stands, e.g. "step 120 of 480"; nil when live.
    public var position: String?
    /// Whether a followed tape is kept at its newest step (space stops and resumes this).
    public var isFollowing: Bool

    /// How keys are read now: in manual play a digit acts at once unless both halves act together (simultaneous
    /// coupling), where it waits for the next move.
    public var inputMode: InputMode {
        guard mode == .manual, frame.world.rules.coupling != .exclusive else { return mode.inputMode }
        return .manualSimultaneous
    }

    /// What help is titled: following a tape reads keys as a replay does, but is not called one.
    public var helpTitle: String { mode == .follow ? mode.rawValue : inputMode.title }

    public init(scenarioName: String, seed: UInt64, agentName: String, funNames: [String], frame: Frame,
                episodesPerTrial: Int, mode: ViewMode, speed: Double?, overlay: Overlay? = nil, showsHelp: Bool = false,
                pendingPlay: PlayAction = .none, preview: Decision? = nil, playRatio: Double = 0, playByEpisode: [Double] = [],
                message: String? = nil, position: String? = nil, isFollowing: Bool = false) {
        self.scenarioName = scenarioName
        self.seed = seed
        self.agentName = agentName
        self.funNames = funNames
        self.frame = frame
        self.episodesPerTrial = episodesPerTrial
        self.mode = mode
        self.speed = speed
        self.overlay = overlay
        self.showsHelp = showsHelp
        self.pendingPlay = pendingPlay
        self.preview = preview
        self.playRatio = playRatio
        self.playByEpisode = playByEpisode
        self.message = message
        self.position = position
        self.isFollowing = isFollowing
    }
}

/// Where each panel goes for a terminal size.
public struct DashboardLayout: Equatable, Sendable {
    /// The smallest terminal the full screen fits in; smaller ones get `TooSmallView`.
    public static let minimum = Size(width: 80, height: 24)

    public var map: Rect
    public var hud: Rect
    public var log: Rect
    public var status: Rect

    public init(size: Size) {
        let body = Rect(x: 0, y: 0, width: size.width, height: max(0, size.height - 1))
        status = Rect(x: 0, y: max(0, size.height - 1), width: size.width, height: 1)
        let hudWidth = size.width >= 100 ? 40 : 36
        let (left, right) = body.splitLeft(max(0, size.width - hudWidth))
        hud = right
        let logHeight = size.height >= 30 ? 9 : 7
        (map, log) = left.splitTop(max(0, left.height - logHeight))
    }
}

/// Draws the whole watch / play / replay screen: map, HUD, event log, status line, and help on top.
public enum Dashboard {
    /// Draws `state` (with the recent past in `trace`) into `screen`, replacing what was there.
    ///
    /// Cost: O(screen cells + visible map cells + log lines); allocates only the few strings it writes.
    public static func draw(_ state: DashboardState, trace: Trace, palette: MapPalette, theme: Theme, into screen: inout Screen) {
        screen.clear()
        guard screen.size.contains(DashboardLayout.minimum) else {
            TooSmallView.draw(into: &screen, minimum: DashboardLayout.minimum, theme: theme)
            return
        }
        let layout = DashboardLayout(size: screen.size)
        MapView.draw(state, trace: trace, in: layout.map, palette: palette, theme: theme, into: &screen)
        HUDView.draw(state, trace: trace, in: layout.hud, theme: theme, into: &screen)
        EventLogView.draw(state, trace: trace, in: layout.log, theme: theme, into: &screen)
        StatusLine.draw(state, in: layout.status, theme: theme, into: &screen)
        if state.showsHelp { HelpView.draw(into: &screen, mode: state.inputMode, title: state.helpTitle, theme: theme) }
    }
}
