@testable import Experiments
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import MetaRL
import ScenarioFiles
import Testing
import TestSupport

let repository = Repository.root

/// The tiny shipped experiment, with its scenarios named by path so the test does not depend on the working folder.
func tinyConfiguration(trials: Int = 1) throws -> ExperimentConfiguration {
    var text = try String(contentsOf: repository.appendingPathComponent("experiments/tiny.yaml"), encoding: .utf8)
    let scenarios = repository.appendingPathComponent("scenarios").path
    text = text.replacingOccurrences(of: "scenarios: [open-field, shifting-goal]",
                                     with: "scenarios: [\(scenarios)/open-field.yaml, \(scenarios)/shifting-goal.yaml]")
    text = text.replacingOccurrences(of: "  trials: 1\n", with: "  trials: \(trials)\n")
    return try ExperimentConfiguration.parse(text: text, file: "tiny.yaml")
}

/// The error a configuration's parse throws, or nil when it parses.
func parseError(_ parse: () throws -> ExperimentConfiguration) -> ScenarioFileError? {
    do { _ = try parse(); return nil } catch let e as ScenarioFileError { return e } catch { return nil }
}

/// Splits one CSV line into fields, honouring double-quoted fields (RFC 4180).
func fields(_ line: String) -> [String] {
    var out: [String] = [], current = "", quoted = false
    var characters = Array(line)[...]
    while let c = characters.popFirst() {
        if quoted {
            if c == "\"" {
                if characters.first == "\"" { current.append("\""); characters.removeFirst() } else { quoted = false }
            } else { current.append(c) }
        } else if c == "\"" { quoted = true
        } else if c == "," { out.append(current); current = ""
        } else { current.append(c) }
    }
    return out + [current]
}

final class SVGCheck: NSObject, XMLParserDelegate {
    var elements: [String] = []
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        elements.append(name)
    }
}

