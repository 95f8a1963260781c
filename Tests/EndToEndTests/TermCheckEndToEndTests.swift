import Foundation
import Testing
import TestSupport

/// `playgrid-termcheck` driven in a real terminal (tmux): the live ncurses backend draws, reads keys,
/// follows resizes, and always gives the terminal back.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed; install it to run end-to-end terminal tests"))
struct TermCheckEndToEndTests {
    func start(_ arguments: [String] = [], width: Int = 100, height: Int = 32) throws -> TmuxSession {
        try TmuxSession(command: [try BuiltProducts.path("playgrid-termcheck")] + arguments, width: width, height: height,
                        environment: ["SWIFT_BACKTRACE": "enable=no"])
    }

    @Test("shows the theme's glyphs, echoes keys, redraws on resize, and exits on q with status 0 and a restored tty")
    func interactiveSession() throws {
        let session = try start()
        defer { session.close() }
        // The whole first frame, not just its title: under load a capture can land while the frame is half drawn.
        let first = try session.waitUntil("the first frame to be drawn") {
            $0.contains("PlayGrid terminal check") && $0.contains("Last key: none yet")
        }
        #expect(first.contains("▲ agent-up"))
        #expect(first.contains("★ goal"))
        #expect(first.contains("size 100×32"))
        #expect(first.contains("Last key: none yet"))
        let coloured = try session.capture(colours: true)
        #expect(coloured.contains("\u{1B}[48;5;196m"), "the 256-colour sweep reaches the terminal")

        try session.type("x")
        try session.sendKeys("Up")
        try session.waitFor("Keys: x ↑")
        try session.sendKeys("?")
        try session.waitFor("Keys: watch")
        try session.sendKeys("Escape")
        try session.waitUntil("help to close") { !$0.contains("Keys: watch") }

        try session.resize(width: 60, height: 20)
        let small = try session.waitFor("size 60×20")
        #expect(small.split(separator: "\n").first?.hasSuffix("┐") == true)
        try session.resize(width: 40, height: 10)
        try session.waitFor("Terminal too small")

        try session.sendKeys("q")
        #expect(try session.waitForExit() == 0)
        #expect(try session.terminalWasRestored())
    }

    @Test("the ASCII theme draws with ASCII only")
    func asciiTheme() throws {
        let session = try start(["--theme", "ascii"])
        defer { session.close() }
        // Wait for the whole first frame: under load a capture can land while it is still being drawn.
        let screen = try session.waitUntil("the ASCII frame") { $0.contains("theme ascii") && $0.hasPrefix("+- PlayGrid terminal check") }
        #expect(screen.contains("^ agent-up"))
        #expect(screen.unicodeScalars.allSatisfy { $0.isASCII })
        try session.sendKeys("q")
        #expect(try session.waitForExit() == 0)
    }

    @Test("SIGTERM ends it with the signal's status and the terminal restored")
    func terminated() throws {
        let session = try start()
        defer { session.close() }
        try session.waitFor("PlayGrid terminal check")
        try session.signalProgram(SIGTERM)
        #expect(try session.waitForExit() == 128 + SIGTERM)
        #expect(try session.terminalWasRestored())
    }

    @Test("ctrl-c (SIGINT in cbreak mode) ends it with the terminal restored")
    func interrupted() throws {
        let session = try start()
        defer { session.close() }
        try session.waitFor("PlayGrid terminal check")
        try session.sendKeys("C-c")
        #expect(try session.waitForExit() == 128 + SIGINT)
        #expect(try session.terminalWasRestored())
    }

    @Test("a crash signal still restores the terminal before the process dies")
    func crashed() throws {
        let session = try start()
        defer { session.close() }
        try session.waitFor("PlayGrid terminal check")
        try session.signalProgram(SIGSEGV)
        #expect(try session.waitForExit() == 128 + SIGSEGV)
        #expect(try session.terminalWasRestored())
    }

    func runWithoutTerminal(_ arguments: [String]) throws -> (status: Int32, printed: String, message: String) {
        try TestSupport.runWithoutTerminal(try BuiltProducts.path("playgrid-termcheck"), arguments)
    }

    @Test("refuses with one line on stderr when stdout is not a terminal")
    func notATerminal() throws {
        let (status, printed, message) = try runWithoutTerminal([])
        #expect(status == 2)
        #expect(message == "playgrid-termcheck: stdin and stdout are not terminals; run it in a terminal window\n")
        #expect(printed.isEmpty)
    }

    @Test("an unknown theme or argument is one clear line on stderr")
    func badArguments() throws {
        let (status, _, message) = try runWithoutTerminal(["--theme", "neon"])
        #expect(status == 2)
        #expect(message.hasPrefix("playgrid-termcheck: /"))
        #expect(message.hasSuffix("/assets/themes/neon.json: no theme named 'neon'; the themes are: ascii, unicode\n"))
        let (badStatus, _, badMessage) = try runWithoutTerminal(["--colour"])
        #expect(badStatus == 2)
        #expect(badMessage == "playgrid-termcheck: unknown argument '--colour'; see --help\n")
    }
}
