import Agents
@testable import Experiments
import Engine
import Foundation
import Fun
import GridWorld
@testable import MetaAgents
import MetaRL
import ScenarioFiles
import Statistics
import Testing
import TestSupport

func shippedScenario(_ name: String) throws -> Scenario {
    try ScenarioCatalog.load(repository.appendingPathComponent("scenarios/\(name).yaml").path)
}

@Suite struct MDPOverlapTests {
    @Test("the overlap of evaluated with trained MDPs is measured: low for a procedural family, 1 for a family of one MDP")
    func overlap() throws {
        let bridge = try shippedScenario("bridge-builder"), playroom = try shippedScenario("playroom")
        let o = try MDPOverlap.measure(scenarios: [bridge, playroom], seeds: 2, envs: 4, evaluationBase: 2_000_000, evaluationTrials: 8,
                                       trialsPerRow: 16)
        #expect(o.map(\.scenario) == ["bridge-builder", "playroom"])
        #expect(o.allSatisfy { $0.evaluationTrials == 16 && $0.trainingTrials == 2 * 2 * 16 })
        #expect(o[1].share == 1 && o[1].trainingDistinct == 1, "playroom is one MDP: every evaluation trial was trained on")
        #expect(o[0].trainingDistinct > 50 && o[0].share < 0.25, "bridge-builder draws fresh MDPs")
    }

    @Test("training's MDPs are drawn again exactly: row i of a fresh training run begins the MDP the measure fingerprints for it")
    func exactTrainingDraws() throws {
        let bridge = try shippedScenario("bridge-builder"), playroom = try shippedScenario("playroom")
        let scenarios = [bridge, playroom]
        for seed: UInt64 in [1, 7] {
            let run = try GridTraining(GridTraining.Plan(scenarios: scenarios, fun: FunSpec(terms: []), seed: seed, envs: 4, threads: 1, hidden: 4))
            let environment = run.trainer.environment
            let reset = Trainer<GridMetaEnvironment>.startSeeds(seed: seed, updateCount: 0).reset
            for (i, rowSeed) in GridMetaEnvironment.rowSeeds(reset: reset, batchSize: 4).enumerated() {
                let drawn = try MDPOverlap.trialFingerprints(scenarios[i % 2], seed: rowSeed, trials: 1)
                #expect(MDPOverlap.fingerprint(environment.envs[i].world) == drawn[0], "seed \(seed) row \(i)")
            }
        }
        // Different trials of a procedural family differ in their fingerprints.
        #expect(Set(try MDPOverlap.trialFingerprints(bridge, seed: 3, trials: 8)).count > 1)
    }

    @Test("a family's variety: one MDP in playroom (every fresh trial met), a new layout every trial in four-rooms, few in key-door")
    func variety() throws {
        let one = try MDPOverlap.variety(shippedScenario("playroom"), seed: 1, trials: 300)
        #expect(one.distinct == 1 && one.metAgain == 1)
        let rooms = try MDPOverlap.variety(shippedScenario("four-rooms"), seed: 1, trials: 300)
        #expect(rooms.distinct == 300 && rooms.metAgain == 0)
        let keyDoor = try MDPOverlap.variety(shippedScenario("key-door"), seed: 1, trials: 300)
        #expect(keyDoor.distinct < 30 && keyDoor.metAgain == 1)
    }
}

@Suite struct FunShareTests {
    @Test("fun scaled to a share: with the calibrated weights a random agent's fun per episode is that share of the maximal task return")
    func calibrate() throws {
        let playroom = try shippedScenario("playroom"), bridge = try shippedScenario("bridge-builder")
        let spec = try FunSpec(parsing: "novelty=1,delight=2")
        let (scaled, cal) = try FunCalibration.calibrate(arm: "a", spec: spec, share: 0.3, scenarios: [playroom, bridge], seedBase: 3_001_000)
        #expect(cal.maximalTaskReturn == 1 && cal.seeds == [3_001_000, 3_001_001] && cal.factor > 0)
        // The weights keep their ratio.
        #expect(abs(Double(scaled.terms[1].weight / scaled.terms[0].weight) - 2) < 1e-5)
        // Fun is linear in the weights: running the random agent again with them pays 0.3 per episode.
        var funs: [Double] = []
        for (s, scenario) in [playroom, bridge].enumerated() {
            funs.append(try Runner.run(scenario: scenario, agent: RandomAgent(), fun: scaled, seed: 3_001_000 + UInt64(s),
                                       length: .trials(FunCalibration.trials)).funReturnMean)
        }
        #expect(abs(Sample.mean(funs) - 0.3) < 1e-4)
        // A world without a task has no return to scale fun against.
        #expect(throws: ExperimentError.self) {
            try FunCalibration.calibrate(arm: "a", spec: spec, share: 0.3, scenarios: [try shippedScenario("sandbox")], seedBase: 1)
        }
    }
}

