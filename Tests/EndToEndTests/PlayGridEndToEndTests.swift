import Foundation
import Testing
import TestSupport

/// The real `playgrid` binary in a real terminal (tmux): watch, play and replay as a person uses them.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed; install it to run end-to-end terminal tests"))
struct PlayGridEndToEndTests {
    func start(_ arguments: [String], width: Int = 100, height: Int = 32) throws -> TmuxSession {
        try TmuxSession(command: [try BuiltProducts.path("playgrid")] + arguments, width: width, height: height,
                        environment: ["SWIFT_BACKTRACE": "enable=no"])
    }

    /// The number after "step " in the HUD ("step 12/120" → 12).
    func step(_ screen: String) -> Int? {
        guard let range = screen.range(of: #"step (\d+)/"#, options: .regularExpression) else { return nil }
        return Int(screen[range].dropFirst(5).dropLast())
    }

    /// Row and column of the agent's glyph on the screen.
    func agent(_ screen: String) -> (row: Int, column: Int)? {
        for (row, line) in screen.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            for (column, character) in line.enumerated() where "▲▼◀▶".contains(character) { return (row, column) }
        }
        return nil
    }

    func character(_ screen: String, row: Int, column: Int) -> Character? {
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
        guard row >= 0, row < lines.count else { return nil }
        let line = Array(lines[row])
        return column >= 0 && column < line.count ? line[column] : nil
    }

    /// Sends a move toward a free floor cell next to the agent and checks that the agent went there.
    func moveAgent(_ session: TmuxSession) throws {
        // Under load a capture can land mid-draw: wait for a settled one with the agent and the HUD's step on it.
        let before = try session.waitUntil("the map and HUD to be drawn", settled: true) { agent($0) != nil && step($0) != nil }
        let at = try #require(agent(before))
        let moves: [(key: String, row: Int, column: Int)] = [("Down", 1, 0), ("Right", 0, 2), ("Up", -1, 0), ("Left", 0, -2)]
        let move = try #require(moves.first { character(before, row: at.row + $0.row, column: at.column + $0.column) == "·" })
        let stepBefore = try #require(step(before))
        try session.sendKeys(move.key)
        let after = try session.waitUntil("the agent to move", settled: true) { step($0) == stepBefore + 1 }
        let now = try #require(agent(after))
        #expect(now.row == at.row + move.row && now.column == at.column + move.column)
    }

    @Test("watch shows the map and HUD; space pauses, . and , step exactly one, t and a move key drive, q restores")
    func watch() throws {
        let session = try start(["watch", "rock-garden", "--agent", "player", "--seed", "1"])
        defer { session.close() }
        let first = try session.waitFor("LIVE")
        #expect(first.contains("█") && first.contains("★") && agent(first) != nil, "the map is drawn")
        #expect(first.contains("task") && first.contains("fun") && first.contains("delight"))
        let early = try #require(step(first))
        try session.waitUntil("step to advance") { (step($0) ?? 0) > early }

        try session.sendKeys("Space")
        let paused = try session.waitFor("PAUSED")
        let held = try #require(step(paused))
        Thread.sleep(forTimeInterval: 0.4)
        #expect(step(try session.capture()) == held, "paused: the counter stays put")

        try session.type(".")
        try session.waitUntil("one step forward") { step($0) == held + 1 }
        Thread.sleep(forTimeInterval: 0.2)
        #expect(step(try session.capture()) == held + 1, "exactly one step")
        try session.type(",")
        try session.waitUntil("one step back") { step($0) == held }

        try session.type("t")
        let manual = try session.waitFor("MANUAL")
        #expect(manual.contains("You drive"))
        try moveAgent(session)

        try session.type("q")
        #expect(try session.waitForExit() == 0)
        #expect(try session.terminalWasRestored())
    }

