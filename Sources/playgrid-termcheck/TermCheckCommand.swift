// playgrid-termcheck: shows what PlayGrid's screens will look like in this terminal.
//
// It draws every glyph of the theme with its colours, the colour palette as the terminal maps it,
// bars, sparklines and a chart, and echoes each key it reads, so a user can see at a glance whether
// glyphs are one column wide, colours come through, keys arrive and resizing redraws. q quits.
import ArgumentParser
import CommandLineErrors
import Foundation
import Measurements
import ShippedFiles
import Terminal
import TerminalNCurses

@main
struct TermCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "playgrid-termcheck",
        abstract: "Draws PlayGrid's theme glyphs, colours, bars and charts, and echoes the keys you press.",
        discussion: """
            q quits, ? shows PlayGrid's key help, resizing the window redraws. Themes are found in \
            $PLAYGRID_HOME/assets/themes, else in assets/themes in or above the executable's folder or the current folder.
            """)

    @Option(help: "Theme from assets/themes (default: unicode on UTF-8 terminals, else ascii).")
    var theme: String?

    @Flag(help: "Print how long composing and diffing a 100x32 screen takes here, and exit.")
    var bench = false

    /// Whatever else is on the command line, refused in `run` with the tool's one-line error.
    @Argument(parsing: .allUnrecognized, help: .hidden)
    var unrecognized: [String] = []

    /// Parses and runs; every failure is one line on stderr and status 2 (help prints and exits 0).
    static func main() {
        let command: TermCheckCommand
        do {
            command = try parse()
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }
            let message = self.message(for: error)
            fail(message.prefix(1).lowercased() + message.dropFirst() + "; see --help")
        }
        command.check()
    }

    static func fail(_ message: String) -> Never {
        writeToStandardError("playgrid-termcheck: \(message)\n")
        Foundation.exit(2)
    }

    /// Draws the check screen and echoes keys until q, or prints the benchmark with `--bench`.
    func check() {
        if let argument = unrecognized.first { Self.fail("unknown argument '\(argument)'; see --help") }
        let theme: Theme
        do {
            let themes = try ShippedFolder.locate(ShippedFolder.themes)
            let utf8 = TerminalEnvironment.prepareLocale()
            theme = try Theme.load(named: self.theme ?? (utf8 ? "unicode" : "ascii"), in: themes.url)
        } catch {
            Self.fail("\(error)")
        }
        if bench {
            for result in TerminalBenchmark.run(theme: theme) { print(result) }
            return
        }
        if let missing = TerminalEnvironment.missing { Self.fail("\(missing); run it in a terminal window") }
        let terminal: NCursesTerminal
        do {
            terminal = try NCursesTerminal()
        } catch {
            Self.fail(error.description)
        }
        var check = TermCheck(theme: theme, isUTF8: terminal.isUTF8, colorDepth: terminal.colorDepth)
        var screen = Screen(size: terminal.size)
        while true {
            if screen.size != terminal.size { screen = Screen(size: terminal.size) }
            check.draw(into: &screen)
            terminal.present(screen)
            guard let key = terminal.readKey(timeoutMilliseconds: 1_000) else { continue }
            if !check.handle(key) { break }
        }
        terminal.close()
    }
}