@Suite struct ExperimentRunTests {
    @Test("a tiny experiment writes a table, a CSV and SVG plots that parse, and a rerun reuses every cached cell")
    func endToEnd() throws {
        let out = Scratch.path("tiny")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let configuration = try tinyConfiguration()
        var standings: [AgentProgress] = []
        let first = try ExperimentRunner(configuration: configuration, out: out, force: false, command: "playgrid experiment tiny").run { event in
            if case .progress(_, _, _, let agent?) = event { standings.append(agent) }
        }
        // 1 generation × 1 antithetic pair = 2 candidates, then 3 fun settings × 2 seeds.
        #expect(first.trainedNow == 8 && first.reused == 0)
        // The training time of every agent behind the results, candidates included, kept in their records.
        let firstTraining = first.trainingSeconds
        #expect(firstTraining.untimed == 0 && firstTraining.total > 0)
        #expect(firstTraining.total >= first.groups.flatMap(\.training).reduce(0) { $0 + $1.seconds })
        // Progress says which of the 6 agents trains, how many are done and queued, and its time left.
        #expect(Array(Set(standings.map(\.number))).sorted() == Array(1...6))
        #expect(standings.allSatisfy { $0.count == 6 && $0.finished == $0.number - 1 && $0.secondsLeft >= 0 })
        #expect(standings.last?.queued == 0)
        #expect(first.groups.map(\.name) == ["none", "delight", "learned", "random", "greedy"])
        #expect(first.groups.allSatisfy { $0.evaluations.count == 2 && $0.evaluations.allSatisfy { $0.results.count == 2 } })

        let markdown = try String(contentsOfFile: out + "/results.md", encoding: .utf8)
        for needle in ["## Verdicts", "| H1: without fun", "| ultimate-delight: ", "`delight` − `none`", "playgrid experiment tiny",
                       "## Dynamics `fast`", "| learned |", "Learned fun weighting", "Everything below is exploratory"] {
            #expect(markdown.contains(needle), "results.md lacks \(needle)")
        }
        // Two seeds cannot decide anything: the smallest two-sided paired permutation p is 2/2² = 0.5.
        #expect(markdown.components(separatedBy: "**inconclusive**").count == 4, "every verdict is inconclusive")
        let design = try String(contentsOfFile: out + "/DESIGN.md", encoding: .utf8)
        for needle in ["## Hypotheses (preregistered)", "| H1 | without fun, play acts on the world more often than chance play does | `play_yield` (mean over dynamics) | `none` | `random` |",
                       "`change_slope`", "Holm-adjusted over the 3 hypotheses", "Training seeds 1…2 per arm", "| `greedy` | scripted control |"] {
            #expect(design.contains(needle), "DESIGN.md lacks \(needle)")
        }
        // Both scenarios have 4 episodes a trial, so every index averages both.
        #expect(first.groups.allSatisfy { $0.evaluations.allSatisfy { $0.results.allSatisfy { $0.returnByEpisode.count == 4 && $0.playByEpisode.count == 4 } } })
        let csvText = try String(contentsOfFile: out + "/results.csv", encoding: .utf8)
        let csv = csvText.split(separator: "\n").map { fields(String($0)) }
        #expect(csv.count == 1 + 5 * 2, "a row per agent group and dynamics setting")
        #expect(csv.allSatisfy { $0.count == csv[0].count }, "every row has the header's column count")
        #expect(csv.contains { $0[0] == "learned" && $0[1].contains(",") }, "a learned spec with several terms stays one quoted field")
        #expect(csvText.hasPrefix("group,fun,baseline,dynamics,rate,seeds,task_return_mean,task_return_ci95"))
        for plot in ["learning-curves", "return-vs-change", "adaptation"] {
            let data = try #require(FileManager.default.contents(atPath: out + "/\(plot).svg"))
            let parser = XMLParser(data: data)
            let check = SVGCheck()
            parser.delegate = check
            #expect(parser.parse(), "\(plot).svg is well-formed XML")
            #expect(check.elements.first == "svg" && check.elements.contains("polyline"), "\(plot).svg draws lines")
        }
        // Scenario by scenario: each record keeps both worlds in order, and they average to its overall figures.
        for result in first.groups.flatMap({ $0.evaluations.flatMap(\.results) }) {
            let scenarios = try #require(result.byScenario)
            #expect(scenarios.map(\.scenario) == ["open-field", "shifting-goal"])
            #expect(abs(scenarios.map(\.taskReturn).reduce(0, +) / 2 - result.taskReturn) < 1e-12)
            #expect(abs(scenarios.map(\.success).reduce(0, +) / 2 - result.success) < 1e-12)
            #expect(scenarios.allSatisfy { $0.playByEpisode.count == 4 && $0.returnByEpisode.count == 4 })
        }
        let byScenario = try String(contentsOfFile: out + "/results-by-scenario.csv", encoding: .utf8).split(separator: "\n").map { fields(String($0)) }
        #expect(byScenario.count == 1 + 5 * 2 * 2, "a row per agent group, dynamics setting and scenario")
        #expect(byScenario.allSatisfy { $0.count == byScenario[0].count })
        #expect(byScenario[0].prefix(6) == ["group", "dynamics", "scenario", "seeds", "task_return_mean", "task_return_ci95"])
        #expect(byScenario[0].suffix(2) == ["return_ep4", "play_ep4"])
        #expect(markdown.contains("## By scenario (dynamics `static`)") && markdown.contains("| greedy | shifting-goal | "))
        let cells = try FileManager.default.contentsOfDirectory(atPath: out + "/cells")
        #expect(cells.filter { $0.hasSuffix(".pgck") }.count == 6)

        let second = try ExperimentRunner(configuration: configuration, out: out, force: false, command: "playgrid experiment tiny").run()
        #expect(second.trainedNow == 0 && second.reused == 8)
        #expect(try String(contentsOfFile: out + "/results.csv", encoding: .utf8) == csvText, "cached cells give the same table")

        // Three at a time (the learned-fun candidates of a generation together, then the arms' agents), the same search
        // and the same table.
        let parallel = Scratch.path("tiny-jobs")
        defer { try? FileManager.default.removeItem(atPath: parallel) }
        var notes: [String] = []
        let together = try ExperimentRunner(configuration: configuration, out: parallel, force: false, command: "playgrid experiment tiny",
                                            jobs: 3).run { if case .note(let line) = $0 { notes.append(line) } }
        #expect(together.trainedNow == 8 && together.reused == 0 && together.learned?.path == first.learned?.path)
        // Each agent is evaluated on its worker as soon as it is trained, so a run killed later keeps its evaluation.
        #expect(notes.filter { $0.hasSuffix("s, evaluated") }.count == 6)
        #expect(notes.contains("0 finished in \(parallel), 6 to train"), "it says what it reuses before it trains")
        #expect(!notes.contains { $0.hasPrefix("evaluating none") || $0.hasPrefix("evaluating delight") || $0.hasPrefix("evaluating learned") })
        #expect(try String(contentsOfFile: parallel + "/results.csv", encoding: .utf8) == csvText)

        // --analyse-only rewrites the report from the folder's records alone (no checkpoints or fun tapes: a shared
        // results folder leaves them out), and names the first record it lacks.
        let designBefore = try String(contentsOfFile: out + "/DESIGN.md", encoding: .utf8)
        let reportBefore = try String(contentsOfFile: out + "/results.md", encoding: .utf8)
        let jsonBefore = try String(contentsOfFile: out + "/results.json", encoding: .utf8)
        try FileManager.default.removeItem(atPath: out + "/results.csv")
        for file in cells where file.hasSuffix(".pgck") || file.hasSuffix(".fun") { try FileManager.default.removeItem(atPath: out + "/cells/" + file) }
        let analysed = try ExperimentRunner(configuration: configuration, out: out, force: false, command: "playgrid experiment tiny",
                                            analyseOnly: true).run()
        #expect(analysed.trainedNow == 0 && analysed.reused == 8)
        #expect(analysed.trainingSeconds.total == firstTraining.total && analysed.trainingSeconds.untimed == 0,
                "a re-analysis states the training time the records hold, not its own")
        #expect(try String(contentsOfFile: out + "/results.md", encoding: .utf8).contains(
            "Training every agent took \(String(format: "%.0f", firstTraining.total)) s in all"))
        #expect(try String(contentsOfFile: out + "/results.csv", encoding: .utf8) == csvText)
        #expect(try String(contentsOfFile: out + "/DESIGN.md", encoding: .utf8) == designBefore)
        // It keeps the run's provenance (its command and time, from results.json), so re-analysing changes no byte.
        #expect(try String(contentsOfFile: out + "/results.md", encoding: .utf8) == reportBefore)
        #expect(try String(contentsOfFile: out + "/results.json", encoding: .utf8) == jsonBefore)
        #expect(analysed.provenance != RunProvenance(command: "playgrid experiment tiny", seconds: analysed.seconds, trainedNow: 0, reused: 8))
        // Run in full on that folder, every agent is reused from its record and evaluation: none is trained again for
        // want of its checkpoint, so a shared folder can be resumed or extended.
        let resumed = try ExperimentRunner(configuration: configuration, out: out, force: false, command: "playgrid experiment tiny --jobs 2").run()
        #expect(resumed.trainedNow == 0 && resumed.reused == 8)
        #expect(try String(contentsOfFile: out + "/DESIGN.md", encoding: .utf8) == designBefore, "a resumed run keeps the design written before training")
        #expect(try String(contentsOfFile: out + "/results.csv", encoding: .utf8) == csvText)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out + "/cells").allSatisfy { !$0.hasSuffix(".pgck") })
        // Evaluation records written before per-scenario figures were kept still analyse; the report says how to get them.
        for file in cells where file.hasPrefix("eval-") {
            let path = out + "/cells/" + file
            var record = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
            let results = try #require(record["results"] as? [[String: Any]])
            record["results"] = results.map { r in r.filter { $0.key != "byScenario" } }
            try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys]).write(to: URL(fileURLWithPath: path))
        }
        try ExperimentRunner(configuration: configuration, out: out, force: false, command: "x", analyseOnly: true).run()
        #expect(try String(contentsOfFile: out + "/results.csv", encoding: .utf8) == csvText)
        #expect(try String(contentsOfFile: out + "/results.md", encoding: .utf8).contains("The evaluation records predate per-scenario figures"))
        #expect(try String(contentsOfFile: out + "/results-by-scenario.csv", encoding: .utf8).split(separator: "\n").count == 1)
        let evaluation = try #require(cells.first { $0.hasPrefix("eval-random-s2-") })
        try FileManager.default.removeItem(atPath: out + "/cells/" + evaluation)
        var message = ""
        do {
            try ExperimentRunner(configuration: configuration, out: out, force: false, command: "x", analyseOnly: true).run()
        } catch let error as ExperimentError { message = error.message }
        #expect(message.contains("cells/\(evaluation) is missing") && message.contains("--analyse-only"))
        #expect(!FileManager.default.fileExists(atPath: out + "/cells/" + evaluation), "an analysis computes nothing")
        try "{\"results\": [".write(toFile: out + "/cells/" + evaluation, atomically: true, encoding: .utf8)
        do {
            try ExperimentRunner(configuration: configuration, out: out, force: false, command: "x", analyseOnly: true).run()
        } catch let error as ExperimentError { message = error.message }
        #expect(message.contains("cells/\(evaluation) cannot be read (damaged, or cut short)"), "\(message)")
        try FileManager.default.removeItem(atPath: out + "/cells/" + evaluation)
        // Without its checkpoint or its evaluation an agent is trained again: deterministic, so the same table.
        let record = try #require(cells.first { $0.hasPrefix("train-none-s1-") && $0.hasSuffix(".json") })
        try FileManager.default.removeItem(atPath: out + "/cells/" + #require(cells.first { $0.hasPrefix("eval-none-s1-") }))
        let retrained = try ExperimentRunner(configuration: configuration, out: out, force: false, command: "x").run()
        #expect(retrained.trainedNow == 1 && retrained.reused == 7)
        #expect(FileManager.default.fileExists(atPath: out + "/cells/" + record.replacingOccurrences(of: ".json", with: ".pgck")))
        #expect(try String(contentsOfFile: out + "/results.csv", encoding: .utf8) == csvText)
    }

    @Test("a folder holding another experiment is refused without --force, and nothing in it is overwritten")
    func refusesOtherResults() throws {
        let out = Scratch.path("other")
        defer { try? FileManager.default.removeItem(atPath: out) }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try Data("name: something else\n".utf8).write(to: URL(fileURLWithPath: out + "/experiment.yaml"))
        let configuration = try tinyConfiguration()
        #expect(throws: ExperimentError.self) {
            try ExperimentRunner(configuration: configuration, out: out, force: false, command: "x").run()
        }
        #expect(try String(contentsOfFile: out + "/experiment.yaml", encoding: .utf8) == "name: something else\n", "nothing overwritten")
    }
}