@Suite struct PlayDesignConfigurationTests {
    func parse(_ arms: String, extra: String = "", hypotheses: String? = nil, dynamics: String = "{static: {goal-moves-every: 0}}") throws -> ExperimentConfiguration {
        let scenarios = repository.appendingPathComponent("scenarios").path
        var text = """
            scenarios: [\(scenarios)/bridge-builder.yaml]
            fun:
            \(arms)
            dynamics: \(dynamics)
            seeds: 3
            evaluation: {seed: 1000000, baselines: [greedy]}

            """
        text += extra
        if let hypotheses { text += "preregistration:\n  hypotheses:\n\(hypotheses)\n" }
        return try ExperimentConfiguration.parse(text: text, file: "d.yaml")
    }

    @Test("validation seeds: disjoint from training and evaluation seeds, or one line at the key")
    func validationSeeds() throws {
        #expect(try parse("  none: none").validationSeed == 1_500_000, "by default 500000 past the evaluation base")
        #expect(try parse("  none: none", extra: "validation-seeds: 3000000\n").validationSeed == 3_000_000)
        let evaluation = try #require(parseError { try parse("  none: none", extra: "validation-seeds: 1002500\n") })
        #expect(evaluation.line == 7 && evaluation.column == 19 && evaluation.message.contains("overlap the evaluation seeds 1001000…1003000"))
        #expect(evaluation.description.hasPrefix("d.yaml:7:19: "))
        let training = try #require(parseError { try parse("  none: none", extra: "validation-seeds: 0\n") })
        #expect(training.line == 7 && training.message.contains("overlap the training seeds 1…3"))
        let yoked = try #require(parseError { try parse("  n: novelty=1\n  y: {yoked-to: n}", extra: "validation-seeds: 98500\n") })
        #expect(yoked.message.contains("overlap the training seeds 100001…100003"), "yoked controls train on seeds 100000 + k")
        let search = try #require(parseError { try parse("  l: learned", extra: "validation-seeds: 9000\n") })
        #expect(search.message.contains("overlap the training seeds 10000…10002"), "the learned search trains on seeds 10000 + generation")
    }

    @Test("first-seed moves the training seeds (a replication on fresh agents); the seed checks and the cells follow")
    func firstSeed() throws {
        #expect(try parse("  none: none").firstSeed == 1)
        let c = try parse("  none: none\n  nov: novelty=1\n  y: {yoked-to: nov}", extra: "first-seed: 11\n")
        #expect(c.firstSeed == 11 && c.trainingSeed(1) == 11 && c.trainingSeed(3) == 13)
        let clash = try #require(parseError { try parse("  none: none", extra: "first-seed: 4000\nvalidation-seeds: 3000\n") })
        #expect(clash.message.contains("overlap the training seeds 4000…4002"))
        let yoked = try #require(parseError { try parse("  n: novelty=1\n  y: {yoked-to: n}", extra: "first-seed: 11\nvalidation-seeds: 98500\n") })
        #expect(yoked.message.contains("overlap the training seeds 100011…100013"))
        let zero = try #require(parseError { try parse("  none: none", extra: "first-seed: 0\n") })
        #expect(zero.line == 7 && zero.message.contains("first training seed"))
        // Arm seed k trains from seed 10 + k, and its files say which; a yoked agent trains from 100000 + that.
        let trainer = CellTrainer(training: c.training)
        let spec = try FunSpec(parsing: "none")
        let job = CellJob(setting: c.fun[0], seedIndex: 2, spec: spec, partner: nil, trainer: trainer, configuration: c, cells: "cells", recordsFun: false)
        #expect(job.plan.seed == 12 && job.stem.hasPrefix("train-none-s12-") && job.label == "none seed 12 (2/3)")
        let partner = CellJob(setting: c.fun[1], seedIndex: 2, spec: spec, partner: nil, trainer: trainer, configuration: c, cells: "cells", recordsFun: true)
        let copy = CellJob(setting: c.fun[2], seedIndex: 2, spec: spec, partner: partner, trainer: trainer, configuration: c, cells: "cells", recordsFun: false)
        #expect(copy.plan.seed == 100_012)
        // The same arm from seed 1 is another agent: another key, so no cached cell is reused for it.
        let first = CellJob(setting: c.fun[0], seedIndex: 2, spec: spec, partner: nil, trainer: trainer,
                            configuration: try parse("  none: none"), cells: "cells", recordsFun: false)
        #expect(first.plan.seed == 2 && first.hash != job.hash && first.label == "none seed 2/3")
    }

