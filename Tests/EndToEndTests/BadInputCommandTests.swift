import Foundation
import Fun
import Tapes
import Testing
import TestSupport

/// End to end: numbers and names a researcher can mistype are one line and a status from 1 to 127, never a crash.
@Suite struct BadInputCommandTests {
    typealias CLI = TapeCommandTests

    @Test("scenarios show refuses a --variety too large to hold in memory instead of dying allocating it")
    func hugeVariety() throws {
        CLI.expectCleanFailure(try CLI.playgrid("scenarios", "show", "rock-garden", "--variety", "99999999999"), 64,
                               mentioning: "--variety must be from 0 to 10000000, found 99999999999")
    }

    @Test("scenarios validate of a folder or a file named without .yaml takes it as a path, not as an unknown shipped name")
    func bareWordOnDisk() throws {
        let folder = try Scratch.folder("worlds")
        try FileManager.default.createDirectory(atPath: folder + "/mine", withIntermediateDirectories: false)
        try "name: x\nmap: |\n  ###\n  #A#\n  ###\ntask: none\n".write(toFile: folder + "/room", atomically: true, encoding: .utf8)
        func validate(_ argument: String) throws -> CLI.Result { try CLI.playgrid(["scenarios", "validate", argument], in: folder) }
        CLI.expectCleanFailure(try validate("mine"), 1, mentioning: "mine:1:1: is a folder, expected a scenario file")
        let room = try validate("room")
        #expect(room.status == 0 && room.out.hasPrefix("ok  room (x: 3×3, none)"), "\(room.err)")
    }

    @Test("a device given as a scenario is not a regular file, one line with its place, not a permission problem")
    func deviceAsScenario() throws {
        CLI.expectCleanFailure(try CLI.playgrid("run", "/dev/zero", "--episodes", "1"), 1,
                               mentioning: "/dev/zero:1:1: is not a regular file (a device, FIFO or socket), expected a scenario file (YAML)")
    }

    @Test("replay of a tape with no steps (a paused watch quit before its first step) says so, not that --at is past its end")
    func replayEmptyTape() throws {
        let path = Scratch.path("empty.tape")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let tape = try TapeWriter(path: path, scenario: try shipped("rock-garden"), origin: "rock-garden", seed: 1, agent: "player",
                                  fun: .standard)
        try tape.finish()
        CLI.expectCleanFailure(try CLI.playgrid("replay", path), 1, mentioning: "\(path): the tape has no steps to replay")
    }

    @Test("run refuses more than 10⁹ episodes or trials instead of trapping on trials × episodes per trial")
    func hugeRun() throws {
        CLI.expectCleanFailure(try CLI.playgrid("run", "--trials", "9000000000000000000"), 64,
                               mentioning: "--trials must be at most 1000000000, found 9000000000000000000")
        CLI.expectCleanFailure(try CLI.playgrid("run", "--episodes", "1000000001"), 64,
                               mentioning: "--episodes must be at most 1000000000, found 1000000001")
    }

    @Test("bench refuses a --seconds that is not a positive number instead of trapping or running forever")
    func benchSeconds() throws {
        for seconds in ["nan", "0", "inf"] {
            CLI.expectCleanFailure(try CLI.playgrid("bench", "--seconds", seconds), 64, mentioning: "--seconds must be a positive number")
        }
    }