@Suite struct PreregistrationTests {
    func configuration(_ hypotheses: String) throws -> ExperimentConfiguration {
        try ExperimentConfiguration.parse(text: """
            scenarios: [open-field]
            fun: {none: none, delight: delight=1}
            dynamics:
              static: {goal-moves-every: 0}
              fast: {goal-moves-every: 10}
            seeds: 2
            training: {steps: 64, envs: 2, hidden: 4, threads: 1}
            evaluation: {trials: 1, baselines: [random]}
            preregistration:
              hypotheses:
            \(hypotheses)
            """, file: "p.yaml")
    }

    @Test("a change to a preregistered hypothesis is refused once the folder holds results, even with --force, and nothing is overwritten")
    func refusesChangedPrimaryMetric() throws {
        let out = Scratch.path("prereg")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let before = try configuration("    H1: {metric: play_ratio, treatment: delight, control: none, direction: greater}")
        let after = try configuration("    H1: {metric: task_return, treatment: delight, control: none, direction: greater}")
        try ExperimentRunner(configuration: before, out: out, force: false, command: "x").run()
        let written = try String(contentsOfFile: out + "/preregistration.json", encoding: .utf8)
        let design = try String(contentsOfFile: out + "/DESIGN.md", encoding: .utf8)
        #expect(written.contains("play_ratio") && design.contains("`play_ratio`"))
        var message = ""
        do {
            try ExperimentRunner(configuration: after, out: out, force: true, command: "x").run()
        } catch let error as ExperimentError {
            message = error.message
        }
        #expect(message.contains("cannot change once results exist") && message.contains("another --out"))
        #expect(try String(contentsOfFile: out + "/preregistration.json", encoding: .utf8) == written, "the registration is untouched")
        #expect(try String(contentsOfFile: out + "/DESIGN.md", encoding: .utf8) == design, "the design is untouched")
        // A damaged registration is named as damaged, not as a change of hypotheses; it is still not replaced.
        try "x".write(toFile: out + "/preregistration.json", atomically: true, encoding: .utf8)
        do {
            try ExperimentRunner(configuration: before, out: out, force: true, command: "x").run()
            Issue.record("a damaged preregistration was accepted")
        } catch let error as ExperimentError {
            #expect(error.message.contains("preregistration.json is damaged") && error.message.contains("restore it"), "\(error.message)")
        }
        #expect(try String(contentsOfFile: out + "/preregistration.json", encoding: .utf8) == "x")
    }

