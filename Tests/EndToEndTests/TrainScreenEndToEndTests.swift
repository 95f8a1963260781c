import Foundation
import Testing
import TestSupport

/// `playgrid train --tapes` end to end: a run stopped by Ctrl-C saves the checkpoint a run planned to end there saves,
/// and its tape verifies; the live screen in a real terminal shows curves and the agent playing, `watch --follow` of
/// its tape moves on to each new snapshot, and `q` stops with the checkpoint written and the terminal restored.
@Suite(.serialized) struct TrainScreenEndToEndTests {
    typealias CLI = TapeCommandTests
    /// Tiny runs: 4 environments × 256 steps (the gridworld recipe's segment) an update, an 8-unit GRU, one thread.
    static let tiny = ["--envs", "4", "--threads", "1", "--hidden", "8"]
    static let stepsPerUpdate = 4 * 256

    @Test("Ctrl-C (SIGINT) stops training at an update with exit 0; the checkpoint is the one a run planned to end there writes; the tape verifies",
          .enabled(if: TmuxSession.isAvailable, "tmux is not installed; install it to run end-to-end terminal tests"))
    func interrupt() throws {
        let dir = Scratch.path("interrupted")
        let out = dir + "/stopped.pgck"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        // In a terminal of its own: a process started by the test runner may inherit SIGINT ignored, as background jobs do.
        let session = try TmuxSession(command: [try BuiltProducts.path("playgrid"), "train", "rock-garden", "--steps", "100000000", "--out", out,
                                                "--tapes", dir + "/tapes", "--tape-every", "2"] + Self.tiny,
                                      width: 250, height: 10, environment: ["SWIFT_BACKTRACE": "enable=no"])
        defer { session.close() }
        Self.waitForUpdates(curve: out + ".curve.csv")
        try session.signalProgram(SIGINT)
        #expect(try session.waitForExit(timeout: .seconds(30)) == 0)
        let stderr = try session.capture()
        let range = try #require(stderr.range(of: #"at update \d+"#, options: .regularExpression), "screen: \(stderr)")
        let update = try #require(Int(stderr[range].dropFirst(10)))
        #expect(stderr.contains("train --resume continues it"))

        let planned = dir + "/planned.pgck"
        let r = try CLI.playgrid(["train", "rock-garden", "--steps", String(update * Self.stepsPerUpdate), "--out", planned] + Self.tiny)
        #expect(r.status == 0, "stderr: \(r.err)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == Data(contentsOf: URL(fileURLWithPath: planned)))

        let verify = try CLI.playgrid(["tape", "verify", dir + "/tapes/rock-garden.tape"])
        #expect(verify.status == 0, "\(verify.out) \(verify.err)")
        let resumed = try CLI.playgrid(["train", "rock-garden", "--steps", "1024", "--out", out, "--resume", "--threads", "1"])
        #expect(resumed.status == 0, "stderr: \(resumed.err)")
    }