    @Test("watch tinker-lab: r reveals this trial's drawn rule in words on the map panel, and r again hides it")
    func reveal() throws {
        let session = try start(["watch", "tinker-lab", "--agent", "greedy", "--seed", "3"], width: 160, height: 32)
        defer { session.close() }
        let first = try session.waitFor("LIVE")
        #expect(!first.contains("rules:") && first.contains("r reveal rules") && first.contains("play by episode:"))
        try session.type("r")
        // Wait for the footer too: under load a capture can land between the map panel's redraw and the footer's.
        let shown = try session.waitUntil("the rules to be revealed") {
            $0.contains("rules revealed") && $0.contains("rules: ") && $0.contains("r hide rules")
        }
        // One of the lab's three ways is drawn to work this trial; the other two are decoys.
        let working = ["rocks bridge water", "bell opens the yellow door", "ball on a plate opens the yellow door"].filter(shown.contains)
        #expect(working.count == 1, "the drawn rule is named: \(shown)")
        #expect(shown.contains("rules: ") && shown.components(separatedBy: "(decoy)").count == 3, "two decoys: \(shown)")
        try session.type("r")
        let hidden = try session.waitUntil("the rules to be hidden again") { !$0.contains("rules revealed") && $0.contains("r reveal rules") }
        #expect(!hidden.contains("rules:"))
        try session.type("q")
        #expect(try session.waitForExit() == 0)
        #expect(try session.terminalWasRestored())
    }

    /// The percentages of the HUD's "play by episode: 17% 7% – –".
    func playByEpisode(_ screen: String) -> [Int] {
        guard let line = screen.split(separator: "\n").first(where: { $0.contains("play by episode:") }) else { return [] }
        return line.split(separator: " ").compactMap { $0.hasSuffix("%") ? Int($0.dropLast()) : nil }
    }

    @Test("watch the bundled tinkerer in tinker-lab: it tries the bell, the rock and the ball in episode 1, plays less once the ball has opened the gate, and r names the ball as this trial's rule")
    func tinkererFindsTheRule() throws {
        // Seed 3's first trial: the tinkerer sinks the rock and rings the bell (decoys) before it pushes the ball onto a
        // plate, which opens the gate, then goes for the ball at once in every later episode (`playgrid run tinker-lab
        // --agent tinkerer --fun none --trials 1 --seed 3 --record T`, then `playgrid tape export T`).
        let session = try start(["watch", "tinker-lab", "--agent", "tinkerer", "--fun", "none", "--seed", "3"], width: 160, height: 32)
        defer { session.close() }
        try session.waitFor("discovery: the ball on the plate opened")
        let later = try session.waitFor("episode 3/4")
        let play = playByEpisode(later)
        #expect(play.count >= 2 && play[1] < play[0], "play by episode: \(play)")
        try session.type("r")
        // Wait for the whole redraw (the panel's rule line and the footer), not its first line: see `reveal`.
        let shown = try session.waitUntil("the rules to be revealed") {
            $0.contains("rules revealed") && $0.contains("rules: ") && $0.contains("r hide rules")
        }
        #expect(shown.contains("ball on a plate opens the yellow door") && shown.components(separatedBy: "(decoy)").count == 3, "\(shown)")
        try session.type("q")
        #expect(try session.waitForExit() == 0)
        #expect(try session.terminalWasRestored())
    }

    @Test("play starts in manual mode: a move key moves the agent one step; ? lists the keys; q restores")
    func play() throws {
        let session = try start(["play", "rock-garden", "--seed", "1"], width: 80, height: 24)
        defer { session.close() }
        let first = try session.waitFor("MANUAL")
        #expect(step(first) == 0)
        try moveAgent(session)
        try session.type("?")
        // Wait for the last line of the help, not its title: under load a capture can land mid-draw.
        let help = try session.waitFor("play now (takes the turn)")
        #expect(help.contains("Keys: manual"))
        try session.sendKeys("Escape")
        try session.waitUntil("help to close") { !$0.contains("Keys: manual") }
        try session.type("q")
        #expect(try session.waitForExit() == 0)
        #expect(try session.terminalWasRestored())
    }

    @Test("play: under exclusive coupling 2 kicks at once, one step with nothing else pressed, and the log says so")
    func playDigitActsAtOnce() throws {
        let session = try start(["play", "rock-garden", "--seed", "1"])
        defer { session.close() }
        let first = try session.waitFor("1-6 play now")
        #expect(step(first) == 0 && first.contains("nothing yet"))
        let at = try #require(agent(first))
        try session.type("2")
        let after = try session.waitUntil("the kick to take a step") { step($0) == 1 }
        #expect(after.contains("you: played at nothing"), "the event log shows the kick at nothing ahead")
        #expect(agent(after)?.row == at.row && agent(after)?.column == at.column, "a kick does not move the agent")
        try session.type("q")
        #expect(try session.waitForExit() == 0)
    }

