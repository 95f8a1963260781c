/// Where screens go and keys come from: the live terminal or a recording for tests.
///
/// Modes talk only to this protocol, so everything above it runs the same against `NCursesTerminal`
/// and `RecordingTerminal`. Not `Sendable`: a backend belongs to the thread that drives the UI.
public protocol TerminalBackend: AnyObject {
    /// The current size in cells; views should draw a `Screen` of this size.
    var size: Size { get }
    /// How many colours the terminal shows.
    var colorDepth: ColorDepth { get }
    /// Whether the terminal takes UTF-8 (otherwise pick the ASCII theme).
    var isUTF8: Bool { get }
    /// Shows `screen`, writing only what changed since the last present.
    func present(_ screen: Screen)
    /// The next key, waiting at most `timeoutMilliseconds` (0 polls; negative waits indefinitely).
    func readKey(timeoutMilliseconds: Int) -> Key?
}

/// A deterministic backend for tests: fixed size, scripted keys, and a record of every presented screen.
public final class RecordingTerminal: TerminalBackend {
    public private(set) var size: Size
    public let colorDepth: ColorDepth
    public let isUTF8: Bool
    /// Every screen presented, oldest first.
    public private(set) var presented: [Screen] = []
    /// The keys still to be read, next first.
    public private(set) var pendingKeys: [Key]
    /// The timeout of every `readKey` call, for checking how a loop waits.
    public private(set) var requestedTimeouts: [Int] = []

    public init(size: Size, keys: [Key] = [], colorDepth: ColorDepth = .xterm256, isUTF8: Bool = true) {
        self.size = size
        pendingKeys = keys
        self.colorDepth = colorDepth
        self.isUTF8 = isUTF8
    }

    /// The last presented screen.
    public var lastScreen: Screen? { presented.last }

    public func present(_ screen: Screen) {
        presented.append(screen)
    }

    /// Pops the next scripted key (nil when the script is done). A `.resize` key also changes `size`,
    /// as the live backend does.
    public func readKey(timeoutMilliseconds: Int) -> Key? {
        requestedTimeouts.append(timeoutMilliseconds)
        guard !pendingKeys.isEmpty else { return nil }
        let key = pendingKeys.removeFirst()
        if case .resize(let newSize) = key { size = newSize }
        return key
    }

    /// Adds keys to the end of the script.
    public func enqueue(_ keys: Key...) {
        pendingKeys.append(contentsOf: keys)
    }
}