    /// Waits (up to a minute) until a training run's curve has a few updates: it is well under way.
    static func waitForUpdates(curve: String) {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(60)
        while clock.now < deadline {
            let rows = (try? String(contentsOfFile: curve, encoding: .utf8))?.split(separator: "\n").count ?? 0
            if rows > 4 { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    @Test("a closed window (SIGHUP, sent more than once) stops training at an update with exit 0 and the checkpoint saved, though its terminal is gone",
          .enabled(if: TmuxSession.isAvailable, "tmux is not installed; install it to run end-to-end terminal tests"),
          arguments: [false, true])
    func windowClosed(screen: Bool) throws {
        let out = Scratch.path("hung-up-\(screen).pgck")
        let session = try TmuxSession(command: [try BuiltProducts.path("playgrid"), "train", "rock-garden", "--steps", "100000000", "--out", out]
                                      + Self.tiny + (screen ? ["--screen"] : []), environment: ["SWIFT_BACKTRACE": "enable=no"])
        defer { session.close() }
        Self.waitForUpdates(curve: out + ".curve.csv")
        session.closeWindow()
        #expect(try session.waitForExit(timeout: .seconds(30)) == 0)
        try Self.expectPlannedCheckpoint(out)
    }

    /// Expects the checkpoint of a stopped run to be, byte for byte, the one a run planned to end at its curve's last
    /// update writes.
    static func expectPlannedCheckpoint(_ out: String) throws {
        let updates = try String(contentsOfFile: out + ".curve.csv", encoding: .utf8).split(separator: "\n").count - 1
        let planned = out + ".planned.pgck"
        let r = try CLI.playgrid(["train", "rock-garden", "--steps", String(updates * Self.stepsPerUpdate), "--out", planned, "--force"] + Self.tiny)
        #expect(r.status == 0, "stderr: \(r.err)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == Data(contentsOf: URL(fileURLWithPath: planned)),
                "the checkpoint is the one a run planned to end at the curve's last update (\(updates))")
    }

    @Test("a reader of the progress lines that goes away (SIGPIPE, on every later line) stops training at an update with exit 0 and the checkpoint saved",
          .enabled(if: TmuxSession.isAvailable, "tmux is not installed; install it to run end-to-end terminal tests"))
    func readerGone() throws {
        let out = Scratch.path("reader-gone.pgck")
        // In a pane of its own, so that SIGPIPE is not inherited ignored; `head` leaves after the first line.
        let train = ([try BuiltProducts.path("playgrid"), "train", "rock-garden", "--steps", "100000000", "--out", out] + Self.tiny).joined(separator: " ")
        let session = try TmuxSession(command: ["/bin/bash", "-c", "\(train) 2>&1 | head -n 1 > /dev/null; exit ${PIPESTATUS[0]}"],
                                      environment: ["SWIFT_BACKTRACE": "enable=no"])
        defer { session.close() }
        #expect(try session.waitForExit(timeout: .seconds(60)) == 0)
        try Self.expectPlannedCheckpoint(out)
    }

    @Test("train --screen shows curves and the agent playing; watch --follow of its tape moves to each new snapshot; q stops with a checkpoint",
          .enabled(if: TmuxSession.isAvailable, "tmux is not installed; install it to run end-to-end terminal tests"))
    func screen() throws {
        let dir = Scratch.path("screen")
        let out = dir + "/screen.pgck", tape = dir + "/tapes/rock-garden.tape"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let environment = ["SWIFT_BACKTRACE": "enable=no"]
        let training = try TmuxSession(command: [try BuiltProducts.path("playgrid"), "train", "rock-garden", "--steps", "300000", "--out", out,
                                                 "--tapes", dir + "/tapes", "--tape-every", "3", "--screen"] + Self.tiny,
                                       environment: environment)
        defer { training.close() }
        // The snapshot's header can land a frame before the agent's arrow is on the map (under load, once in a full
        // suite), so the wait asks for the map and the agent too.
        let shown = try training.waitUntil("curves and a snapshot with its map and agent", timeout: .seconds(60)) { screen in
            screen.contains("task return") && screen.contains("rock-garden · update") && screen.contains("█")
                && "▲▼◀▶".contains(where: screen.contains)
        }
        #expect(shown.contains("play events per 1k steps") && shown.contains("ETA") && shown.contains("q stop and save"))

        let follow = try TmuxSession(command: [try BuiltProducts.path("playgrid"), "watch", "--follow", tape], environment: environment)
        defer { follow.close() }
        func snapshot(_ screen: String) -> Int? {
            guard let range = screen.range(of: #"snapshot \d+/"#, options: .regularExpression) else { return nil }
            return Int(screen[range].dropFirst(9).dropLast())
        }
        let first = try #require(snapshot(try follow.waitUntil("a snapshot", timeout: .seconds(30)) { snapshot($0) != nil }))
        try follow.waitUntil("a newer snapshot", timeout: .seconds(60)) { (snapshot($0) ?? 0) > first }
        try follow.type("q")
        #expect(try follow.waitForExit() == 0)
        #expect(try follow.terminalWasRestored())

        try training.type("q")
        #expect(try training.waitForExit(timeout: .seconds(60)) == 0)
        #expect(try training.terminalWasRestored())
        #expect(FileManager.default.fileExists(atPath: out))
        let verify = try CLI.playgrid(["tape", "verify", tape])
        #expect(verify.status == 0, "\(verify.out) \(verify.err)")
    }

    @Test("Ctrl-C on the training screen stops like q: exit 0, the terminal restored, the checkpoint written",
          .enabled(if: TmuxSession.isAvailable, "tmux is not installed; install it to run end-to-end terminal tests"))
    func controlC() throws {
        let out = Scratch.path("control-c.pgck")
        let training = try TmuxSession(command: [try BuiltProducts.path("playgrid"), "train", "rock-garden", "--steps", "300000", "--out", out,
                                                 "--screen"] + Self.tiny, environment: ["SWIFT_BACKTRACE": "enable=no"])
        defer { training.close() }
        let shown = try training.waitUntil("curves", timeout: .seconds(60)) { $0.contains("task return") && $0.contains("%") }
        #expect(shown.contains("train with --tapes DIR"), "the pane says how to see the agent play")
        try training.sendKeys("C-c")
        #expect(try training.waitForExit(timeout: .seconds(60)) == 0)
        #expect(try training.terminalWasRestored())
        #expect(FileManager.default.fileExists(atPath: out))
    }
}