    @Test("yoked arms and shares: parsed, and each mistake named at its place")
    func arms() throws {
        let c = try parse("  nov: {fun: novelty, share: 0.3}\n  yoked: {yoked-to: nov, no-play: true}")
        #expect(c.fun[0].share == 0.3 && c.fun[1].kind == .yoked("nov") && c.fun[1].yokedTo == "nov" && c.fun[1].noPlay)
        func failure(_ arms: String) -> ScenarioFileError? { parseError { try parse(arms) } }
        let later = try #require(failure("  yoked: {yoked-to: nov}\n  nov: novelty=1"))
        #expect(later.line == 3 && later.message.contains("not an arm listed before it"))
        let funless = try #require(failure("  none: none\n  yoked: {yoked-to: none}"))
        #expect(funless.line == 4 && funless.message.contains("no fixed fun to record"))
        let both = try #require(failure("  nov: novelty=1\n  yoked: {yoked-to: nov, fun: delight}"))
        #expect(both.message.contains("remove 'fun'"))
        let scenarios = try #require(failure("  nov: novelty=1\n  yoked: {yoked-to: nov, scenarios: [open-field]}"))
        #expect(scenarios.message.contains("partner's scenarios"))
        let share = try #require(failure("  none: {fun: none, share: 0.3}"))
        #expect(share.line == 3 && share.message.contains("has none to scale"))
        let learned = try #require(failure("  l: {fun: learned, share: 0.3}"))
        #expect(learned.message.contains("has none to scale"))
        let range = try #require(failure("  nov: {fun: novelty, share: 0}"))
        #expect(range.message.contains("share"))

        // An arm trained where rules change; its yoked control trains in the same worlds; evaluation overrides them.
        let changing = try parse("  nov: {fun: novelty, train-dynamics: {redraw-rules-every: 20}}\n  yoked: {yoked-to: nov}\n  none: none")
        #expect(changing.scenarios(of: changing.fun[0]).allSatisfy { $0.dynamics.redrawRulesEvery == 20 })
        #expect(changing.scenarios(of: changing.fun[1]).allSatisfy { $0.dynamics.redrawRulesEvery == 20 })
        #expect(changing.scenarios(of: changing.fun[2]).allSatisfy { $0.dynamics.redrawRulesEvery == 0 })
        #expect(changing.dynamics[0].apply(to: changing.scenarios(of: changing.fun[0])[0]).dynamics.redrawRulesEvery == 0)
        let yokedDynamics = try #require(failure("  nov: novelty=1\n  yoked: {yoked-to: nov, train-dynamics: {redraw-rules-every: 5}}"))
        #expect(yokedDynamics.message.contains("remove 'train-dynamics'"))
        let badDynamics = try #require(failure("  nov: {fun: novelty, train-dynamics: {redraw-rules-evry: 5}}"))
        #expect(badDynamics.line == 3 && badDynamics.message.contains("did you mean 'redraw-rules-every'?"))
    }

    @Test("an arm trained where rules change is its own cell: the same spec trained static is not reused for it")
    func trainDynamicsKey() throws {
        let scenarios = repository.appendingPathComponent("scenarios").path
        let c = try ExperimentConfiguration.parse(text: """
            scenarios: [\(scenarios)/bridge-builder.yaml]
            fun:
              none: none
              none-changing: {fun: none, train-dynamics: {redraw-rules-between-episodes: true}}
            dynamics: {static: {goal-moves-every: 0}}
            seeds: 1
            training: {steps: 128, envs: 2, hidden: 4, threads: 1, recipe: tinkering}
            evaluation: {trials: 1, baselines: []}
            """, file: "k.yaml")
        let out = Scratch.path("traindynamics")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let results = try ExperimentRunner(configuration: c, out: out, force: false, command: "x").run()
        #expect(results.trainedNow == 2 && Set(results.groups.flatMap { $0.training.map(\.key) }).count == 2)
        let design = try String(contentsOfFile: out + "/DESIGN.md", encoding: .utf8)
        #expect(design.contains("trained with goal fixed; rules redrawn between episodes"))
    }