    @Test("train refuses --entropy nan before training, leaving no checkpoint behind")
    func entropyNaN() throws {
        let out = Scratch.path("nan.pgck")
        CLI.expectCleanFailure(try CLI.playgrid("train", "--out", out, "--entropy", "nan"), 64, mentioning: "--entropy must be a number ≥ 0")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test("train names the option of a trainer setting out of range, not the trainer's field")
    func trainerSettingsNamed() throws {
        for (option, value, words) in [("--learning-rate", "0", "--learning-rate must be positive"), ("--epochs", "0", "--epochs must be from 1 to 1000, found 0"),
                                       ("--epochs", "9223372036854775807", "--epochs must be from 1 to 1000"),
                                       ("--rollout-length", "0", "--rollout-length must be at least 1"), ("--discount", "2", "--discount must be from 0 to 1")] {
            CLI.expectCleanFailure(try CLI.playgrid("train", "--out", Scratch.path("x.pgck"), option, value), 64, mentioning: words)
        }
    }

    @Test("train refuses more threads than the environments it trains as a usage mistake (64), naming --envs: the recipe's, the scenarios' or the one given")
    func threadsPastEnvironments() throws {
        let out = Scratch.path("th.pgck")
        for (arguments, most, threads) in [([String](), 64, "99999"), (["lever-bandit"], 32, "33"), (["--envs", "4"], 4, "5"),
                                           (["--skills-from", Scratch.path("no.pgsk")], 64, "65")] {
            CLI.expectCleanFailure(try CLI.playgrid(["train", "--out", out, "--threads", threads] + arguments), 64,
                                   mentioning: "--threads must be from 1 to the \(most) environments trained at once (--envs), found \(threads)")
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test("an unknown --fun model or a bad weight is a usage mistake (64) in every command that takes --fun, one line naming it")
    func badFun() throws {
        for command in [["run"], ["watch"], ["play"], ["train", "--out", Scratch.path("fun.pgck")]] {
            CLI.expectCleanFailure(try CLI.playgrid(command + ["--fun", "delite"]), 64, mentioning: "unknown fun model 'delite'; did you mean 'delight'?")
            CLI.expectCleanFailure(try CLI.playgrid(command + ["--fun", "novelty=lots"]), 64,
                                   mentioning: "fun weight for 'novelty' must be a finite number, found 'lots'")
        }
        CLI.expectCleanFailure(try CLI.playgrid("train", "skill-tasks", "--tasks-from", "skills-8", "--out", Scratch.path("fun.pgck")), 64,
                               mentioning: "--tasks-from skills-8 pays the skills' rewards alone, with no hand-made reward: give --fun none")
    }

    @Test("train refuses --prior-weight without --skills-from, whose KL penalty it weighs, instead of ignoring it")
    func priorWeightAlone() throws {
        for value in ["0.5", "-1"] {
            CLI.expectCleanFailure(try CLI.playgrid("train", "--out", Scratch.path("p.pgck"), "--prior-weight=\(value)"), 64,
                                   mentioning: "--prior-weight weighs the KL penalty of SiMPL's high level: give it with --skills-from SKILLS")
        }
    }

    @Test("train refuses an --out that is a folder, or in a folder that does not exist, before training instead of at its first save")
    func unwritableCheckpoint() throws {
        let folder = Scratch.path("folder")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let r = try CLI.playgrid("train", "--out", folder, "--force", "--steps", "1")
        CLI.expectCleanFailure(r, 1, mentioning: "\(folder): is a folder, expected a checkpoint file")
        #expect(!FileManager.default.fileExists(atPath: folder + ".curve.csv"), "nothing trained")
        CLI.expectCleanFailure(try CLI.playgrid("train", "--out", folder + "/missing/x.pgck", "--steps", "1"), 1,
                               mentioning: "no folder \(folder)/missing to write a checkpoint file in")
    }

    @Test("train, skills learn and skills meta-test refuse --steps too large to count instead of trapping on an overflow (or learning for ever); train refuses segments longer than its buffers")
    func hugeSteps() throws {
        let most = "1000000000000000"
        CLI.expectCleanFailure(try CLI.playgrid("train", "--out", Scratch.path("s.pgck"), "--steps", "9223372036854775807"), 64,
                               mentioning: "--steps must be from 1 to \(most), found 9223372036854775807")
        CLI.expectCleanFailure(try CLI.playgrid("skills", "learn", Scratch.path("no.tape"), "--out", Scratch.path("s.pgsk"), "--steps", "9223372036854775807"), 64,
                               mentioning: "--steps must be from 1 to \(most), found 9223372036854775807")
        CLI.expectCleanFailure(try CLI.playgrid("skills", "meta-test", "skills-8", "--out", Scratch.path("m"), "--steps", "9223372036854775000"), 64,
                               mentioning: "--steps must be from 1 to \(most), found 9223372036854775000")
        CLI.expectCleanFailure(try CLI.playgrid("train", "--out", Scratch.path("r.pgck"), "--rollout-length", "999999999"), 64,
                               mentioning: "--rollout-length must be at most 2097152, found 999999999")
        CLI.expectCleanFailure(try CLI.playgrid("train", "--out", Scratch.path("r.pgck"), "--envs", "64", "--rollout-length", "9223372036854775807"), 64,
                               mentioning: "--rollout-length must be at most 32768 with --envs 64, found 9223372036854775807")
    }

    @Test("an output that is a folder, in no folder or empty is refused before the work, not after it (skills learn, skills eval --svg, goals plot, train)")
    func unwritableOutputs() throws {
        let folder = try Scratch.folder("outputs")
        let tape = Scratch.path("play.tape")
        #expect(try CLI.playgrid("run", "playroom", "--agent", "player", "--episodes", "4", "--record", tape).status == 0)
        // Learning ran to its end (a progress bar and a summary line) before the write found the folder.
        CLI.expectCleanFailure(try CLI.playgrid("skills", "learn", tape, "--out", folder, "--force", "--steps", "5"), 1,
                               mentioning: "\(folder): is a folder, expected a skill file")
        CLI.expectCleanFailure(try CLI.playgrid("skills", "learn", tape, "--out", folder + "/missing/x.pgsk", "--steps", "5"), 1,
                               mentioning: "no folder \(folder)/missing to write a skill file in")
        CLI.expectCleanFailure(try CLI.playgrid("skills", "eval", "skills-8", "--trials", "1", "--svg", folder, "--force"), 1,
                               mentioning: "\(folder): is a folder, expected an SVG file")
        let coverage = Scratch.path("run.coverage.csv")
        try "env_steps,coverage,goid_goals,goals\n0,0.5,0,goid\n".write(toFile: coverage, atomically: true, encoding: .utf8)
        CLI.expectCleanFailure(try CLI.playgrid("goals", "plot", coverage, "--out", folder), 1,
                               mentioning: "\(folder): is a folder, expected an SVG file")
        CLI.expectCleanFailure(try CLI.playgrid("train", "--out", "", "--steps", "1"), 1,
                               mentioning: "\"\": an empty path names no file; expected a checkpoint file")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }

    @Test("experiment and skills meta-test refuse a folder where a file of their report goes before training, not after it")
    func reportPlacesCheckedFirst() throws {
        let results = Scratch.path("blocked-results")
        try? FileManager.default.removeItem(atPath: results)
        try FileManager.default.createDirectory(atPath: results + "/adaptation.svg", withIntermediateDirectories: true)
        CLI.expectCleanFailure(try CLI.playgrid("experiment", "tiny", "--out", results), 1,
                               mentioning: "\(results)/adaptation.svg: is a folder, expected a file of the results")
        #expect(try FileManager.default.contentsOfDirectory(atPath: results + "/cells").isEmpty, "nothing trained")
        let metaTest = Scratch.path("blocked-meta-test")
        try FileManager.default.createDirectory(atPath: metaTest + "/meta-test.json", withIntermediateDirectories: true)
        CLI.expectCleanFailure(try CLI.playgrid("skills", "meta-test", "skills-8", "--out", metaTest, "--steps", "2000"), 1,
                               mentioning: "\(metaTest)/meta-test.json: is a folder, expected a file")
        #expect(!FileManager.default.fileExists(atPath: metaTest + "/meta-seed-1.pgck"), "nothing trained")
    }

    @Test("run refuses --skill=-1 as a value out of range before any work, as it does --skill -1")
    func negativeSkill() throws {
        CLI.expectCleanFailure(try CLI.playgrid("run", "skill-room", "--agent", "skills-8", "--skill=-1"), 64,
                               mentioning: "--skill numbers skills from 0, found -1")
    }

    @Test("experiment refuses an empty --out (an unset variable in --out \"$DIR\"), which put DESIGN.md, experiment.yaml and the cells in /")
    func emptyResultsFolder() throws {
        CLI.expectCleanFailure(try CLI.playgrid("experiment", "tiny", "--out", "", "--analyse-only"), 64,
                               mentioning: "--out is empty; it names the results folder")
    }

    @Test("--force replaces a plot, not the coverage file or checkpoint a slip names as the SVG to write (goals plot, skills eval --svg)")
    func plotOverInput() throws {
        let coverage = Scratch.path("run.coverage.csv")
        let text = "env_steps,coverage,goid_goals,goals\n0,0.5,0,goid\n"
        try text.write(toFile: coverage, atomically: true, encoding: .utf8)
        CLI.expectCleanFailure(try CLI.playgrid("goals", "plot", coverage, "--out", coverage, "--force"), 1,
                               mentioning: "\(coverage) is not a plot (SVG), so --force does not overwrite it")
        #expect(try String(contentsOfFile: coverage, encoding: .utf8) == text)
        let agent = Scratch.path("skills.pgck")
        try FileManager.default.copyItem(atPath: Repository.root.path + "/assets/agents/skills-8.pgck", toPath: agent)
        CLI.expectCleanFailure(try CLI.playgrid("skills", "eval", agent, "--trials", "1", "--svg", agent, "--force"), 1,
                               mentioning: "\(agent) is not a plot (SVG), so --force does not overwrite it")
        #expect(FileManager.default.contentsEqual(atPath: agent, andPath: Repository.root.path + "/assets/agents/skills-8.pgck"))
        let plot = Scratch.path("plot.svg")
        #expect(try CLI.playgrid("goals", "plot", coverage, "--out", plot).status == 0)
        #expect(try CLI.playgrid("goals", "plot", coverage, "--out", plot, "--force").status == 0, "a plot is replaced")
    }

    @Test("skills meta-test names its SKILLS argument, not train's --tasks-from, when the checkpoint holds no skills")
    func metaTestNamesItsArgument() throws {
        let explorer = Repository.root.path + "/assets/agents/explorer.pgck"
        CLI.expectCleanFailure(try CLI.playgrid("skills", "meta-test", explorer, "--out", Scratch.path("mt"), "--steps", "1"), 1,
                               mentioning: "playgrid: SKILLS: \(explorer): holds no skill discriminator")
    }

    @Test("a misspelt command is named as one (watch, the default, would read it as a scenario); a misspelt scenario still gets its own hint")
    func misspeltCommand() throws {
        CLI.expectCleanFailure(try CLI.playgrid("trian", "--out", Scratch.path("t.pgck")), 64,
                               mentioning: "'trian' is not a command; did you mean 'playgrid train'?")
        CLI.expectCleanFailure(try CLI.playgrid("runn"), 64, mentioning: "did you mean 'playgrid run'?")
        CLI.expectCleanFailure(try CLI.playgrid("playrom"), 1, mentioning: "did you mean 'playroom'?")
        CLI.expectCleanFailure(try CLI.playgrid("help", "trian"), 64, mentioning: "help: no command 'trian'; did you mean 'train'?")
        #expect(try CLI.playgrid("help", "train").status == 0)
    }

    @Test("watch --follow refuses the options it would ignore (the tape says what is shown), and a tape in no folder at once")
    func followRefusals() throws {
        let tape = Scratch.path("followed.tape")
        CLI.expectCleanFailure(try CLI.playgrid("watch", "--follow", tape, "rock-garden", "--agent", "greedy", "--seed", "5"), 64,
                               mentioning: "remove --seed, --agent")
        CLI.expectCleanFailure(try CLI.playgrid("watch", "--follow", tape, "playroom"), 64, mentioning: "remove SCENARIO")
        let clock = ContinuousClock(), start = clock.now
        CLI.expectCleanFailure(try CLI.playgrid("watch", "--follow", "/nonexistent-folder/x.tape"), 1,
                               mentioning: "no folder /nonexistent-folder, so nothing can be recording this tape")
        #expect(clock.now - start < .seconds(20), "it does not wait 30 s for a tape no one can write")
    }

    @Test("tape export into a folder that does not exist names the export, not the tape")
    func exportNowhere() throws {
        let tape = Scratch.path("export-nowhere.tape")
        #expect(try CLI.playgrid("run", "open-field", "--agent", "random", "--episodes", "1", "--record", tape).status == 0)
        CLI.expectCleanFailure(try CLI.playgrid("tape", "export", tape, "--format", "csv", "--out", "/nonexistent-folder/x.csv"), 1,
                               mentioning: "/nonexistent-folder/x.csv: no folder /nonexistent-folder to write a csv export file in")
    }

    @Test("run --record and tape export --out name a folder, a missing folder or an empty path as such, and never offer a --force that cannot help")
    func unwritableTapes() throws {
        let folder = try Scratch.folder("tapes")
        for force in [[], ["--force"]] {
            CLI.expectCleanFailure(try CLI.playgrid(["run", "--episodes", "1", "--record", folder] + force), 1,
                                   mentioning: "\(folder): is a folder, expected a tape file")
        }
        CLI.expectCleanFailure(try CLI.playgrid("run", "--episodes", "1", "--record", folder + "/missing/x.tape"), 1,
                               mentioning: "no folder \(folder)/missing to write a tape file in")
        CLI.expectCleanFailure(try CLI.playgrid("run", "--episodes", "1", "--record", ""), 1,
                               mentioning: "\"\": an empty path names no file; expected a tape file")
        let tape = folder + "/run.tape"
        #expect(try CLI.playgrid("run", "--episodes", "1", "--record", tape).status == 0)
        CLI.expectCleanFailure(try CLI.playgrid("tape", "export", tape, "--format", "jsonl", "--out", folder), 1,
                               mentioning: "\(folder): is a folder, expected a jsonl export file")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["run.tape"])
    }

    @Test("train --tapes naming a file is refused before training, and the file stays as it was")
    func tapesOnAFile() throws {
        let file = Scratch.path("not-a-folder.txt")
        try "kept".write(toFile: file, atomically: true, encoding: .utf8)
        CLI.expectCleanFailure(try CLI.playgrid("train", "--out", Scratch.path("t.pgck"), "--tapes", file), 64,
                               mentioning: "--tapes \(file): is a file; --tapes names a folder")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "kept")
    }

    @Test("--agent of a bare file name that is no agent's (train --out agent.ckpt) runs that checkpoint, or says what the file is")
    func bareAgentOnDisk() throws {
        let folder = try Scratch.folder("agents")
        #expect(try CLI.playgrid(["train", "open-field", "--out", "agent.ckpt", "--steps", "1", "--envs", "2"], in: folder).status == 0)
        let r = try CLI.playgrid(["run", "open-field", "--agent", "agent.ckpt", "--episodes", "1"], in: folder)
        #expect(r.status == 0, "stderr: \(r.err)")
        CLI.expectCleanFailure(try CLI.playgrid(["run", "open-field", "--agent", "agent.ckpt.curve.csv"], in: folder), 1,
                               mentioning: "agent.ckpt.curve.csv: not a PlayGrid checkpoint")
    }

    @Test("an argument or a file's value holding a newline or an ESC is quoted with escapes: the error stays one line")
    func controlCharactersQuoted() throws {
        CLI.expectCleanFailure(try CLI.playgrid("run", "--agent", "a\nb\u{1B}[2J"), 1, mentioning: "unknown agent 'a\\nb\\u{1B}[2J'")
        CLI.expectCleanFailure(try CLI.playgrid("run", "--fun", "x\ny=1"), 64, mentioning: "The value 'x\\ny=1' is invalid for '--fun <fun>': unknown fun model 'x\\ny'")
        CLI.expectCleanFailure(try CLI.playgrid("train", "--out", Scratch.path("esc.pgck"), "--recipe", "x\u{1B}[2J"), 64, mentioning: "The value 'x\\u{1B}[2J' is invalid")
        let folded = Scratch.path("folded.yaml")
        try "name: x\nmap: |\n  ###\n  #A#\n  ###\ntask: none\nmechanics: >\n  buried: {thing: key, under: sand}\n".write(toFile: folded, atomically: true, encoding: .utf8)
        CLI.expectCleanFailure(try CLI.playgrid("scenarios", "validate", folded), 1, mentioning: "found 'buried: {thing: key, under: sand}\\n'")
    }

    @Test("a misspelt agent, fun model or experiment is answered with the name meant, as a misspelt scenario is")
    func didYouMean() throws {
        CLI.expectCleanFailure(try CLI.playgrid("run", "--agent", "gredy"), 1, mentioning: "unknown agent 'gredy'; did you mean 'greedy'?")
        CLI.expectCleanFailure(try CLI.playgrid("run", "--agent", "tinkrer"), 1, mentioning: "did you mean 'tinkerer'?")
        CLI.expectCleanFailure(try CLI.playgrid("run", "--fun", "delite=1"), 64, mentioning: "unknown fun model 'delite'; did you mean 'delight'?")
        CLI.expectCleanFailure(try CLI.playgrid("experiment", "defualt", "--analyse-only", "--out", Scratch.path("x")), 1,
                               mentioning: "no such experiment; did you mean 'default'?")
    }

    @Test("tape export refuses to write over the tape it exports, even with --force, and the tape stays as it was")
    func exportOverItsTape() throws {
        let tape = Scratch.path("self.tape")
        #expect(try CLI.playgrid("run", "--episodes", "2", "--record", tape).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: tape))
        let folder = URL(fileURLWithPath: tape).deletingLastPathComponent().lastPathComponent
        let roundabout = tape.replacingOccurrences(of: "/\(folder)/", with: "/\(folder)/../\(folder)/")
        CLI.expectCleanFailure(try CLI.playgrid("tape", "export", tape, "--format", "csv", "--out", roundabout, "--force"), 1,
                               mentioning: "is the tape being exported")
        #expect(try Data(contentsOf: URL(fileURLWithPath: tape)) == before)
    }

    @Test("a negative number after an option is named as such, not reported as a missing value")
    func negativeNumbers() throws {
        CLI.expectCleanFailure(try CLI.playgrid("run", "--episodes", "-3"), 64,
                               mentioning: "playgrid: --episodes takes no negative number, found '-3' (see 'playgrid run --help')")
        CLI.expectCleanFailure(try CLI.playgrid("train", "--out", "x.pgck", "--discount", "-0.5"), 64,
                               mentioning: "--discount takes no negative number, found '-0.5'")
        CLI.expectCleanFailure(try CLI.playgrid("run", "--episodes"), 64, mentioning: "Missing value for '--episodes <episodes>'")
    }

    @Test("skills eval and goals coverage name --scenario when the checkpoint's scenario is a file of one's own, not look its name up as a shipped one")
    func trainedOnOwnFile() throws {
        let room = try String(contentsOfFile: Repository.root.path + "/scenarios/skill-room.yaml", encoding: .utf8)
        let own = Scratch.path("my-room.yaml"), twin = Scratch.path("skill-room.yaml")
        try room.replacingOccurrences(of: "name: skill-room", with: "name: my-room").write(toFile: own, atomically: true, encoding: .utf8)
        try ("# my own copy\n" + room).write(toFile: twin, atomically: true, encoding: .utf8)
        let small = ["--steps", "500", "--envs", "4", "--hidden", "8", "--threads", "1"]
        for (file, words) in [(own, "was trained on my-room, which is no shipped scenario; name its file with --scenario"),
                              (twin, "was trained on a scenario named skill-room whose file is not the shipped one; name that file with --scenario")] {
            let skills = Scratch.path("skills.pgck")
            #expect(try CLI.playgrid(["train", file, "--skills", "4", "--fun", "none", "--out", skills] + small).status == 0)
            CLI.expectCleanFailure(try CLI.playgrid("skills", "eval", skills, "--trials", "1"), 1, mentioning: "\(skills): " + words)
            #expect(try CLI.playgrid("skills", "eval", skills, "--trials", "1", "--scenario", file).status == 0)
        }
        let corridor = try String(contentsOfFile: Repository.root.path + "/scenarios/serpentine.yaml", encoding: .utf8)
        let path = Scratch.path("my-corridor.yaml"), goals = Scratch.path("goals.pgck")
        try corridor.replacingOccurrences(of: "name: serpentine", with: "name: my-corridor").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try CLI.playgrid(["train", path, "--goals", "uniform", "--out", goals] + small).status == 0)
        CLI.expectCleanFailure(try CLI.playgrid("goals", "coverage", goals, "--layouts", "1"), 1,
                               mentioning: "\(goals): was trained on my-corridor, which is no shipped scenario; name its file with --scenario")
    }

