// playgrid-termcheck: shows what PlayGrid's screens will look like in this terminal.
//
// It draws every glyph of the theme with its colours, the colour palette as the terminal maps it,
// bars, sparklines and a chart, and echoes each key it reads, so a user can see at a glance whether
// glyphs are one column wide, colours come through, keys arrive and resizing redraws. q quits.
import Foundation
import Terminal
import Measurements
import TerminalNCurses

let usage = """
usage: playgrid-termcheck [--theme NAME] [--bench]

Draws PlayGrid's theme glyphs, colours, bars and charts, and echoes the keys you press.
q quits, ? shows PlayGrid's key help, resizing the window redraws.
  --theme NAME   theme from assets/themes (default: unicode on UTF-8 terminals, else ascii)
  --bench        print how long composing and diffing a 100x32 screen takes here, and exit
Assets are found via $PLAYGRID_ASSETS, next to the executable, or above it or the current directory.
"""

func fail(_ message: String, status: Int32 = 2) -> Never {
    FileHandle.standardError.write(Data("playgrid-termcheck: \(message)\n".utf8))
    exit(status)
}

var themeName: String?
var benchmark = false
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--theme":
        guard let value = arguments.popFirst() else { fail("--theme needs a theme name, e.g. --theme ascii") }
        themeName = value
    case "--bench":
        benchmark = true
    case "-h", "--help":
        print(usage)
        exit(0)
    default:
        fail("unknown argument '\(argument)'; see --help")
    }
}

let theme: Theme
do {
    let assets = try AssetLocation.locate()
    let utf8 = TerminalEnvironment.prepareLocale()
    theme = try Theme.load(named: themeName ?? (utf8 ? "unicode" : "ascii"), assets: assets)
} catch {
    fail(error.description)
}

if benchmark {
    for result in TerminalBenchmark.run(theme: theme) { print(result) }
    exit(0)
}

guard TerminalEnvironment.isInteractive else { fail("stdout is not a terminal; run it in a terminal window") }

let terminal: NCursesTerminal
do {
    terminal = try NCursesTerminal()
} catch {
    fail(error.description)
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
exit(0)
