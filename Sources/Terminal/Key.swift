/// A key press as the backend reads it, independent of curses key codes.
public enum Key: Hashable, Sendable, CustomStringConvertible {
    /// A printable character other than space.
    case character(Character)
    case up, down, left, right
    case space, enter, escape, backspace, tab
    case home, end, pageUp, pageDown
    /// F1–F12.
    case function(Int)
    /// Ctrl-C read as a key (the live backend only does this in raw mode; otherwise it is SIGINT).
    case interrupt
    /// The terminal changed size; the new size.
    case resize(Size)

    /// A short human name for help screens and key echo.
    public var description: String {
        switch self {
        case .character(let character): return String(character)
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .space: return "space"
        case .enter: return "enter"
        case .escape: return "esc"
        case .backspace: return "backspace"
        case .tab: return "tab"
        case .home: return "home"
        case .end: return "end"
        case .pageUp: return "page-up"
        case .pageDown: return "page-down"
        case .function(let number): return "F\(number)"
        case .interrupt: return "ctrl-c"
        case .resize(let size): return "resize \(size)"
        }
    }

    /// The same name in ASCII only, for terminals that are not UTF-8.
    public var asciiDescription: String {
        switch self {
        case .up: return "up"
        case .down: return "down"
        case .left: return "left"
        case .right: return "right"
        default: return description
        }
    }
}