    @Test("an --out that cannot be made names the file in the way once")
    func outBehindAFile() throws {
        let file = Scratch.path("in-the-way")
        try "x".write(toFile: file, atomically: true, encoding: .utf8)
        let c = try configuration("    H1: {metric: play_ratio, treatment: delight, control: none, direction: greater}")
        #expect { try ExperimentRunner(configuration: c, out: file + "/results", force: false, command: "x").run() } throws: {
            ($0 as? ExperimentError)?.message == "cannot create the results folder: \(file): is a file, not a folder"
        }
    }

    @Test("verdicts follow the rule: supported, not supported and inconclusive on hand-built seeds")
    func decide() throws {
        let c = try configuration("""
                H-up: {metric: play_ratio, treatment: delight, control: none, direction: greater}
                H-wrong-way: {metric: task_return, treatment: delight, control: none, direction: greater}
                H-noise: {metric: success, treatment: delight, control: none, direction: greater}
            """)
        let p = try #require(c.preregistration)
        #expect(p.correction == .holm && p.alpha == 0.05)
        // Ten seeds: play +1 on every seed (exact p 2/1024); task return −1 on every seed; success alternates ±1.
        let outcomes = p.decide { arm, h in
            let treated = arm == "delight"
            return (0..<10).map { k -> Double in
                switch h.metric {
                case .playRatio: return treated ? Double(k) + 1 : Double(k)
                case .taskReturn: return treated ? Double(k) - 1 : Double(k)
                default: return treated ? Double(k) + (k % 2 == 0 ? 1 : -1) : Double(k)
                }
            }
        }
        #expect(outcomes.map(\.verdict) == [.supported, .notSupported, .inconclusive])
        #expect(outcomes[0].p == 2.0 / 1024 && abs(outcomes[0].adjustedP - 3 * 2.0 / 1024) < 1e-12)
        #expect(outcomes[0].effect?.estimate == 1 && outcomes.allSatisfy { $0.pairs == 10 })
        // Three seeds that all point the wrong way are still too few to call the effect absent (2/2³ × 3 > 0.05).
        let few = p.decide { arm, _ in arm == "delight" ? [0, 1, 2] : [1, 2, 3] }
        #expect(few.allSatisfy { $0.verdict == .inconclusive })
    }

    @Test("bad hypotheses point at themselves: unknown arm, metric without episodes, a slope tied to one setting, an arm against itself")
    func badHypotheses() throws {
        func failure(_ h: String) -> ScenarioFileError? { parseError { try configuration(h) } }
        let arm = try #require(failure("    H1: {metric: play_ratio, treatment: delite, control: none, direction: greater}"))
        #expect(arm.line == 11 && arm.message.contains("did you mean 'delight'?"))
        let episode = try #require(failure("    H1: {metric: success, episode: 1, treatment: delight, control: none, direction: greater}"))
        #expect(episode.message.contains("no per-episode values"))
        let slope = try #require(failure("    H1: {metric: change_slope, dynamics: fast, treatment: delight, control: none, direction: greater}"))
        #expect(slope.message.contains("across every dynamics setting"))
        let same = try #require(failure("    H1: {metric: play_ratio, treatment: none, control: none, direction: less}"))
        #expect(same.message.contains("with itself"))
        let direction = try #require(failure("    H1: {metric: play_ratio, treatment: delight, control: none, direction: up}"))
        #expect(direction.message.contains("greater"))
        let missing = try #require(failure("    H1: {metric: play_ratio, treatment: delight, control: random}"))
        #expect(missing.message.contains("missing 'direction'"))
    }

    @Test("an exploratory comparison pairs two arms seed by seed on any metric, and a bad question is refused before any training")
    func exploratoryComparison() throws {
        let out = Scratch.path("compare")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let c = try configuration("    H1: {metric: play_ratio, treatment: delight, control: none, direction: greater}")
        let results = try ExperimentRunner(configuration: c, out: out, force: false, command: "x").run()
        let question = try c.comparison(treatment: "delight", control: "random", metric: .taskReturn, dynamics: "fast")
        let comparison = results.compare(question)
        let arm = { (name: String) in try #require(results.groups.first { $0.name == name }) }
        let expected = zip(try arm("delight").evaluations, try arm("random").evaluations).map { $0.0.results[1].taskReturn - $0.1.results[1].taskReturn }
        #expect(comparison.differences == expected, "seed k of one arm against seed k of the other, under `fast` only")
        #expect(comparison.outcome.pairs == 2 && comparison.outcome.p >= 0.5, "two pairs: the exact two-sided p is at least 2/2² = 0.5")
        #expect(abs((comparison.outcome.effect?.estimate ?? .nan) - (expected[0] + expected[1]) / 2) < 1e-12)
        #expect(comparison.summary.hasPrefix("`delight` − `random`, `task_return` (dynamics `fast`): ") && comparison.summary.contains("exploratory, unadjusted"))
        // Averaged over the dynamics when none is named, as a hypothesis without `dynamics` is.
        let overall = results.compare(try c.comparison(treatment: "delight", control: "none", metric: .success))
        #expect(overall.question.hypothesis.dynamics == nil && overall.differences.count == 2)
        // One scenario of the mix, read from each evaluation's per-scenario figures.
        let inRoom = results.compare(try c.comparison(treatment: "delight", control: "none", metric: .playRatio, dynamics: "static", scenario: "open-field"))
        let roomPlay = { (name: String) in try arm(name).evaluations.map { $0.results[0].byScenario?[0].playRatio ?? .nan } }
        #expect(inRoom.differences == zip(try roomPlay("delight"), try roomPlay("none")).map { $0.0 - $0.1 })
        #expect(inRoom.summary.contains("(dynamics `static`) in open-field: "))

        func refusal(_ ask: () throws -> Comparison.Question) -> String {
            do { _ = try ask() } catch let error as ExperimentError { return error.message } catch {}
            return ""
        }
        #expect(refusal { try c.comparison(treatment: "delite", control: "none", metric: .taskReturn) } .contains("its arms: none, delight, random"))
        #expect(refusal { try c.comparison(treatment: "none", control: "none", metric: .taskReturn) } .contains("with itself"))
        #expect(refusal { try c.comparison(treatment: "delight", control: "none", metric: .taskReturn, dynamics: "slow") } .contains("its dynamics: static, fast"))
        #expect(refusal { try c.comparison(treatment: "delight", control: "none", metric: .success, episode: 1) } .contains("no per-episode values"))
        #expect(refusal { try c.comparison(treatment: "delight", control: "none", metric: .recoveryRegret) } .contains("only where rules change"))
        #expect(refusal { try c.comparison(treatment: "delight", control: "none", metric: .changeSlope, dynamics: "fast") } .contains("across every dynamics"))
        #expect(refusal { try c.comparison(treatment: "delight", control: "none", metric: .success, scenario: "open-feld") } .contains("its scenarios: open-field"))
        #expect(refusal { try c.comparison(treatment: "delight", control: "none", metric: .funPerStep, scenario: "open-field") } .contains("not kept scenario by scenario"))
        // An episode past every trial's end was answered "n/a over 0 seed pairs", as if measured.
        let longest = c.scenarios.map(\.episodesPerTrial).max() ?? 0
        #expect(refusal { try c.comparison(treatment: "delight", control: "none", metric: .taskReturn, episode: longest + 1) }
            == "episode \(longest + 1): a trial in experiment \(c.name) has at most \(longest) episode\(longest == 1 ? "" : "s")")
        #expect(refusal { try c.comparison(treatment: "delight", control: "none", metric: .taskReturn, episode: 99, scenario: "open-field") }
            .contains("episode 99: a trial of open-field has at most"))
        #expect(try c.comparison(treatment: "delight", control: "none", metric: .taskReturn, episode: longest).hypothesis.episode == longest)
    }
}