    @Test("recovery and effective play by episode are preregistrable; recovery needs rules redrawn every N steps")
    func metrics() throws {
        let changing = "{static: {goal-moves-every: 0}, rules: {redraw-rules-every: 25}}"
        let c = try parse("  none: none\n  nov: novelty=1", hypotheses: """
                H1: {metric: effective_play_ratio, episode: 1, dynamics: static, treatment: none, control: greedy, direction: greater}
                ultimate: {metric: recovery_regret, treatment: nov, control: none, direction: less}
                ultimate-steps: {metric: recovery_steps, dynamics: rules, treatment: nov, control: none, direction: less}
            """, dynamics: changing)
        let p = try #require(c.preregistration)
        #expect(p.hypotheses[0].episode == 1 && p.hypotheses[1].metric == .recoveryRegret)
        #expect(p.hypotheses[1].metricDescription.contains("mean over the dynamics whose rules change"))
        let none = try #require(parseError {
            try parse("  none: none\n  nov: novelty=1", hypotheses: "    u: {metric: recovery_steps, treatment: nov, control: none, direction: less}")
        })
        #expect(none.line == 10 && none.message.contains("redraw-rules-every or redraw-rules-between-episodes"))
        let wrong = try #require(parseError {
            try parse("  none: none\n  nov: novelty=1", hypotheses: "    u: {metric: recovery_steps, dynamics: static, treatment: nov, control: none, direction: less}",
                      dynamics: changing)
        })
        #expect(wrong.message.contains("dynamics 'static' has neither redraw-rules-every"))
        // bridge-builder's trials have 4 episodes: a hypothesis about the fifth would be answered "n/a" after training.
        #expect(try parse("  none: none", hypotheses: "    last: {metric: task_return, episode: 4, treatment: none, control: greedy, direction: greater}")
            .preregistration?.hypotheses[0].episode == 4)
        let past = try #require(parseError {
            try parse("  none: none", hypotheses: "    fifth: {metric: task_return, episode: 5, treatment: none, control: greedy, direction: greater}")
        })
        #expect(past.description.hasPrefix("d.yaml:9:43: "), "\(past)")
        #expect(past.message == "hypothesis 'fifth': episode 5 is past every trial's end; the arms' scenarios have at most 4 episodes a trial")
    }
}

@Suite struct PlayDesignRunTests {
    @Test("a small run with a share-scaled arm, its yoked control, rule changes and validation seeds writes every new piece")
    func run() throws {
        let scenarios = repository.appendingPathComponent("scenarios").path
        let c = try ExperimentConfiguration.parse(text: """
            scenarios: [\(scenarios)/bridge-builder.yaml]
            fun:
              none: none
              novelty: {fun: novelty, share: 0.3}
              yoked: {yoked-to: novelty}
            dynamics:
              static: {goal-moves-every: 0}
              changing: {redraw-rules-every: 8}
            seeds: 2
            training: {steps: 256, envs: 2, hidden: 4, threads: 1, recipe: tinkering}
            evaluation: {trials: 2, baselines: [greedy]}
            validation-seeds: 3000000
            preregistration:
              hypotheses:
                H1: {metric: effective_play_ratio, episode: 1, dynamics: static, treatment: none, control: greedy, direction: greater}
                ultimate: {metric: recovery_regret, treatment: novelty, control: none, direction: less}
                yoke: {metric: play_ratio, treatment: novelty, control: yoked, direction: greater}
            """, file: "design.yaml")
        let out = Scratch.path("playdesign")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let results = try ExperimentRunner(configuration: c, out: out, force: false, command: "x").run()
        #expect(results.groups.map(\.name) == ["none", "novelty", "yoked", "greedy"])
        let novelty = try #require(results.groups.first { $0.name == "novelty" })
        #expect(novelty.fun.hasPrefix("novelty=") && novelty.fun != "novelty=1", "trained with the calibrated weight")
        let yoked = try #require(results.groups.first { $0.name == "yoked" })
        #expect(yoked.evaluations.allSatisfy { $0.results.allSatisfy { $0.funPerStep > 0 } }, "the yoked agent receives its partner's fun")
        // It trains from its own seed: from its partner's it would act as the partner, earn the same fun and stay a copy.
        #expect(yoked.training.map(\.seed) == [100_001, 100_002] && yoked.evaluations != novelty.evaluations)
        #expect(results.groups.allSatisfy { $0.evaluations.allSatisfy { $0.results[0].recoveryChanges == 0 && $0.results[0].recoverySteps.isNaN } },
                "nothing changes under static dynamics")

