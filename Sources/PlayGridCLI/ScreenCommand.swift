import ArgumentParser
import Clocks
import Foundation
import ShippedFiles
import Terminal
import TerminalNCurses
import Views

/// What every full-screen command shares: refusing politely without a terminal, finding the theme, and
/// always giving the terminal back.
struct ScreenCommand {
    let theme: Theme

    /// Checks that the screen can open: without a terminal on stdin and stdout it prints one line and exits with
    /// status 2, and a theme that cannot be loaded is an error. Done before a `--record` tape is created, so a screen
    /// that never opened leaves no tape behind.
    init(theme name: String?) throws {
        try Self.requireTerminal(otherwise: "use `playgrid run` for headless runs")
        let themes = try ShippedFolder.locate(ShippedFolder.themes)
        let utf8 = TerminalEnvironment.prepareLocale()
        theme = try Theme.load(named: name ?? (utf8 ? "unicode" : "ascii"), in: themes.url)
    }

    /// Without a terminal on stdin and stdout, prints one line (what to do instead: `otherwise`) and exits with
    /// status 2, the one status every screen refuses with.
    static func requireTerminal(otherwise: String) throws {
        if let missing = TerminalEnvironment.missing {
            printError("playgrid: \(missing); run this in a terminal window, or \(otherwise)")
            throw ExitCode(2)
        }
    }

    /// Opens the terminal, runs the app that `make` builds until the user quits, and closes the terminal.
    ///
    /// A session that fails mid-way closes the terminal first, then reports (status 1). Ctrl-C, SIGTERM or SIGHUP (the
    /// terminal window closed) ends the app as `q` does and throws `Interrupted`, so that a `--record` tape is
    /// finished before the process ends by the signal.
    func run<App: DashboardApp>(_ make: (Duration) throws -> App) throws {
        let clock = SystemClock()
        var app = try make(clock.now)
        // Before the terminal opens, so that its restoring handlers pass the signal on to this one.
        StopRequest.install()
        let terminal = try NCursesTerminal()
        let driver = ScreenDriver(backend: terminal, theme: theme, clock: clock)
        while !app.isFinished && !StopRequest.isRequested { driver.turn(&app) }
        terminal.close()
        if let failure = app.failure { throw CommandFailure(failure) }
        if let signal = StopRequest.receivedSignal { throw Interrupted(signalNumber: signal) }
    }
}

/// A screen, or a `run --record`, that Ctrl-C (SIGINT), SIGTERM, SIGHUP or SIGPIPE stopped, after it finished its
/// tape as `q` (or the run's end) finishes it.
struct Interrupted: Error {
    var signalNumber: Int32

    /// Ends the process by the signal, so whoever started it sees the status it always gave (128 + the signal).
    func endProcess() -> Never {
        signal(signalNumber, SIG_DFL)
        raise(signalNumber)
        exit(128 + signalNumber)
    }
}