@Suite struct LearnedFunSearchTests {
    @Test("the search's antithetic candidates are positive and symmetric about θ in log-weight, never clipped")
    func antitheticPairs() {
        let theta: [Double] = [log(0.05), log(0.5)]
        let epsilon: [Float] = [-3, 2]
        let plus = LearnedFunSearch.candidate(theta, epsilon: epsilon, sign: 1, sigma: 0.3)
        let minus = LearnedFunSearch.candidate(theta, epsilon: epsilon, sign: -1, sigma: 0.3)
        #expect(plus.allSatisfy { $0 > 0 } && minus.allSatisfy { $0 > 0 })
        // exp(θ + σε) · exp(θ − σε) = exp(2θ): each weight's pair multiplies to its centre squared.
        for j in 0..<2 { #expect(abs(Double(plus[j] * minus[j]) - exp(2 * theta[j])) < 1e-6) }
        #expect(LearnedFunSearch.weights(theta) == [0.05, 0.5], "the starting weights come back exactly")
    }
}

@Suite struct ArmTests {
    func configuration(_ arms: String) throws -> ExperimentConfiguration {
        let scenarios = repository.appendingPathComponent("scenarios").path
        return try ExperimentConfiguration.parse(text: """
            scenarios: [\(scenarios)/rock-garden.yaml]
            fun:
            \(arms)
            dynamics: {static: {goal-moves-every: 0}}
            seeds: 1
            training: {steps: 256, envs: 2, hidden: 4, threads: 1, recipe: tinkering}
            evaluation: {trials: 1, baselines: []}
            """, file: "arms.yaml")
    }