    @Test("skills compare and skills meta-test refuse scenarios their agents cannot see before they train any, not after training")
    func compareViewsFirst() throws {
        let tape = Scratch.path("play.tape"), skills = Scratch.path("play.pgsk")
        #expect(try CLI.playgrid("run", "playroom", "--agent", "player", "--episodes", "4", "--record", tape).status == 0)
        #expect(try CLI.playgrid("skills", "learn", tape, "--out", skills, "--steps", "5").status == 0)
        let field = try String(contentsOfFile: Repository.root.path + "/scenarios/open-field.yaml", encoding: .utf8)
        let wide = Scratch.path("wide-field.yaml")
        try field.replacingOccurrences(of: "name: open-field", with: "name: wide-field\nview: 9").write(toFile: wide, atomically: true, encoding: .utf8)
        let out = Scratch.path("compare")
        let run = ["skills", "compare", skills, "--out", out, "--steps", "2000", "--seeds", "1", "--tasks", "1"]
        CLI.expectCleanFailure(try CLI.playgrid(run + ["--train", wide, "--test", "open-field"]), 1,
                               mentioning: "the skills were learned from observations grid-features v2 (7×7 window, 403 inputs), but wide-field gives")
        CLI.expectCleanFailure(try CLI.playgrid(run + ["--train", "open-field", "--test", wide]), 1,
                               mentioning: "held-out wide-field gives grid-features v2 (9×9 window")
        #expect(!FileManager.default.fileExists(atPath: out), "nothing trained")
        CLI.expectCleanFailure(try CLI.playgrid("skills", "meta-test", "skills-8", "--out", out, "--seeds", "2", "--steps", "300", "--test", wide), 1,
                               mentioning: "held-out wide-field gives grid-features v2 (9×9 window, 659 inputs), but the agents are meta-trained in skill-tasks")
        #expect(!FileManager.default.fileExists(atPath: out), "nothing meta-trained")
    }

