import CNCursesShim
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Terminal

/// Questions about the process's terminal that commands ask before starting a UI.
public enum TerminalEnvironment {
    /// What is not a terminal ("stdout is not a terminal", "stdin is not a terminal", or both), nil when stdin and
    /// stdout both are. Otherwise a UI command refuses with one line that starts with it (so a piped stdin is not
    /// blamed on stdout) and a non-zero exit, or runs headless.
    public static var missing: String? {
        switch (isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1) {
        case (true, true): nil
        case (true, false): "stdout is not a terminal"
        case (false, true): "stdin is not a terminal"
        case (false, false): "stdin and stdout are not terminals"
        }
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
