import Foundation
import Fun
import MetaAgents
import MetaRL
import TestSupport
import Testing

@Suite struct LearningCurveTests {
    /// A small run on two families; greedy-level agents are not needed, only episodes that end in both.
    func twoFamilyTraining(threads: Int = 1) throws -> GridTraining {
        try GridTraining(.init(scenarios: [try shipped("open-field"), try shipped("shifting-goal")], fun: FunSpec(terms: []), seed: 4,
                               envs: 8, threads: threads, hidden: 8, steps: 1_000_000))
    }

    @Test("training reports task return family by family, and the overall mean lies between the families' means")
    func byFamily() throws {
        let training = try twoFamilyTraining()
        var seen = 0
        for _ in 0..<6 {
            let m = try training.step().metrics
            #expect(m.taskReturnByFamily.count == 2)
            let finite = m.taskReturnByFamily.filter(\.isFinite)
            guard m.meanTaskReturn.isFinite, finite.count == 2 else { continue }
            seen += 1
            #expect(m.meanTaskReturn >= finite.min()! - 1e-12 && m.meanTaskReturn <= finite.max()! + 1e-12)
        }
        #expect(seen > 0, "episodes of both families ended in some update")
        // Split across threads, the per-family figures are the same numbers.
        let one = try twoFamilyTraining(), two = try twoFamilyTraining(threads: 2)
        for _ in 0..<3 {
            #expect(try one.step().metrics.taskReturnByFamily.map(\.bitPattern) == two.step().metrics.taskReturnByFamily.map(\.bitPattern))
        }
        let single = try GridTraining(.init(scenarios: [try shipped("open-field")], fun: FunSpec(terms: []), seed: 4, envs: 4, threads: 1,
                                            hidden: 8, steps: 1_000_000))
        let m = try single.step().metrics
        #expect(m.taskReturnByFamily.map(\.bitPattern) == [m.meanTaskReturn.bitPattern])
    }

    @Test("a curve of several families ends its CSV rows with each family's task return and draws each; a CSV begun without those columns is continued without them")
    func familyColumns() throws {
        let folder = try Scratch.folder("curve")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/run.curve.csv"
        let training = try twoFamilyTraining()
        var curve = try LearningCurve(path: path, resumedAt: nil, families: ["open-field", "shifting-goal"])
        for _ in 0..<4 { try curve.append(try training.step()) }
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines[0].hasSuffix(",advantage_std,task_return:open-field,task_return:shifting-goal"))
        #expect(lines.allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 17 })
        #expect(curve.svg(title: "t").contains("task return: shifting-goal"))
        let summary = try #require(curve.familySummary())
        #expect(summary.hasPrefix("open-field ") && summary.contains(" · shifting-goal "))

        // Reloaded, the rows keep their family figures.
        let again = try LearningCurve(path: path, resumedAt: training.trainer.environmentSteps, families: ["open-field", "shifting-goal"])
        #expect(again.rows.map(\.taskByFamily.count) == [2, 2, 2, 2] && again.familySummary() == summary)

        // A curve written before these columns: continued as it was, 15 columns a row, and no summary.
        let old = folder + "/old.curve.csv"
        let oldText = lines.map { $0.split(separator: ",", omittingEmptySubsequences: false).prefix(15).joined(separator: ",") }.joined(separator: "\n") + "\n"
        try oldText.write(toFile: old, atomically: true, encoding: .utf8)
        var continued = try LearningCurve(path: old, resumedAt: training.trainer.environmentSteps, families: ["open-field", "shifting-goal"])
        try continued.append(try training.step())
        let oldLines = try String(contentsOfFile: old, encoding: .utf8).split(separator: "\n")
        #expect(oldLines.count == 6 && oldLines.allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 15 })
        #expect(continued.families.isEmpty && continued.familySummary() == nil)

