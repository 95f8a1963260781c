import GridWorld
import Terminal

/// One line of the key table: keys, the command they give, a summary for help, and the modes it applies in.
public struct KeyBinding: Hashable, Sendable {
    public var keys: [Key]
    /// How help shows the keys, e.g. "space" or ". →".
    public var label: String
    public var command: Command
    public var summary: String
    public var modes: Set<InputMode>

    public init(keys: [Key], label: String, command: Command, summary: String, modes: Set<InputMode>) {
        self.keys = keys
        self.label = label
        self.command = command
        self.summary = summary
        self.modes = modes
    }
}

/// The key table: one list that both input handling and the help overlay read, so help never drifts.
///
/// Episodes are `]` / `[` and events `}` / `{` (the shifted pair), keeping `n` free for later use; on a tape of
/// training snapshots `>` / `<` (shifted `.` / `,`, which step) jump from one snapshot to the next. Watching, `]` plays
/// on to the episode's last step (what follows is not played yet) and `[` goes back to its start; in a replay `]` and
/// `[` go to the first step of the next and the previous episode.
/// Digits play only in manual mode (0 = none): at once where a play half takes the whole turn (exclusive
/// coupling), else the next move, `e` or `.` takes the step with it; `t` takes over while watching and hands back in
/// manual mode. Arrows step while watching or replaying and move in manual mode, where WASD moves too.
public enum KeyMap {
    static let all: Set<InputMode> = Set(InputMode.allCases)
    static let viewing: Set<InputMode> = [.watch, .replay]
    static let manualModes: Set<InputMode> = [.manual, .manualSimultaneous]

    public static let bindings: [KeyBinding] = [
        KeyBinding(keys: [.space], label: "space", command: .togglePause, summary: "pause / resume", modes: viewing),
        KeyBinding(keys: [.character("."), .right], label: ". →", command: .stepForward, summary: "step forward", modes: viewing),
        KeyBinding(keys: [.character(","), .left], label: ", ←", command: .stepBack, summary: "step back", modes: viewing),
        KeyBinding(keys: [.character(".")], label: ".", command: .stepForward, summary: "wait a turn", modes: [.manual]),
        KeyBinding(keys: [.character(".")], label: ".", command: .stepForward, summary: "wait a turn, with chosen play half",
                   modes: [.manualSimultaneous]),
        KeyBinding(keys: [.character(",")], label: ",", command: .stepBack, summary: "undo a step", modes: manualModes),
        KeyBinding(keys: [.character("+"), .character("=")], label: "+", command: .faster, summary: "faster", modes: viewing),
        KeyBinding(keys: [.character("-"), .character("_")], label: "-", command: .slower, summary: "slower", modes: viewing),
        KeyBinding(keys: [.up, .character("w")], label: "↑ w", command: .move(.up), summary: "move up", modes: manualModes),
        KeyBinding(keys: [.down, .character("s")], label: "↓ s", command: .move(.down), summary: "move down", modes: manualModes),
        KeyBinding(keys: [.left, .character("a")], label: "← a", command: .move(.left), summary: "move left", modes: manualModes),
        KeyBinding(keys: [.right, .character("d")], label: "→ d", command: .move(.right), summary: "move right", modes: manualModes),
        KeyBinding(keys: [.character("e")], label: "e", command: .use, summary: "use (pick up, open, press, eat)", modes: manualModes),
        KeyBinding(keys: digits, label: playNowDigits, command: .play(0), summary: "play now (takes the turn)", modes: [.manual]),
        KeyBinding(keys: digits, label: playHalfDigits, command: .play(0), summary: "choose play half, then move/e/.",
                   modes: [.manualSimultaneous]),
        KeyBinding(keys: [.character("t")], label: "t", command: .takeOver, summary: "take over from the agent", modes: [.watch]),
        KeyBinding(keys: [.character("t")], label: "t", command: .takeOver, summary: "hand control back to the agent", modes: manualModes),
        KeyBinding(keys: [.character("]")], label: "]", command: .nextEpisode, summary: "end of this episode", modes: [.watch]),
        KeyBinding(keys: [.character("[")], label: "[", command: .previousEpisode, summary: "start of this episode", modes: [.watch]),
        KeyBinding(keys: [.character("]")], label: "]", command: .nextEpisode, summary: "start of next episode", modes: [.replay]),
        KeyBinding(keys: [.character("[")], label: "[", command: .previousEpisode, summary: "start of previous episode",
                   modes: [.replay]),
        KeyBinding(keys: [.character("}")], label: "}", command: .nextEvent, summary: "next event", modes: viewing),
        KeyBinding(keys: [.character("{")], label: "{", command: .previousEvent, summary: "previous event", modes: viewing),
        KeyBinding(keys: [.character(">")], label: ">", command: .nextSnapshot, summary: "next training snapshot", modes: [.replay]),
        KeyBinding(keys: [.character("<")], label: "<", command: .previousSnapshot, summary: "previous training snapshot", modes: [.replay]),
        KeyBinding(keys: [.character("h")], label: "h", command: .toggleOverlay(.heatmap), summary: "visit heat map", modes: all),
        KeyBinding(keys: [.character("f")], label: "f", command: .toggleOverlay(.funMap), summary: "fun map", modes: all),
        KeyBinding(keys: [.character("v")], label: "v", command: .toggleOverlay(.egocentric), summary: "agent's-eye view", modes: all),
        KeyBinding(keys: [.character("r")], label: "r", command: .toggleOverlay(.reveal), summary: "reveal the hidden rules", modes: all),
        KeyBinding(keys: [.character("?")], label: "?", command: .help, summary: "help (this list)", modes: all),
        KeyBinding(keys: [.escape], label: "esc", command: .dismiss, summary: "close help", modes: all),
        KeyBinding(keys: [.character("q"), .interrupt], label: "q", command: .quit, summary: "quit", modes: all),
    ]

    /// Every digit key reaches the reducer, so one with no play action behind it gets a notice rather than silence.
    static var digits: [Key] { (0...9).map { .character(Character(String($0))) } }
    /// The digits help and the footer offer: those that name a play action. Under exclusive coupling 0 (none) would
    /// take no turn, so it is left out there.
    static let playNowDigits = "1-\(PlayAction.count - 1)"
    static let playHalfDigits = "0-\(PlayAction.count - 1)"

    /// The bindings that apply in `mode`, in help order.
    public static func bindings(for mode: InputMode) -> [KeyBinding] {
        bindings.filter { $0.modes.contains(mode) }
    }

    /// The command `key` gives in `mode`, or nil when it means nothing there. A capital letter with no binding of its
    /// own means what its small letter does, so Caps Lock changes nothing.
    public static func command(for key: Key, in mode: InputMode) -> Command? {
        if case .resize(let size) = key { return .resize(size) }
        if manualModes.contains(mode), case .character(let character) = key, let digit = character.wholeNumberValue,
           character.isASCII {
            return .play(digit)
        }
        func bound(_ key: Key) -> Command? { bindings.first { $0.modes.contains(mode) && $0.keys.contains(key) }?.command }
        if let command = bound(key) { return command }
        guard case .character(let character) = key, character.isASCII, character.isUppercase else { return nil }
        return bound(.character(Character(character.lowercased())))
    }
}
