import CNCursesShim
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Terminal

/// Why the live terminal could not start.
public struct TerminalError: Error, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// The live backend: blits `Screen`s to the terminal with ncursesw and reads keys.
///
/// It writes only the cells that changed since the last present (no flicker) and repaints fully after
/// a resize. It always gives the terminal back: `close()` (also run by `deinit` and at exit), and
/// signal handlers that call `endwin()` on SIGINT/SIGTERM/SIGHUP/SIGQUIT and on crashes
/// (SIGSEGV/SIGILL/SIGTRAP/SIGBUS/SIGABRT/SIGFPE) before the signal takes its usual course.
/// Only one may be open at a time. Log to stderr or a file while it is open, never stdout.
public final class NCursesTerminal: TerminalBackend {
    public private(set) var size: Size
    public let colorDepth: ColorDepth
    public let isUTF8: Bool

    private let screenHandle: OpaquePointer
    private let window: UnsafeMutablePointer<WINDOW>
    private var isOpen = true
    private var lastPresented: Screen?
    private var runs: [ScreenDiff.Run] = []
    private var pairs: [Int: Int32] = [:]
    private var nextPair: Int32 = 1
    private let pairLimit: Int32
    private let attributeTable: [attr_t]

    nonisolated(unsafe) private static var isActive = false

    /// Takes over the terminal.
    ///
    /// - Parameters:
    ///   - raw: read Ctrl-C as `Key.interrupt` instead of letting it raise SIGINT.
    ///   - escapeDelay: milliseconds to wait after Esc for the rest of an escape sequence.
    /// - Throws: `TerminalError` when stdout or stdin is not a terminal, when another instance is open,
    ///   or when curses cannot start for `$TERM`.
    public init(raw: Bool = false, escapeDelay: Int = 25) throws(TerminalError) {
        if let missing = TerminalEnvironment.missing {
            throw TerminalError("\(missing): run this in a terminal, or use a headless command")
        }
        guard !NCursesTerminal.isActive else { throw TerminalError("the terminal is already in use by this process") }
        isUTF8 = TerminalEnvironment.prepareLocale()
        // Ours must be in place before newterm, so ncurses does not install its own SIGINT/SIGTERM handlers.
        pg_install_restore_handlers()
        guard let handle = pg_newterm() else {
            let term = getenv("TERM").map { String(cString: $0) } ?? "(unset)"
            throw TerminalError("cannot start the terminal for TERM=\(term): check that TERM names an installed terminal type")
        }
        NCursesTerminal.isActive = true
        pg_set_curses_active(1)
        screenHandle = handle
        window = pg_stdscr()
        if raw { CNCursesShim.raw() } else { cbreak() }
        noecho()
        nonl()
        keypad(window, true)
        curs_set(0)
        set_escdelay(Int32(escapeDelay))
        if pg_has_colors() == 1, start_color() != ERR {
            use_default_colors()
            colorDepth = ColorDepth(colors: Int(pg_colors()))
            pairLimit = Int32(min(Int(pg_color_pairs()), Int(Int32.max)))
        } else {
            colorDepth = .monochrome
            pairLimit = 0
        }
        attributeTable = (0..<16).map { bits in
            var value = pg_a_normal()
            if bits & Int(Attributes.bold.rawValue) != 0 { value |= pg_a_bold() }
            if bits & Int(Attributes.dim.rawValue) != 0 { value |= pg_a_dim() }
            if bits & Int(Attributes.reverse.rawValue) != 0 { value |= pg_a_reverse() }
            if bits & Int(Attributes.underline.rawValue) != 0 { value |= pg_a_underline() }
            return value
        }
        size = NCursesTerminal.windowSize(window)
    }

    deinit { close() }

    /// Gives the terminal back (idempotent).
    public func close() {
        guard isOpen else { return }
        isOpen = false
        endwin()
        pg_set_curses_active(0)
        delscreen(screenHandle)
        NCursesTerminal.isActive = false
    }

    private static func windowSize(_ window: UnsafeMutablePointer<WINDOW>) -> Size {
        var rows: Int32 = 0, columns: Int32 = 0
        pg_getmaxyx(window, &rows, &columns)
        return Size(width: Int(columns), height: Int(rows))
    }

    public func present(_ screen: Screen) {
        guard isOpen else { return }
        ScreenDiff.runs(from: lastPresented, to: screen, into: &runs)
        if lastPresented == nil { wclear(window) }
        let rows = min(screen.height, size.height), columns = min(screen.width, size.width)
        let width = screen.width
        screen.cells.withUnsafeBufferPointer { cells in
            for run in runs where run.y < rows {
                for x in run.x..<min(run.x + run.count, columns) {
                    let cell = cells[run.y * width + x]
                    guard !cell.glyph.isContinuation else { continue }
                    let clipped = cell.glyph.width == 2 && x + 1 >= columns
                    let glyph = clipped ? Glyph.space : cell.glyph
                    _ = pg_put_cell(window, Int32(run.y), Int32(x), glyph.first, glyph.second,
                                    attributeTable[Int(cell.attributes.rawValue & 15)], pair(for: cell))
                }
            }
        }
        wrefresh(window)
        lastPresented = screen
    }

    /// The colour pair for a cell's colours, allocated on first use (pair 0 when the terminal runs out).
    private func pair(for cell: Cell) -> Int32 {
        guard colorDepth != .monochrome else { return 0 }
        let foreground = cell.foreground.terminalIndex(for: colorDepth)
        let background = cell.background.terminalIndex(for: colorDepth)
        if foreground < 0 && background < 0 { return 0 }
        let key = (foreground + 1) << 16 | (background + 1)
        if let pair = pairs[key] { return pair }
        guard nextPair < pairLimit, pg_init_pair(nextPair, Int32(foreground), Int32(background)) != ERR else { return 0 }
        pairs[key] = nextPair
        nextPair += 1
        return nextPair - 1
    }

    public func readKey(timeoutMilliseconds: Int) -> Key? {
        guard isOpen else { return nil }
        wtimeout(window, Int32(clamping: timeoutMilliseconds))
        var value: UInt32 = 0
        let status = pg_get_wch(window, &value)
        if status == ERR { return nil }
        if status == pg_key_code_yes() { return functionKey(Int32(bitPattern: value)) }
        switch value {
        case 3: return .interrupt
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 32: return .space
        default:
            guard let scalar = Unicode.Scalar(value), value >= 32 else { return nil }
            return .character(Character(scalar))
        }
    }

    private func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_BACKSPACE: return .backspace
        case KEY_ENTER: return .enter
        case KEY_RESIZE:
            size = NCursesTerminal.windowSize(window)
            lastPresented = nil
            return .resize(size)
        default:
            for number in 1...12 where code == pg_key_f(Int32(number)) { return .function(number) }
            return nil
        }
    }
}