    @Test("replay of a recorded tape opens at --at, steps exactly one each way, and q restores")
    func replay() throws {
        let tape = Scratch.path("replayed.tape")
        defer { try? FileManager.default.removeItem(atPath: tape) }
        let (status, _, message) = try runWithoutTerminal(["run", "rock-garden", "--episodes", "2", "--seed", "1", "--record", tape])
        #expect(status == 0, "recording failed: \(message)")
        let session = try start(["replay", tape, "--at", "5"])
        defer { session.close() }
        let first = try session.waitFor("REPLAY")
        #expect(first.contains("tape step 5 of"))
        #expect(step(first) == 5)
        try session.type(".")
        try session.waitFor("tape step 6 of")
        try session.sendKeys("Left")
        try session.waitFor("tape step 5 of")
        try session.type("q")
        #expect(try session.waitForExit() == 0)
        #expect(try session.terminalWasRestored())
    }

    @Test("SIGTERM and SIGHUP (the window closed) end watch --record with the signal's status, the terminal restored and the tape finished",
          arguments: [SIGTERM, SIGHUP])
    func terminated(by signal: Int32) throws {
        let tape = Scratch.path("terminated-\(signal).tape")
        defer { try? FileManager.default.removeItem(atPath: tape) }
        let session = try start(["watch", "--seed", "3", "--record", tape, "--force"])
        defer { session.close() }
        _ = try session.waitUntil("a few steps") { (step($0) ?? 0) >= 3 }
        try session.signalProgram(signal)
        #expect(try session.waitForExit() == 128 + signal)
        #expect(try session.terminalWasRestored())
        let (status, _, message) = try runWithoutTerminal(["tape", "verify", tape])
        #expect(status == 0, "the tape was not finished: \(message)")
    }

    @Test("ctrl-c ends watch --record with the signal's status, the terminal restored and the tape finished")
    func interrupted() throws {
        let tape = Scratch.path("interrupted.tape")
        defer { try? FileManager.default.removeItem(atPath: tape) }
        let session = try start(["watch", "--seed", "2", "--record", tape, "--force"])
        defer { session.close() }
        _ = try session.waitUntil("a few steps") { (step($0) ?? 0) >= 3 }
        try session.sendKeys("C-c")
        #expect(try session.waitForExit() == 128 + SIGINT)
        #expect(try session.terminalWasRestored())
        let (status, _, message) = try runWithoutTerminal(["tape", "verify", tape])
        #expect(status == 0, "the tape was not finished: \(message)")
    }

    @Test("ctrl-c ends run --record with the signal's status and the tape finished, not cut short")
    func interruptedRun() throws {
        let tape = Scratch.path("interrupted-run.tape")
        defer { try? FileManager.default.removeItem(atPath: tape) }
        let session = try start(["run", "open-field", "--agent", "random", "--episodes", "10000000", "--record", tape])
        defer { session.close() }
        _ = try session.waitUntil("a recording under way") { _ in
            ((try? FileManager.default.attributesOfItem(atPath: tape)[.size] as? Int) ?? 0) > 20_000
        }
        try session.sendKeys("C-c")
        #expect(try session.waitForExit() == 128 + SIGINT)
        let (status, _, message) = try runWithoutTerminal(["tape", "verify", tape])
        #expect(status == 0, "the tape was not finished: \(message)")
    }

    func runWithoutTerminal(_ arguments: [String]) throws -> (status: Int32, printed: String, message: String) {
        try TestSupport.runWithoutTerminal(try BuiltProducts.path("playgrid"), arguments)
    }

    @Test("without a terminal, playgrid, watch and play print one line and exit with status 2, and --record writes no tape")
    func notATerminal() throws {
        let tape = Scratch.path("never-opened.tape")
        defer { try? FileManager.default.removeItem(atPath: tape) }
        for arguments in [[], ["watch", "rock-garden"], ["play"], ["watch", "--record", tape], ["play", "--record", tape]] {
            let (status, printed, message) = try runWithoutTerminal(arguments)
            #expect(status == 2, "playgrid \(arguments)")
            #expect(printed.isEmpty)
            #expect(message.hasPrefix("playgrid: stdin and stdout are not terminals; run this in a terminal window"), "\(message)")
            #expect(message.split(separator: "\n").count == 1)
        }
        #expect(!FileManager.default.fileExists(atPath: tape), "a screen that never opened left a tape behind")
    }
}