    @Test("arms train and are evaluated with their own scenarios and controls: no play, memory per episode")
    func controls() throws {
        let c = try configuration("""
              none: none
              no-play: {fun: none, no-play: true}
              forgetful: {fun: none, reset-memory: episode, scenarios: [open-field]}
            """)
        #expect(c.training.recipe == "tinkering" && c.fun.map(\.controls) == [[], ["no play"], ["memory per episode"]])
        #expect(c.scenarios(of: c.fun[2]).map(\.name) == ["open-field"] && c.scenarios(of: c.fun[1]).map(\.name) == ["rock-garden"])
        let out = Scratch.path("arms")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let results = try ExperimentRunner(configuration: c, out: out, force: false, command: "x").run()
        let noPlay = try #require(results.groups.first { $0.name == "no-play" })
        #expect(noPlay.evaluations[0].results[0].playSteps == 0, "an agent whose play head is fixed to none never plays")
        let cells = try FileManager.default.contentsOfDirectory(atPath: out + "/cells")
        let forgetful = try #require(cells.first { $0.hasPrefix("train-forgetful-") && $0.hasSuffix(".pgck") })
        let checkpoint = try Checkpoint.read(from: out + "/cells/" + forgetful)
        #expect(checkpoint.policy.memory == .episode && checkpoint.policy.plays != .none)
        #expect(checkpoint.identity?.families.map(\.name) == ["open-field"] && checkpoint.identity?.recipe == "tinkering")
        let design = try String(contentsOfFile: out + "/DESIGN.md", encoding: .utf8)
        #expect(design.contains("| `forgetful` | trained RL² agent | `none` | `open-field` | memory per episode |"))
        #expect(design.contains("recipe `tinkering`"))
        let report = try String(contentsOfFile: out + "/results.md", encoding: .utf8)
        #expect(report.contains("1 seed per cell") && report.contains("With one seed per cell the tables carry no interval."),
                "one seed has no t-interval, and the report does not claim one")
    }

