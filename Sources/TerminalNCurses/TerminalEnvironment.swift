import CNCursesShim
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Terminal

/// Questions about the process's terminal that commands ask before starting a UI.
public enum TerminalEnvironment {
    /// True when both stdin and stdout are terminals; a UI command should refuse (one line on stderr,
    /// non-zero exit) or run headless otherwise.
    public static var isInteractive: Bool {
        isatty(STDOUT_FILENO) == 1 && isatty(STDIN_FILENO) == 1
    }

    /// Sets the locale from the environment and makes sure the character set is UTF-8 if it can be:
    /// `setlocale(LC_ALL, "")`, then `C.UTF-8` for LC_CTYPE when the user's locale is not UTF-8.
    /// Returns whether the code set is now UTF-8 (otherwise use the ASCII theme).
    @discardableResult
    public static func prepareLocale() -> Bool {
        setlocale(LC_ALL, "")
        if pg_codeset_is_utf8() == 1 { return true }
        if setlocale(LC_CTYPE, "C.UTF-8") != nil, pg_codeset_is_utf8() == 1 { return true }
        return false
    }

    /// The column width the C library gives a glyph in the current locale (-1 when unprintable).
    public static func systemWidth(of glyph: Glyph) -> Int {
        Int(pg_wcwidth(glyph.first))
    }
}