        // The partner's cells keep the fun tapes the yoked cells replayed: 4 bytes a step, after an 8-byte header.
        let cells = try FileManager.default.contentsOfDirectory(atPath: out + "/cells")
        let tapes = cells.filter { $0.hasSuffix(".fun") }
        #expect(tapes.count == 2 && tapes.allSatisfy { $0.hasPrefix("train-novelty-") })
        let tape = try FunTape.read(from: out + "/cells/" + tapes[0])
        #expect(tape.width == 2 && tape.rewards.count >= 256 && tape.rewards.contains { $0 > 0 })
        #expect(cells.filter { $0.hasPrefix("train-yoked-") && $0.hasSuffix(".pgck") }.count == 2)

        let design = try String(contentsOfFile: out + "/DESIGN.md", encoding: .utf8)
        for needle in ["### Fun scaled to a share of the task return", "| `novelty` | `novelty=1` | 0.3 | 1 |", "yoked control",
                       "Validation seeds 3000000…3001999", "`yoked` ← `novelty`", "`effective_play_ratio` (episode 1, dynamics `static`)"] {
            #expect(design.contains(needle), "DESIGN.md lacks \(needle)")
        }
        let markdown = try String(contentsOfFile: out + "/results.md", encoding: .utf8)
        #expect(markdown.contains("## Held-out MDPs: measured overlap with training") && markdown.contains("| bridge-builder | 4 | 256 |"))
        let json = try JSONSerialization.jsonObject(with: try Data(contentsOf: URL(fileURLWithPath: out + "/results.json"))) as? [String: Any]
        let overlap = try #require(json?["mdp_overlap"] as? [[String: Any]])
        #expect(overlap.first?["scenario"] as? String == "bridge-builder" && overlap.first?["evaluation_trials"] as? Int == 4)
        #expect((json?["outcomes"] as? [Any])?.count == 3 && (json?["fun_calibration"] as? [Any])?.count == 1)

        // A rerun reuses everything, tapes included.
        let again = try ExperimentRunner(configuration: c, out: out, force: false, command: "x").run()
        #expect(again.trainedNow == 0 && again.reused == 6)

        // Trained two agents at a time (the yoked ones after their partners), every agent, tape and table is the same.
        let parallel = Scratch.path("playdesign-jobs")
        defer { try? FileManager.default.removeItem(atPath: parallel) }
        var events: [String] = []
        let both = try ExperimentRunner(configuration: c, out: parallel, force: false, command: "x", jobs: 2).run { event in
            if case .progress(_, _, let detail, _) = event { events.append(detail) }
        }
        #expect(both.trainedNow == 6 && both.reused == 0)
        #expect(!events.isEmpty && events.allSatisfy { $0.range(of: #"^[12] at once: "#, options: .regularExpression) != nil },
                "progress names the agents training together")
        for file in cells where file.hasSuffix(".pgck") || file.hasSuffix(".fun") {
            #expect(FileManager.default.contents(atPath: out + "/cells/" + file) == FileManager.default.contents(atPath: parallel + "/cells/" + file),
                    "\(file) is the same trained two at a time")
        }
        #expect(try String(contentsOfFile: parallel + "/results.csv", encoding: .utf8) == String(contentsOfFile: out + "/results.csv", encoding: .utf8))
    }
}