    @Test("train refuses a folder where its learning curve's plot goes before training, not when it writes the plot at the end")
    func plotPathIsAFolder() throws {
        let out = Scratch.path("run.pgck")
        try FileManager.default.createDirectory(atPath: out + ".curve.svg", withIntermediateDirectories: false)
        for force in [[], ["--force"]] {
            CLI.expectCleanFailure(try CLI.playgrid(["train", "open-field", "--out", out, "--steps", "100", "--envs", "4", "--hidden", "8", "--threads", "1"] + force),
                                   1, mentioning: "\(out).curve.svg: is a folder, expected a plot (SVG)")
            #expect(!FileManager.default.fileExists(atPath: out), "nothing trained")
        }
    }

    @Test("compare and plot name a tape or checkpoint given as a run report as such, not as JSON cut short")
    func runReportOfAnotherKind() throws {
        let tape = Scratch.path("run.tape"), report = Scratch.path("run.json")
        let r = try CLI.playgrid("run", "--episodes", "2", "--record", tape, "--json")
        try r.out.write(toFile: report, atomically: true, encoding: .utf8)
        CLI.expectCleanFailure(try CLI.playgrid("compare", report, tape), 1,
                               mentioning: "\(tape): not a run report (playgrid run ... --json); it is a tape (playgrid run --record)")
        let checkpoint = Repository.root.path + "/assets/agents/explorer.pgck"
        CLI.expectCleanFailure(try CLI.playgrid("plot", checkpoint, "--out", Scratch.path("p.svg")), 1,
                               mentioning: "it is a checkpoint (playgrid train)")
    }
}
