import Foundation
import Testing
import TestSupport

/// End to end: skills learned from tapes of play, the high level trained on them, and their command-line errors.
@Suite struct SkillsLearnCommandTests {
    typealias CLI = TapeCommandTests

    @Test("skills learn writes a skill file from play tapes and prints its held-out figures; eval, train --skills-from and run use it; bad input is one line")
    func learnEvalTrainRun() throws {
        let tape = Scratch.path("play.tape"), skills = Scratch.path("play.pgsk")
        let agent = Scratch.path("high.pgck")
        var r = try CLI.playgrid("run", "playroom", "--agent", "player", "--episodes", "12", "--seed", "2", "--record", tape)
        #expect(r.status == 0, "stderr: \(r.err)")
        r = try CLI.playgrid("skills", "learn", tape, "--out", skills, "--steps", "40", "--horizon", "5", "--latent", "4")
        #expect(r.status == 0, "stderr: \(r.err)")
        #expect(r.out.contains("reconstruction accuracy") && r.out.contains("KL(q‖prior)"))
        CLI.expectCleanFailure(try CLI.playgrid("skills", "learn", tape, "--out", skills), 1, mentioning: "--force")
        r = try CLI.playgrid("skills", "eval", skills, "--trials", "3")
        #expect(r.status == 0, "stderr: \(r.err)")
        #expect(r.out.contains("prior entropy") && r.out.split(separator: "\n").count == 4 + 4)
        r = try CLI.playgrid("train", "open-field", "--skills-from", skills, "--fun", "none", "--steps", "3000", "--envs", "4",
                             "--threads", "1", "--out", agent)
        #expect(r.status == 0, "stderr: \(r.err)")
        // Skills end where episodes do, so the last update overshoots 500 steps; the bar says what ran, not "640/500".
        r = try CLI.playgrid("train", "open-field", "--skills-from", skills, "--fun", "none", "--steps", "500", "--envs", "4",
                             "--threads", "1", "--out", Scratch.path("short.pgck"))
        let last = r.err.split(separator: "\n").last { $0.contains("% ") }.map(String.init) ?? ""
        let counts = last.split(separator: " ").first { $0.contains("/") }?.split(separator: "/").map(String.init) ?? []
        #expect(r.status == 0 && last.hasPrefix("100% ") && counts.count == 2 && counts[0] == counts[1], "stderr: \(r.err)")
        #expect(r.err.contains("trained \(counts.last ?? "?") gridworld steps in "), "the last line says what ran: \(r.err)")
        r = try CLI.playgrid("run", "open-field", "--agent", agent, "--episodes", "2", "--fun", "none")
        #expect(r.status == 0 && r.out.contains("open-field"), "stderr: \(r.err)")
        CLI.expectCleanFailure(try CLI.playgrid("run", "open-field", "--agent", agent, "--no-play"), 1, mentioning: "--no-play")

        // skills compare reuses its checkpoints when trained as asked, and refuses to overwrite ones trained otherwise
        // (hours of training, perhaps) unless --force.
        let compared = Scratch.path("compared")
        let compare = ["skills", "compare", skills, "--out", compared, "--train", "open-field", "--test", "open-field", "--tasks", "2"]
        r = try CLI.playgrid(compare + ["--steps", "2000"])
        #expect(r.status == 0 && FileManager.default.fileExists(atPath: compared + "/compare.json"), "stderr: \(r.err)")
        // Whole 16,384-step updates and whole skills pass 2,000 steps by different amounts: both are said.
        #expect(r.out.contains("for 2000 gridworld steps asked (taken: flat 16384, skill-based "), "stdout: \(r.out)")
        let blocked = Scratch.path("compared-blocked")
        try FileManager.default.createDirectory(atPath: blocked + "/compare.svg", withIntermediateDirectories: true)
        CLI.expectCleanFailure(try CLI.playgrid("skills", "compare", skills, "--out", blocked, "--train", "open-field", "--test", "open-field", "--steps", "2000"), 1,
                               mentioning: "\(blocked)/compare.svg: is a folder, expected a file")
        #expect(!FileManager.default.fileExists(atPath: blocked + "/flat-seed-1.pgck"), "refused before training")
        let high = try Data(contentsOf: URL(fileURLWithPath: compared + "/skills-seed-1.pgck"))
        CLI.expectCleanFailure(try CLI.playgrid(compare + ["--steps", "2000", "--prior-weight", "0.02"]), 1,
                               mentioning: "skills-seed-1.pgck: was not trained as seed 1 of this comparison")
        #expect(try Data(contentsOf: URL(fileURLWithPath: compared + "/skills-seed-1.pgck")) == high, "the checkpoint is as it was")
        r = try CLI.playgrid(compare + ["--steps", "2000", "--prior-weight", "0.02", "--force"])
        #expect(r.status == 0 && r.err.contains("training it again (--force)"), "stderr: \(r.err)")

        CLI.expectCleanFailure(try CLI.playgrid("skills", "compare", skills, "--out", tape + "/compared", "--steps", "2000"), 1,
                               mentioning: "\(tape): is a file, not a folder")
        CLI.expectCleanFailure(try CLI.playgrid("skills", "learn", "--out", skills), 64, mentioning: "tape")
        CLI.expectCleanFailure(try CLI.playgrid("skills", "learn", tape, "--out", skills, "--horizon", "0"), 64, mentioning: "--horizon")
        CLI.expectCleanFailure(try CLI.playgrid("skills", "learn", tape, "--out", skills, "--latent", "1"), 64, mentioning: "--latent")
        CLI.expectCleanFailure(try CLI.playgrid("skills", "learn", "/nonexistent.tape", "--out", Scratch.path("x.pgsk")), 1,
                               mentioning: "/nonexistent.tape")
        CLI.expectCleanFailure(try CLI.playgrid("skills", "learn", skills, "--out", Scratch.path("y.pgsk")), 1, mentioning: skills)
        CLI.expectCleanFailure(try CLI.playgrid("train", "open-field", "--skills-from", tape, "--out", Scratch.path("z.pgck")), 1,
                               mentioning: "PGSK")
        CLI.expectCleanFailure(try CLI.playgrid("train", "open-field", "--skills-from", skills, "--resume", "--out", agent), 64, mentioning: "--resume")
        CLI.expectCleanFailure(try CLI.playgrid("train", "open-field", "--skills-from", skills, "--no-play", "--out", agent), 64, mentioning: "--no-play")
        CLI.expectCleanFailure(try CLI.playgrid("skills", "eval", skills, "--scenario", "no-such-room"), 1, mentioning: "no-such-room")
        CLI.expectCleanFailure(try CLI.playgrid("skills", "eval", skills, "--svg", Scratch.path("play.svg")), 1,
                               mentioning: "--svg draws a skill agent's visit maps; \(skills) is a skill file learned from play")
    }
}
