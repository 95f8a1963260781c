import Foundation
import Testing
import TestSupport

/// End to end: `playgrid plot` draws run reports by episode of the trial, and bad input is one line.
@Suite struct PlotCommandTests {
    typealias CLI = TapeCommandTests

    @Test("plot draws two runs' curves into an SVG and prints them; a bad metric, label count, report or existing SVG is one line")
    func plot() throws {
        let memory = Scratch.path("tinkerer.json"), forgetful = Scratch.path("no-memory.json"), svg = Scratch.path("sank.svg")
        for (path, reset) in [(memory, "trial"), (forgetful, "episode")] {
            let r = try CLI.playgrid("run", "tinker-lab", "--agent", "tinkerer", "--fun", "none", "--trials", "60", "--seed", "424242",
                                     "--reset-memory", reset, "--json")
            #expect(r.status == 0, "stderr: \(r.err)")
            try r.out.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let r = try CLI.playgrid("plot", memory, forgetful, "--metric", "event:rock-sank-in-water", "--label", "tinkerer", "--label", "no-memory", "--out", svg)
        #expect(r.status == 0, "stderr: \(r.err)")
        let rows = r.out.split(separator: "\n")
        #expect(rows.first?.hasPrefix("episode") == true && rows.contains { $0.hasPrefix("tinkerer ") } && rows.contains { $0.hasPrefix("no-memory ") }, "\(r.out)")
        // The agent with memory stops sinking rocks after its first episode; without memory it does not.
        func values(_ name: String) -> [Double] {
            // Each value is followed by "± half-width".
            let numbers = rows.first { $0.hasPrefix(name + " ") }!.split(separator: " ").dropFirst().compactMap { Double($0) }
            return stride(from: 0, to: numbers.count, by: 2).map { numbers[$0] }
        }
        #expect(values("tinkerer")[0] > 3 * values("tinkerer")[3] && values("no-memory")[3] > 3 * values("tinkerer")[3], "\(r.out)")
        let drawn = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(drawn.hasPrefix("<svg") && drawn.contains("tinker-lab: rock-sank-in-water per episode by episode of the trial") && drawn.contains(">no-memory<"))

        CLI.expectCleanFailure(try CLI.playgrid("plot", memory, "--out", svg), 1, mentioning: "--force")
        let named = try CLI.playgrid("plot", memory, forgetful, "--out", svg, "--force")
        let stem = String(URL(fileURLWithPath: memory).deletingPathExtension().lastPathComponent)
        #expect(named.status == 0 && named.out.contains("\n\(stem) ") && named.out.contains("(± the 95% t-interval"), "curves named by their files: \(named.out)")
        CLI.expectCleanFailure(try CLI.playgrid("plot", memory, forgetful, "--label", "one", "--out", svg, "--force"), 64,
                               mentioning: "--label names the runs in order: 2 runs, 1 labels")
        CLI.expectCleanFailure(try CLI.playgrid("plot", memory, "--metric", "event:rock-sank-in-watr", "--out", svg, "--force"), 64,
                               mentioning: "did you mean 'event:rock-sank-in-water'?")
        CLI.expectCleanFailure(try CLI.playgrid("plot", memory, "/nonexistent.json", "--out", svg, "--force"), 1,
                               mentioning: "/nonexistent.json: no such file, expected a run report")
        let old = Scratch.path("old.json")
        var report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: memory))) as? [String: Any])
        report["play_events_by_episode_index"] = nil
        report["play_events_by_trial"] = nil
        try JSONSerialization.data(withJSONObject: report).write(to: URL(fileURLWithPath: old))
        CLI.expectCleanFailure(try CLI.playgrid("plot", old, "--metric", "event:pushed", "--out", svg, "--force"), 1,
                               mentioning: "old: this run report has no play events by episode (written by an older playgrid)")
    }

    @Test("goals plot of the README's held-out four-rooms runs: every run's steps in whole columns, and the ratio with its interval as the README quotes it")
    func goalsPlotHeldOut() throws {
        let folder = Repository.path("docs/agents/goid-coverage/held-out")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(files.count == 14)
        let r = try CLI.playgrid(["goals", "plot"] + files.map { folder + "/" + $0 } + ["--out", Scratch.path("held-out.svg")])
        #expect(r.status == 0, "stderr: \(r.err)")
        let rows = r.out.split(separator: "\n").map(String.init)
        #expect(rows.first?.hasSuffix("uniform/goid steps, runs [95%]") == true, "\(r.out)")
        let half = try #require(rows.first { $0.hasPrefix("0.5 ") }, "\(r.out)")
        #expect(half.contains("0.51M | 0.51M 0.51M 0.51M 0.64M 0.51M 0.64M 0.51M ") && half.hasSuffix(" 1.20 [1.06, 1.34]"), "\(half)")
        #expect(rows.first { $0.hasPrefix("0.9 ") }?.hasSuffix(" 0.91 [0.83, 1.03]") == true, "\(r.out)")
        // Where the training went: the share of trials on goals of intermediate difficulty (docs/goals.md quotes it).
        let spaced = rows.map { $0.split(separator: " ").joined(separator: " ") }
        #expect(spaced.contains("0.13M 71% 11%") && spaced.contains("1.02M 72% 81%"), "\(r.out)")
    }

    @Test("goals plot prints, per measurement, each curriculum's mean share of trials on goals of intermediate difficulty")
    func goalsPlotTrialShare() throws {
        let header = "env_steps,coverage,goid_goals,goals,goid_trial_share\n"
        let files = [("goid-1", "0,0.1,0,goid,\n125000,0.3,20,goid,0.6\n250000,0.5,30,goid,0.7\n"),
                     ("goid-2", "0,0.1,0,goid,\n125000,0.2,20,goid,0.4\n250000,0.6,30,goid,0.5\n"),
                     ("uniform-1", "0,0.1,0,uniform,\n125000,0.2,20,uniform,0.2\n")].map { name, rows in
            let path = Scratch.path(name + ".coverage.csv")
            try? (header + rows).write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let r = try CLI.playgrid(["goals", "plot"] + files + ["--out", Scratch.path("share.svg"), "--force"])
        #expect(r.status == 0, "stderr: \(r.err)")
        let lines = r.out.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        let start = try #require(lines.firstIndex { $0.hasPrefix("trials on goals of intermediate difficulty") }, "\(r.out)")
        #expect(Array(lines[(start + 1)...(start + 4)]) == ["steps goid uniform", "0.00M - -", "0.12M 50% 20%", "0.25M 60%"], "\(r.out)")
    }
}