    @Test("a bad arm points at itself: an unknown key, a bad control, a missing fun")
    func badArms() throws {
        func failure(_ arms: String) -> ScenarioFileError? { parseError { try configuration(arms) } }
        let key = try #require(failure("  a: {fun: none, no-plai: true}"))
        #expect(key.line == 3 && key.message.contains("did you mean 'no-play'?"))
        let memory = try #require(failure("  a: {fun: none, reset-memory: trial}"))
        #expect(memory.message.contains("episode"))
        let missing = try #require(failure("  a: {no-play: true}"))
        #expect(missing.message.contains("missing 'fun'"))
        let recipeError = parseError {
            try ExperimentConfiguration.parse(text: "scenarios: [open-field]\nfun: {none: none}\ndynamics: {s: {goal-moves-every: 0}}\ntraining: {recipe: bandit}\n", file: "r.yaml")
        }
        #expect(recipeError?.line == 4 && recipeError?.message.contains("training recipe") == true)
    }
}

@Suite struct ExperimentConfigurationTests {
    func failure(_ text: String) -> ScenarioFileError? { parseError { try ExperimentConfiguration.parse(text: text, file: "e.yaml") } }

    let valid = "scenarios: [open-field]\nfun:\n  none: none\ndynamics:\n  static: {goal-moves-every: 0}\n"

    @Test("a name that is no folder name (empty, with a slash, '..') is refused at its line: it names the results folder")
    func nameIsAFolderName() throws {
        for bad in ["\"\"", "../../elsewhere", "a/b", ".."] {
            let e = try #require(failure("name: \(bad)\n" + valid), "\(bad)")
            #expect(e.line == 1 && e.column == 7 && e.message.hasPrefix("expected the experiment's name (a word that names its results folder"), "\(e)")
        }
        #expect(failure("name: my-run.2\n" + valid) == nil)
    }