        // One family: no extra columns.
        let single = try LearningCurve(path: folder + "/one.curve.csv", resumedAt: nil, families: ["open-field"])
        #expect(single.families.isEmpty)
        #expect(try String(contentsOfFile: folder + "/one.curve.csv", encoding: .utf8).hasSuffix(",advantage_std\n"))
    }

    @Test("a resumed run's curve drops the rows written after its checkpoint (a killed run's), which it trains again, and a row cut short")
    func resumeDropsRowsAfterTheCheckpoint() throws {
        let folder = try Scratch.folder("resume")
        let path = folder + "/run.curve.csv", coveragePath = folder + "/run.coverage.csv"
        let training = try twoFamilyTraining()
        var curve = try LearningCurve(path: path, resumedAt: nil, coveragePath: coveragePath, goals: "goid")
        var savedAt = 0
        for update in 1...4 {
            let step = try training.step()
            try curve.append(step)
            try curve.appendCoverage(steps: step.metrics.environmentSteps, coverage: 0.5, intermediate: 0, trialsOnIntermediate: 0.25)
            if update == 2 { savedAt = step.metrics.environmentSteps }
        }
        // Killed in the middle of a row: what the last write left.
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data("5,99".utf8))
        try handle.close()

        var resumed = try LearningCurve(path: path, resumedAt: savedAt, coveragePath: coveragePath, goals: "goid")
        #expect(resumed.rows.map(\.steps) == [Double(savedAt / 2), Double(savedAt)])
        #expect(resumed.coverage.map(\.steps) == [Double(savedAt / 2), Double(savedAt)])
        let again = try twoFamilyTraining()
        for _ in 0..<2 { _ = try again.step() }
        try resumed.append(try again.step())
        let updates = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.prefix { $0 != "," } }
        #expect(updates == ["1", "2", "3"])
        let coverageLines = try String(contentsOfFile: coveragePath, encoding: .utf8).split(separator: "\n")
        #expect(coverageLines.count == 3 && coverageLines[0] == "env_steps,coverage,goid_goals,goals,goid_trial_share")
        #expect(coverageLines[1] == "\(savedAt / 2),0.5,0,goid,0.25")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["run.coverage.csv", "run.curve.csv"])
    }

    @Test("a coverage file begun before goid_trial_share is continued in its own four columns, not refused or torn")
    func resumeKeepsAnOldCoverageFile() throws {
        let folder = try Scratch.folder("resume-old-coverage")
        let path = folder + "/run.curve.csv", coveragePath = folder + "/run.coverage.csv"
        try "env_steps,coverage,goid_goals,goals\n0,0.1,0,goid\n".write(toFile: coveragePath, atomically: true, encoding: .utf8)
        var curve = try LearningCurve(path: path, resumedAt: 100, coveragePath: coveragePath, goals: "goid")
        #expect(curve.coverage.map(\.coverage) == [0.1])
        try curve.appendCoverage(steps: 200, coverage: 0.3, intermediate: 5, trialsOnIntermediate: 0.5)
        let text = try String(contentsOfFile: coveragePath, encoding: .utf8)
        #expect(text == "env_steps,coverage,goid_goals,goals\n0,0.1,0,goid\n200,0.3,5,goid\n")
        #expect(try CoverageComparison.run(csv: text, name: coveragePath).coverage == [0.1, 0.3])
        // An emptied one is begun afresh, with every column.
        try Data().write(to: URL(fileURLWithPath: coveragePath))
        var fresh = try LearningCurve(path: path, resumedAt: 100, coveragePath: coveragePath, goals: "goid")
        try fresh.appendCoverage(steps: 200, coverage: 0.3, intermediate: 5, trialsOnIntermediate: 0.5)
        #expect(try String(contentsOfFile: coveragePath, encoding: .utf8) == "env_steps,coverage,goid_goals,goals,goid_trial_share\n200,0.3,5,goid,0.5\n")
    }

    @Test("a resumed run begins an emptied curve with its header, and refuses a curve that is not one instead of appending to it")
    func resumeChecksTheCurve() throws {
        let folder = try Scratch.folder("resume-check")
        let path = folder + "/run.curve.csv", coveragePath = folder + "/run.coverage.csv"
        try Data().write(to: URL(fileURLWithPath: path))
        var curve = try LearningCurve(path: path, resumedAt: 100, families: ["open-field", "shifting-goal"], coveragePath: coveragePath, goals: "goid")
        try curve.append(try twoFamilyTraining().step())
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2 && lines[0].hasPrefix("update,env_steps,episodes,"), "the header first, not a headerless row")
        #expect(lines[0].hasSuffix(",task_return:open-field,task_return:shifting-goal") && curve.families.count == 2,
                "an emptied curve is begun with every column")
        let garbage = "my notes\n1,2000,3\n"  // a row past step 100: kept, not cut as a killed run's
        try garbage.write(toFile: path, atomically: true, encoding: .utf8)
        let error = try #require(#expect(throws: (any Error).self) { try LearningCurve(path: path, resumedAt: 100) })
        #expect("\(error)" == "\(path): is not this run's learning curve (its first line should begin update,env_steps,episodes,…); move it away to resume, and a new one is begun")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == garbage)
        try garbage.write(toFile: coveragePath, atomically: true, encoding: .utf8)
        try Data().write(to: URL(fileURLWithPath: path))
        let coverage = try #require(#expect(throws: (any Error).self) {
            try LearningCurve(path: path, resumedAt: 100, coveragePath: coveragePath, goals: "goid")
        })
        #expect("\(coverage)".hasPrefix("\(coveragePath): is not this run's coverage file (its first line should begin env_steps,coverage,goid_goals,…)"))
    }
}
