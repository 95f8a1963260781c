import Foundation
import Testing
import TestSupport

/// End to end: `playgrid experiment --compare` prints an exploratory comparison after the run, and a question it
/// cannot answer is refused with one line before anything is trained or written.
@Suite struct ExperimentCommandTests {
    typealias CLI = TapeCommandTests

    @Test("experiment --compare prints one exploratory line a pair; a misspelt arm or scenario is refused before training")
    func compare() throws {
        let out = Scratch.path("compare-tiny")
        defer { try? FileManager.default.removeItem(atPath: out) }
        CLI.expectCleanFailure(try CLI.playgrid("experiment", "tiny", "--out", out, "--compare", "nne:random"), 1,
                               mentioning: "no arm 'nne' in experiment tiny; its arms: none, delight, learned, random, greedy")
        CLI.expectCleanFailure(try CLI.playgrid("experiment", "tiny", "--out", out, "--compare", "none:random", "--scenario", "open-feld"), 1,
                               mentioning: "no scenario 'open-feld'")
        #expect(!FileManager.default.fileExists(atPath: out), "refused before the results folder is made")
        CLI.expectCleanFailure(try CLI.playgrid("experiment", "tiny", "--out", out, "--compare", "none"), 64, mentioning: "expected TREATMENT:CONTROL")
        CLI.expectCleanFailure(try CLI.playgrid("experiment", "tiny", "--out", out, "--compare", "none:random", "--episode", "0"), 64,
                               mentioning: "--episode counts a trial's episodes from 1, found 0")
        CLI.expectCleanFailure(try CLI.playgrid("experiment", "tiny", "--out", out, "--metric", "success"), 64, mentioning: "add --compare")
        CLI.expectCleanFailure(try CLI.playgrid("experiment", "tiny", "--out", out, "--compare", "none:random", "--metric", "succes"), 64,
                               mentioning: "expected one of task_return, success")

        let r = try CLI.playgrid("experiment", "tiny", "--out", out, "--compare", "none:random", "--compare", "delight:none",
                                 "--metric", "play_ratio", "--dynamics", "static", "--scenario", "shifting-goal")
        #expect(r.status == 0, "stderr: \(r.err)")
        let lines = r.out.split(separator: "\n").filter { $0.contains("exploratory, unadjusted") }
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("`none` − `random`, `play_ratio` (dynamics `static`) in shifting-goal: ") == true)
        // The comparison is printed, not written: re-analysing gives the same tables.
        let table = try String(contentsOfFile: out + "/results.md", encoding: .utf8)
        let again = try CLI.playgrid("experiment", "--analyse-only", "--out", out, "--compare", "delight:none")
        #expect(again.status == 0, "stderr: \(again.err)")
        #expect(again.out.contains("`delight` − `none`, `task_return` (mean over dynamics): "))
        let rewritten = try String(contentsOfFile: out + "/results.md", encoding: .utf8)
        let withoutTimes = { (text: String) in text.split(separator: "\n").filter { !$0.contains("Ran in") && !$0.contains("playgrid experiment") } }
        #expect(withoutTimes(rewritten) == withoutTimes(table))
    }
}
