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

    @Test("experiment --analyse-only that fails leaves the folder's experiment.yaml as it was, and makes no folder where there are no results")
    func failedAnalysisKeepsRecord() throws {
        let out = Scratch.path("analysed-tiny")
        defer { try? FileManager.default.removeItem(atPath: out) }
        #expect(try CLI.playgrid("experiment", "tiny", "--out", out).status == 0)
        let recorded = try String(contentsOfFile: out + "/experiment.yaml", encoding: .utf8)
        // The same experiment with a third seed: its cells for seed 3 were never computed.
        let more = Scratch.path("tiny-3.yaml")
        try recorded.replacingOccurrences(of: "\nseeds: 2\n", with: "\nseeds: 3\n").write(toFile: more, atomically: true, encoding: .utf8)
        let failed = try CLI.playgrid("experiment", more, "--out", out, "--analyse-only", "--force")
        #expect(failed.status == 1 && failed.err.contains("is missing: --analyse-only re-analyses finished cells only"), "stderr: \(failed.err)")
        #expect(try String(contentsOfFile: out + "/experiment.yaml", encoding: .utf8) == recorded)
        let again = try CLI.playgrid("experiment", "--analyse-only", "--out", out)
        #expect(again.status == 0, "the folder still re-analyses as it was: \(again.err)")

        let typo = Scratch.path("no-results")
        CLI.expectCleanFailure(try CLI.playgrid("experiment", "tiny", "--out", typo, "--analyse-only"), 1,
                               mentioning: "\(typo) holds no finished cells to re-analyse; run without --analyse-only to compute them")
        #expect(!FileManager.default.fileExists(atPath: typo))
    }
}