    @Test("an unknown key is named with its line and column and a did-you-mean")
    func unknownKey() throws {
        let e = try #require(failure(valid + "seeeds: 3\n"))
        #expect(e.line == 6 && e.column == 1)
        #expect(e.message.contains("unknown key 'seeeds'") && e.message.contains("did you mean 'seeds'?"))
        let nested = try #require(failure(valid + "training:\n  stepz: 10\n"))
        #expect(nested.line == 7 && nested.column == 3 && nested.message.contains("did you mean 'steps'?"))
        #expect(nested.description.hasPrefix("e.yaml:7:3: "))
    }

    @Test("bad values point at themselves: a fun spec, a dynamics setting, a missing scenario, a missing section")
    func badValues() throws {
        let fun = try #require(failure("scenarios: [open-field]\nfun:\n  none: none\n  odd: delite=1\ndynamics:\n  s: {goal-moves-every: 0}\n"))
        #expect(fun.line == 4 && fun.column == 8 && fun.message.contains("unknown fun model 'delite'"))
        let dynamics = try #require(failure("scenarios: [open-field]\nfun: {none: none}\ndynamics:\n  s: {goal-moves-every: -2}\n"))
        #expect(dynamics.line == 4 && dynamics.message.contains("goal-moves-every"))
        let scenario = try #require(failure("scenarios: [open-feld]\nfun: {none: none}\ndynamics: {s: {goal-moves-every: 0}}\n"))
        #expect(scenario.line == 1 && scenario.column == 13 && scenario.message.contains("did you mean 'open-field'?"))
        let missing = try #require(failure("scenarios: [open-field]\nfun: {none: none}\n"))
        #expect(missing.message.contains("missing 'dynamics'"))
        let learned = try #require(failure(valid + "learned:\n  models: [delight]\n  start: [1, 2]\n"))
        #expect(learned.line == 8 && learned.message.contains("2 weights for 1 models"))
    }

    @Test("the shipped experiments parse, and their rates of change default to goal moves per 100 steps")
    func shipped() throws {
        for name in ["default", "tiny"] {
            let c = try ExperimentConfiguration.load(path: repository.appendingPathComponent("experiments/\(name).yaml").path)
            #expect(c.seeds >= 2 && !c.fun.isEmpty && c.dynamics.count >= 2 && c.learned != nil)
        }
        let c = try ExperimentConfiguration.load(path: repository.appendingPathComponent("experiments/default.yaml").path)
        #expect(c.dynamics.map(\.rate) == [0, 2.5, 10])
        // Rules that change count as changes too, and reach the evaluation scenarios.
        let rules = try ExperimentConfiguration.parse(text: "scenarios: [open-field]\nfun: {none: none}\ndynamics:\n  r: {redraw-rules-every: 20, redraw-rules-between-episodes: true, goal-moves-every: 50}\n", file: "r.yaml")
        #expect(rules.dynamics[0].rate == 7)
        let applied = rules.dynamics[0].apply(to: rules.scenarios[0]).dynamics
        #expect(applied.redrawRulesEvery == 20 && applied.redrawRulesBetweenEpisodes && applied.goalMovesEvery == 50)
        #expect(c.seeds == 3)
    }

    @Test("an experiment file with a byte that is not UTF-8 is refused at its line and column, not at 1:1")
    func notUTF8Located() throws {
        var bytes = Data("name: x\nsummary: caf".utf8)
        bytes.append(contentsOf: [0xE9, 0x0A])
        let path = Scratch.path("latin1-experiment.yaml")
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect(throws: ScenarioFileError.self) { try ExperimentConfiguration.load(path: path) }
        do {
            _ = try ExperimentConfiguration.load(path: path)
        } catch {
            #expect(error.description == "\(path):2:13: not UTF-8 text; expected a YAML experiment file")
        }
    }

    @Test("a scenario named twice in an experiment's list is refused at its entry, before any training")
    func scenarioNamedTwice() {
        #expect(throws: ScenarioFileError(file: "twice.yaml", line: 1, column: 25, "scenario open-field is named twice in this list; give each once")) {
            try ExperimentConfiguration.parse(text: "scenarios: [open-field, open-field]\nfun: {none: none}\ndynamics:\n  static: {goal-moves-every: 0}\n", file: "twice.yaml")
        }
    }
}