@Suite struct RecoveryWiringTests {
    @Test("evaluation finds the changes a run's rules make, trial by trial, and measures them as Recovery does")
    func tracker() throws {
        let scenarios = repository.appendingPathComponent("scenarios").path
        let c = try ExperimentConfiguration.parse(text: """
            scenarios: [\(scenarios)/bridge-builder.yaml]
            fun: {none: none}
            dynamics: {rules: {redraw-rules-every: 6}}
            """, file: "r.yaml")
        let scenario = c.dynamics[0].apply(to: c.scenarios[0])
        var tracker = RecoveryTracker()
        var rewards: [[Double]] = [], ends: [[Int]] = [], changes: [[Int]] = [], last: MechanicDraw?
        _ = try Runner.run(scenario: scenario, agent: GreedyAgent(), fun: FunSpec(terms: []), seed: 11, length: .trials(30)) { frame in
            tracker.record(frame)
            if frame.step == 1 && frame.episode == 0 { rewards.append([]); ends.append([]); changes.append([]); last = nil }
            let t = rewards.count - 1
            if let last, last != frame.rulesInEffect { changes[t].append(rewards[t].count) }
            last = frame.rulesInEffect
            rewards[t].append(Double(frame.reward?.task ?? 0))
            if frame.transition?.isLast == true { ends[t].append(rewards[t].count - 1) }
        }
        tracker.finishTrial()
        var expected: [Recovery.Change] = []
        for t in rewards.indices { expected += Recovery.measure(rewards: rewards[t], episodeEnds: ends[t], changes: changes[t]) }
        #expect(changes.joined().count > 30, "rules redrawn every 6 steps change often")
        #expect(expected.count > 10 && tracker.changes == expected)
    }
}

@Suite struct ShippedPlayDesignTests {
    @Test("play.yaml states the full design with ten seeds, quick.yaml the same hypotheses on a tiny budget, h1.yaml its first three and ultimate.yaml its ultimate one on a large one")
    func shipped() throws {
        let play = try ExperimentConfiguration.load(path: repository.appendingPathComponent("experiments/play.yaml").path)
        let quick = try ExperimentConfiguration.load(path: repository.appendingPathComponent("experiments/quick.yaml").path)
        #expect(play.seeds >= 10 && quick.training.steps < play.training.steps && quick.seeds < play.seeds)
        let hypotheses = try #require(play.preregistration).hypotheses
        #expect(hypotheses.map(\.name) == (try #require(quick.preregistration)).hypotheses.map(\.name))
        #expect(hypotheses.first?.metric == .effectivePlayRatio && hypotheses.first?.episode == 1)
        #expect(hypotheses.contains { $0.metric == .recoveryRegret } && play.fun.contains { $0.yokedTo != nil } && play.fun.contains { $0.share != nil })
        // h1.yaml puts play.yaml's first three hypotheses, word for word, to its four fun-free arms trained longer.
        let h1 = try ExperimentConfiguration.load(path: repository.appendingPathComponent("experiments/h1.yaml").path)
        #expect(try #require(h1.preregistration).hypotheses == Array(hypotheses.prefix(3)))
        #expect(h1.fun.map(\.name) == ["none", "fixed", "no-play", "no-memory"] && h1.scenarios.map(\.name) == play.scenarios.map(\.name))
        #expect(h1.training.steps > play.training.steps && h1.seeds == play.seeds && h1.evaluation.seed == play.evaluation.seed)
        // ultimate.yaml puts play.yaml's ultimate hypothesis, word for word, to its two fast-change arms trained longer,
        // evaluated on MDPs of its own (its pilot was evaluated on play.yaml's).
        let ultimate = try ExperimentConfiguration.load(path: repository.appendingPathComponent("experiments/ultimate.yaml").path)
        let ultimateHypotheses = try #require(ultimate.preregistration).hypotheses
        #expect(ultimateHypotheses.first == hypotheses.first { $0.name == "ultimate" })
        #expect(ultimate.fun.map(\.name) == ["none-fast", "novelty-fast"] && ultimate.scenarios.map(\.name) == play.scenarios.map(\.name))
        #expect(ultimate.dynamics.map(\.name) == play.dynamics.map(\.name) && ultimate.seeds == play.seeds)
        #expect(ultimate.training.steps == h1.training.steps && ultimate.evaluation.seed != play.evaluation.seed)
        // adaptation.yaml trains ultimate's two arms exactly as ultimate did, on fresh training seeds and fresh MDPs.
        let adaptation = try ExperimentConfiguration.load(path: repository.appendingPathComponent("experiments/adaptation.yaml").path)
        #expect(adaptation.fun == ultimate.fun && adaptation.dynamics == ultimate.dynamics && adaptation.training == ultimate.training)
        #expect(adaptation.trainingSeed(1) > ultimate.trainingSeed(ultimate.seeds) && adaptation.evaluation.seed != ultimate.evaluation.seed)
        #expect(try #require(adaptation.preregistration).hypotheses.map(\.metric) == [.changeSlope])
        // Every hypothesis of each can reach significance under Holm with its seeds.
        for c in [play, quick, h1, ultimate, adaptation] { #expect(try #require(c.preregistration).canDecide(pairs: c.seeds)) }
    }
}
