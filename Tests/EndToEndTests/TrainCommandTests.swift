import Foundation
import Testing
import TestSupport

/// End to end: `playgrid train` writes a checkpoint with its learning curve and plot, refuses to overwrite or to
/// resume other training, and `run --agent` refuses a checkpoint where it cannot see, each with one line.
@Suite struct TrainCommandTests {
    typealias CLI = TapeCommandTests

    @Test("train writes a checkpoint, its curve and plot; overwriting needs --force; resuming needs the same scenarios and fun")
    func trainAndResume() throws {
        let out = Scratch.path("tiny.pgck")
        var r = try CLI.playgrid("train", "rock-garden", "--steps", "2048", "--envs", "4", "--threads", "1", "--hidden", "8",
                                 "--out", out)
        #expect(r.status == 0, "stderr: \(r.err)")
        let curve = try String(contentsOfFile: out + ".curve.csv", encoding: .utf8).split(separator: "\n")
        #expect(curve.first?.hasPrefix("update,env_steps,episodes,task_return") == true && curve.count == 3)
        #expect(try String(contentsOfFile: out + ".curve.svg", encoding: .utf8).contains("<svg"))

        CLI.expectCleanFailure(try CLI.playgrid("train", "rock-garden", "--steps", "1024", "--out", out), 1, mentioning: "--force")
        // --force overwrites a checkpoint, not a scenario (or any other file) named by a slip as the output.
        let world = Scratch.path("world.yaml")
        try "name: mine\n".write(toFile: world, atomically: true, encoding: .utf8)
        CLI.expectCleanFailure(try CLI.playgrid("train", "rock-garden", "--steps", "1024", "--out", world, "--force"), 1,
                               mentioning: "\(world) is not a checkpoint, so --force does not overwrite it")
        CLI.expectCleanFailure(try CLI.playgrid("skills", "learn", "--out", out, "--force", world), 1,
                               mentioning: "\(out) is not a skill file, so --force does not overwrite it")
        #expect(try String(contentsOfFile: world, encoding: .utf8) == "name: mine\n")
        CLI.expectCleanFailure(try CLI.playgrid("train", "rock-garden", "--steps", "1024", "--envs", "4", "--threads", "1",
                                                "--out", out, "--resume", "--fun", "none"),
                               1, mentioning: "was trained on rock-garden with fun delight=1; --resume needs the same scenarios (same files) and fun, got rock-garden with fun none")
        CLI.expectCleanFailure(try CLI.playgrid("train", "rock-garden", "--steps", "1024", "--threads", "1", "--out", out, "--resume",
                                                "--learning-rate", "0.001"),
                               1, mentioning: "--resume continues \(out) with the settings it was trained with; it takes no --learning-rate")
        // The seed too: it went on with the checkpoint's, and said nothing of the one given.
        CLI.expectCleanFailure(try CLI.playgrid("train", "rock-garden", "--steps", "1024", "--threads", "1", "--out", out, "--resume", "--seed", "5"),
                               1, mentioning: "it takes no --seed")
        CLI.expectCleanFailure(try CLI.playgrid("train", "rock-garden", "--steps", "1024", "--threads", "8", "--out", out, "--resume"),
                               1, mentioning: "was trained with 4 environments, fewer than --threads 8")
        // 600 steps run as one whole update of 4 × 256: the bar, the last line and the curve say 1024.
        r = try CLI.playgrid("train", "rock-garden", "--steps", "600", "--threads", "1", "--out", out, "--resume")
        #expect(r.status == 0, "stderr: \(r.err)")
        #expect(r.err.contains("100% 1k/1k steps") && r.err.contains("trained 1024 steps"), "stderr: \(r.err)")
        let resumed = try String(contentsOfFile: out + ".curve.csv", encoding: .utf8).split(separator: "\n")
        #expect(resumed.count == 4 && resumed.last?.hasPrefix("3,3072,") == true, "\(resumed.last ?? "")")

        r = try CLI.playgrid("run", "key-door", "--agent", out, "--episodes", "2", "--json")
        #expect(r.status == 0, "stderr: \(r.err)")
        let narrow = Scratch.path("narrow.yaml")
        let text = try String(contentsOfFile: TapeCommandTests.root.appendingPathComponent("scenarios/open-field.yaml").path,
                              encoding: .utf8)
        try (text.replacingOccurrences(of: "name: open-field", with: "name: narrow-field") + "view: 5\n")
            .write(toFile: narrow, atomically: true, encoding: .utf8)
        CLI.expectCleanFailure(try CLI.playgrid("run", narrow, "--agent", out, "--episodes", "1"), 1,
                               mentioning: "sees grid-features v2 (7×7 window, 403 inputs), but narrow-field gives grid-features v2 (5×5 window, 211 inputs)")
    }

    @Test("a fresh train refuses to overwrite the curve an earlier training left without its checkpoint, unless --force")
    func earlierCurve() throws {
        let out = Scratch.path("moved.pgck")
        let train = ["train", "open-field", "--steps", "1024", "--envs", "4", "--threads", "1", "--hidden", "8", "--out", out]
        #expect(try CLI.playgrid(train).status == 0)
        try FileManager.default.moveItem(atPath: out, toPath: Scratch.path("kept.pgck"))
        let curve = try String(contentsOfFile: out + ".curve.csv", encoding: .utf8)
        CLI.expectCleanFailure(try CLI.playgrid(train + ["--seed", "2"]), 1,
                               mentioning: "\(out).curve.csv exists (an earlier training's, without its checkpoint \(out)); pass --force")
        #expect(try String(contentsOfFile: out + ".curve.csv", encoding: .utf8) == curve)
        let r = try CLI.playgrid(train + ["--seed", "2", "--force"])
        #expect(r.status == 0, "stderr: \(r.err)")
    }

    @Test("train --force replaces a curve, plot or coverage file beside the checkpoint, or an empty one, but no other kind of file at those paths")
    func forceKeepsOtherCompanions() throws {
        let out = Scratch.path("slip.pgck")
        let train = ["train", "four-rooms", "--fun", "none", "--steps", "1024", "--envs", "4", "--threads", "1", "--hidden", "8", "--out", out, "--force"]
        let scenario = "name: x\nmap: |\n  ###\n  #A#\n  ###\ntask: none\n"
        for (suffix, what, goals) in [(".curve.csv", "learning curve (CSV)", [String]()), (".curve.svg", "plot (SVG)", []),
                                      (".coverage.csv", "coverage file (CSV)", ["--goals", "goid"])] {
            try scenario.write(toFile: out + suffix, atomically: true, encoding: .utf8)
            CLI.expectCleanFailure(try CLI.playgrid(train + goals), 1, mentioning: "\(out)\(suffix) is not a \(what), so --force does not overwrite it")
            #expect(try String(contentsOfFile: out + suffix, encoding: .utf8) == scenario)
            #expect(!FileManager.default.fileExists(atPath: out))
            try FileManager.default.removeItem(atPath: out + suffix)
        }
        try "update,env_steps,episodes\n1,2,3\n".write(toFile: out + ".curve.csv", atomically: true, encoding: .utf8)
        try "".write(toFile: out + ".curve.svg", atomically: true, encoding: .utf8)
        try "env_steps,coverage,goid_goals\n".write(toFile: out + ".coverage.csv", atomically: true, encoding: .utf8)
        let r = try CLI.playgrid(train + ["--goals", "goid", "--coverage-every", "512"])
        #expect(r.status == 0, "stderr: \(r.err)")
        #expect(try String(contentsOfFile: out + ".curve.csv", encoding: .utf8).hasPrefix("update,env_steps,episodes,task_return,"))
        #expect(try String(contentsOfFile: out + ".curve.svg", encoding: .utf8).hasPrefix("<"))
        #expect(try String(contentsOfFile: out + ".coverage.csv", encoding: .utf8).hasPrefix("env_steps,coverage,goid_goals,goals,"))
        // Resumed, the run redraws its plot whole at the end: not over another kind of file moved there meanwhile.
        try scenario.write(toFile: out + ".curve.svg", atomically: true, encoding: .utf8)
        let resume = ["train", "four-rooms", "--fun", "none", "--steps", "1024", "--envs", "4", "--threads", "1", "--out", out, "--resume"]
        CLI.expectCleanFailure(try CLI.playgrid(resume), 1, mentioning: "\(out).curve.svg is not a plot (SVG), so --resume does not overwrite it")
        #expect(try String(contentsOfFile: out + ".curve.svg", encoding: .utf8) == scenario)
    }

    @Test("past a file-size limit, train says which file it could not write, as on a full disk, and leaves no temporary file")
    func fileSizeLimit() throws {
        let folder = try Scratch.folder("limited")
        let out = folder + "/limited.pgck", errors = Scratch.path("limited.err")
        // 40 blocks (at most 40 KiB) hold the curve but not the checkpoint (~126 KB at --hidden 8). Spawned with
        // SIGXFSZ at its default and unblocked (a test runner may have set it aside), as a shell would start it.
        let script = "ulimit -f 40 && PLAYGRID_HOME=\"$1\" exec \"$0\" train open-field --steps 1024 --envs 4 --threads 1 --hidden 8 --out \"$2\" 2>\"$3\""
        let arguments = ["/bin/sh", "-c", script, try BuiltProducts.path("playgrid"), CLI.root.path, out, errors]
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGXFSZ)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        #expect(posix_spawn(&pid, "/bin/sh", nil, &attributes, &argv, environ) == 0)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
        let stderr = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
        #expect(status & 0x7F == 0 && status >> 8 == 1, "wait status \(status) (a signal, if below 128); stderr: \(stderr)")
        #expect(stderr.hasSuffix("playgrid: \(out): writing failed: File too large\n"), "stderr: \(stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["limited.pgck.curve.csv"])
    }

    @Test("train picks the bandit recipe (and its 32 environments) for lever bandits and says so; a --trunk out of range is one line")
    func banditRecipe() throws {
        let out = Scratch.path("bandit.pgck")
        var r = try CLI.playgrid("train", "lever-bandit", "--fun", "none", "--steps", "1024", "--threads", "1", "--out", out, "--force")
        #expect(r.status == 0, "stderr: \(r.err)")
        #expect(r.err.contains("training with the bandit recipe (every scenario is a lever bandit) for 3200 steps (--steps 1024 rounded up to whole updates) in 32 environments"),
                "stderr: \(r.err)")
        r = try CLI.playgrid("train", "lever-bandit", "--fun", "none", "--steps", "1024", "--envs", "4", "--threads", "1",
                             "--out", out, "--force")
        #expect(r.err.contains("for 1200 steps (--steps 1024 rounded up to whole updates) in 4 environments"), "stderr: \(r.err)")
        CLI.expectCleanFailure(try CLI.playgrid("train", "lever-bandit", "--trunk", "-1", "--out", out), 64, mentioning: "--trunk")
    }

    @Test("the controls: a --no-play agent never plays, run knows it from the checkpoint; --resume keeps the controls; scripted agents refuse them")
    func controls() throws {
        let out = Scratch.path("no-play.pgck")
        var r = try CLI.playgrid("train", "tinker-lab", "--fun", "none", "--no-play", "--steps", "2048", "--envs", "4", "--threads", "1",
                                 "--hidden", "8", "--out", out, "--force")
        #expect(r.status == 0, "stderr: \(r.err)")
        r = try CLI.playgrid("run", "tinker-lab", "--agent", out, "--fun", "none", "--trials", "2", "--json")
        #expect(r.status == 0 && r.out.contains(#""play_ratio":0,"#), "stdout: \(r.out)")
        CLI.expectCleanFailure(try CLI.playgrid("train", "tinker-lab", "--fun", "none", "--reset-memory", "episode", "--steps", "1024",
                                                "--envs", "4", "--threads", "1", "--out", out, "--resume"),
                               1, mentioning: "was trained with a memory reset every trial; --resume continues it as it was")
        r = try CLI.playgrid("run", "tinker-lab", "--agent", out, "--fun", "none", "--trials", "2", "--reset-memory", "episode")
        #expect(r.status == 0, "stderr: \(r.err)")
        CLI.expectCleanFailure(try CLI.playgrid("run", "tinker-lab", "--agent", "greedy", "--no-play"), 1,
                               mentioning: "--no-play, --reset-memory and --skill apply to meta-trained agents (checkpoints); greedy is not one")
        CLI.expectCleanFailure(try CLI.playgrid("run", "--reset-memory", "week"), 64, mentioning: "--reset-memory")
    }

    @Test("skills: train --skills K records K, --resume refuses another K, run --skill and skills eval take one skill or all; bad numbers are one line")
    func skills() throws {
        let out = Scratch.path("skills.pgck")
        CLI.expectCleanFailure(try CLI.playgrid("train", "skill-room", "--skills", "0", "--out", out), 64,
                               mentioning: "--skills must be from 2 to 36, got 0")
        CLI.expectCleanFailure(try CLI.playgrid("train", "skill-room", "--fun", "skill", "--out", out, "--force"), 64,
                               mentioning: "--fun skill gives skills to the tabular q agent only; to train the recurrent agent on skills, give --skills K")
        var r = try CLI.playgrid("train", "skill-room", "--skills", "4", "--fun", "none", "--steps", "2048", "--envs", "4",
                                 "--threads", "1", "--hidden", "8", "--out", out, "--force")
        #expect(r.status == 0, "stderr: \(r.err)")
        CLI.expectCleanFailure(try CLI.playgrid("train", "skill-room", "--skills", "8", "--fun", "none", "--steps", "1024", "--envs", "4",
                                                "--threads", "1", "--out", out, "--resume"),
                               1, mentioning: "was trained with 4 skills; --resume continues it as it was, without --skills 8")
        // What the discriminator reads is chosen for a new run, kept by --resume, and refused without --skills.
        CLI.expectCleanFailure(try CLI.playgrid("train", "skill-room", "--skill-features", "cell", "--out", out, "--force"), 64,
                               mentioning: "--skill-features is what a skill discriminator reads: give it with --skills K")
        CLI.expectCleanFailure(try CLI.playgrid("train", "skill-room", "--skills", "4", "--skill-features", "hexagon", "--out", out), 64,
                               mentioning: "hexagon")
        let cells = Scratch.path("cells.pgck")
        r = try CLI.playgrid("train", "skill-room", "--skills", "4", "--skill-features", "cell", "--fun", "none", "--steps", "1024",
                             "--envs", "4", "--threads", "1", "--hidden", "8", "--out", cells, "--force")
        #expect(r.status == 0, "stderr: \(r.err)")
        CLI.expectCleanFailure(try CLI.playgrid("train", "skill-room", "--skills", "4", "--skill-features", "row-column", "--fun", "none",
                                                "--steps", "2048", "--envs", "4", "--threads", "1", "--out", cells, "--resume"),
                               1, mentioning: "the saved skill discriminator reads positions as cell (cell-v1); it cannot go on reading them as row-column")
        r = try CLI.playgrid("skills", "eval", cells, "--trials", "1")
        #expect(r.status == 0 && r.out.contains("discriminator reads") && r.out.contains("the position, cell\n"), "stdout: \(r.out)")
        #expect(r.out.contains("DIAYN (discriminator learned alongside)"), "stdout: \(r.out)")
        // EDL's skills: chosen for a new run, kept by --resume, refused without --skills; skills eval names the method.
        CLI.expectCleanFailure(try CLI.playgrid("train", "skill-room", "--skill-method", "edl", "--out", out, "--force"), 64,
                               mentioning: "--skill-method says how skills come about: give it with --skills K")
        CLI.expectCleanFailure(try CLI.playgrid("train", "skill-room", "--skills", "4", "--skill-method", "vic", "--out", out), 64,
                               mentioning: "vic")
        let regions = Scratch.path("regions.pgck")
        r = try CLI.playgrid("train", "skill-room", "--skills", "4", "--skill-method", "edl", "--fun", "none", "--steps", "1024",
                             "--envs", "4", "--threads", "1", "--hidden", "8", "--out", regions, "--force")
        #expect(r.status == 0, "stderr: \(r.err)")
        // EDL trains with an entropy bonus of 0.01 unless told; DIAYN with the skills recipe's 0.003.
        func header(_ path: String) throws -> String { String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self) }
        #expect(try header(regions).contains(#""entropy":0.01,"#) && header(cells).contains(#""entropy":0.003,"#))
        CLI.expectCleanFailure(try CLI.playgrid("train", "skill-room", "--skills", "4", "--skill-method", "diayn", "--fun", "none",
                                                "--steps", "2048", "--envs", "4", "--threads", "1", "--out", regions, "--resume"),
                               1, mentioning: "\(regions): its skills came about by edl; --resume continues it as it was, without --skill-method diayn")
        r = try CLI.playgrid("train", "skill-room", "--skills", "4", "--fun", "none", "--steps", "2048", "--envs", "4", "--threads", "1",
                             "--out", regions, "--resume")
        #expect(r.status == 0, "stderr: \(r.err)")
        r = try CLI.playgrid("skills", "eval", regions, "--trials", "1", "--json")
        #expect(r.status == 0 && r.out.contains(#""method":"edl""#), "stdout: \(r.out)")
        r = try CLI.playgrid("skills", "eval", regions, "--trials", "1")
        #expect(r.status == 0 && r.out.contains("EDL (regions fixed before training, discriminator frozen)"), "stdout: \(r.out)")
        r = try CLI.playgrid("run", "skill-room", "--agent", out, "--fun", "none", "--trials", "1", "--skill", "3", "--json")
        #expect(r.status == 0 && r.out.contains(#"skills.pgck (skill 3)""#), "stdout: \(r.out) stderr: \(r.err)")
        CLI.expectCleanFailure(try CLI.playgrid("run", "skill-room", "--agent", out, "--skill", "9"), 1,
                               mentioning: "skills.pgck has 4 skills, numbered 0 to 3: --skill 9 is not one of them")
        r = try CLI.playgrid("skills", "eval", out, "--trials", "1", "--json")
        #expect(r.status == 0 && r.out.contains(#""skills":4"#) && r.out.contains(#""states":320"#), "stdout: \(r.out) stderr: \(r.err)")
        r = try CLI.playgrid("skills", "eval", out, "--trials", "1")
        #expect(r.status == 0 && r.out.contains("discriminator accuracy") && r.out.contains("z=3"), "stdout: \(r.out)")
        CLI.expectCleanFailure(try CLI.playgrid("skills", "eval", out, "--trials", "0"), 64, mentioning: "--trials must be from 1 to 10000")
        // A checkpoint without skills is named by the path given (skills eval takes no --agent).
        let explorer = Repository.path("assets/agents/explorer.pgck")
        CLI.expectCleanFailure(try CLI.playgrid("skills", "eval", explorer, "--trials", "1"), 1,
                               mentioning: "playgrid: \(explorer): was not trained with skills")
        // A bundled skill agent is named as --agent names it; --svg draws its maps, and overwrites only with --force.
        let maps = Scratch.path("skills-8.svg")
        r = try CLI.playgrid("skills", "eval", "skills-8", "--trials", "1", "--json", "--svg", maps)
        #expect(r.status == 0 && r.out.contains(#""skills":8"#), "stdout: \(r.out) stderr: \(r.err)")
        let drawn = try String(contentsOfFile: maps, encoding: .utf8)
        #expect(drawn.hasPrefix("<svg") && drawn.contains("skills-8 in skill-room: accuracy") && drawn.contains(">skill 7<"))
        CLI.expectCleanFailure(try CLI.playgrid("skills", "eval", "skills-8", "--trials", "1", "--svg", maps), 1,
                               mentioning: "\(maps) exists; pass --force to overwrite it")
        r = try CLI.playgrid("skills", "eval", "skills-8", "--trials", "1", "--svg", maps, "--force")
        #expect(r.status == 0 && r.err.contains("wrote \(maps)"), "stderr: \(r.err)")
        CLI.expectCleanFailure(try CLI.playgrid("skills", "eval", "explorer", "--trials", "1"), 1,
                               mentioning: "playgrid: explorer: was not trained with skills")

        // Unsupervised meta-RL: those skills as tasks; bad sources and rooms are one line.
        let meta = Scratch.path("meta.pgck"), missing = Scratch.path("no-such.pgck")
        CLI.expectCleanFailure(try CLI.playgrid("train", "skill-tasks", "--tasks-from", missing, "--fun", "none", "--out", meta), 1,
                               mentioning: "--tasks-from: \(missing): cannot read the checkpoint file")
        let plain = Scratch.path("plain.pgck")
        r = try CLI.playgrid("train", "open-field", "--fun", "none", "--steps", "1024", "--envs", "4", "--threads", "1", "--hidden", "8",
                             "--out", plain, "--force")
        #expect(r.status == 0, "stderr: \(r.err)")
        CLI.expectCleanFailure(try CLI.playgrid("train", "skill-tasks", "--tasks-from", plain, "--fun", "none", "--out", meta), 1,
                               mentioning: "holds no skill discriminator; give an agent trained with playgrid train --skills K")
        CLI.expectCleanFailure(try CLI.playgrid("train", "open-field", "--tasks-from", out, "--fun", "none", "--out", meta), 1,
                               mentioning: "skills.pgck: its skill discriminator has ")
        CLI.expectCleanFailure(try CLI.playgrid("train", "open-field", "--tasks-from", out, "--fun", "none", "--out", meta), 1,
                               mentioning: " on open-field (8×8) gives 16; run it on the room it was trained in")
        CLI.expectCleanFailure(try CLI.playgrid("train", "skill-tasks", "--tasks-from", out, "--out", meta), 64,
                               mentioning: "pays the skills' rewards alone, with no hand-made reward: give --fun none")
        CLI.expectCleanFailure(try CLI.playgrid("train", "skill-tasks", "--tasks-from", out, "--skills", "4", "--out", meta), 64,
                               mentioning: "--tasks-from makes skills its tasks: give one")
        r = try CLI.playgrid("train", "skill-tasks", "--tasks-from", out, "--fun", "none", "--no-play", "--steps", "1024", "--envs", "4",
                             "--threads", "1", "--hidden", "8", "--out", meta, "--force")
        #expect(r.status == 0 && r.err.contains("training with the skills recipe (--tasks-from)"), "stderr: \(r.err)")
        // A bundled skill agent is named as skills eval names it.
        r = try CLI.playgrid("train", "skill-tasks", "--tasks-from", "skills-8", "--fun", "none", "--no-play", "--steps", "1024", "--envs", "4",
                             "--threads", "1", "--hidden", "8", "--out", Scratch.path("meta-bundled.pgck"), "--force")
        #expect(r.status == 0 && r.err.contains("training with the skills recipe (--tasks-from)"), "stderr: \(r.err)")
        CLI.expectCleanFailure(try CLI.playgrid("train", "skill-tasks", "--fun", "none", "--steps", "1024", "--envs", "4", "--threads", "1",
                                                "--out", meta, "--resume"),
                               1, mentioning: "; --resume needs the same --tasks-from, got none")
        r = try CLI.playgrid("run", "open-field", "--agent", meta, "--fun", "none", "--episodes", "2", "--json")
        #expect(r.status == 0, "stderr: \(r.err)")
    }

    @Test("goals: train --goals writes coverage beside the curve, --resume keeps the curriculum, goals coverage and plot read them; bad input is one line")
    func goals() throws {
        let out = Scratch.path("goals.pgck"), svg = Scratch.path("coverage.svg")
        CLI.expectCleanFailure(try CLI.playgrid("train", "four-rooms", "rock-garden", "--goals", "goid", "--out", out), 64,
                               mentioning: "--goals trains on one scenario (goals are cells of its map), got 2")
        CLI.expectCleanFailure(try CLI.playgrid("train", "four-rooms", "--goals", "sideways", "--out", out), 64, mentioning: "--goals")
        CLI.expectCleanFailure(try CLI.playgrid("train", "skill-room", "--goals", "goid", "--skills", "4", "--out", out), 64,
                               mentioning: "--goals and --skills: an agent is given a goal or a skill, not both")
        CLI.expectCleanFailure(try CLI.playgrid("train", "buried-key", "--goals", "goid", "--fun", "none", "--out", out, "--force"), 1,
                               mentioning: "goals are cells to reach, but buried-key's task is open-door; give a reach-goal scenario")
        var r = try CLI.playgrid("train", "four-rooms", "--goals", "goid", "--fun", "none", "--steps", "1024", "--envs", "4",
                                 "--threads", "1", "--hidden", "8", "--coverage-every", "512", "--out", out, "--force")
        #expect(r.status == 0 && r.err.contains("goals.pgck.coverage.csv"), "stderr: \(r.err)")
        let coverage = try String(contentsOfFile: out + ".coverage.csv", encoding: .utf8).split(separator: "\n")
        #expect(coverage.first == "env_steps,coverage,goid_goals,goals,goid_trial_share" && coverage.count == 3
                    && coverage[1].hasPrefix("0,") && coverage[1].hasSuffix(",goid,") && coverage[2].hasPrefix("1024,"), "\(coverage)")
        let share = try #require(coverage[2].split(separator: ",", omittingEmptySubsequences: false).last.flatMap { Double($0) }, "\(coverage)")
        #expect((0...1).contains(share))
        CLI.expectCleanFailure(try CLI.playgrid("train", "four-rooms", "--goals", "uniform", "--fun", "none", "--steps", "512", "--envs", "4",
                                                "--threads", "1", "--out", out, "--resume"),
                               1, mentioning: "was trained with --goals goid; --resume continues it as it was, without --goals uniform")
        r = try CLI.playgrid("train", "four-rooms", "--fun", "none", "--steps", "1024", "--envs", "4", "--threads", "1",
                             "--coverage-every", "512", "--out", out, "--resume")
        #expect(r.status == 0, "stderr: \(r.err)")
        #expect(try String(contentsOfFile: out + ".coverage.csv", encoding: .utf8).split(separator: "\n").last?.hasPrefix("2048,") == true)
        r = try CLI.playgrid("run", "four-rooms", "--agent", out, "--fun", "none", "--trials", "1", "--json")
        #expect(r.status == 0, "stderr: \(r.err)")
        CLI.expectCleanFailure(try CLI.playgrid("run", "buried-key", "--agent", out), 1,
                               mentioning: "goals.pgck: is goal-conditioned (told a goal cell), but buried-key's task is open-door")
        r = try CLI.playgrid("goals", "coverage", out, "--layouts", "1")
        #expect(r.status == 0 && r.out.hasPrefix("coverage ") && r.out.contains("of 255 goal cells"), "stdout: \(r.out) stderr: \(r.err)")
        CLI.expectCleanFailure(try CLI.playgrid("goals", "coverage", out, "--layouts", "0"), 64, mentioning: "--layouts must be from 1 to 64")
        CLI.expectCleanFailure(try CLI.playgrid("goals", "coverage", out, "--scenario", "buried-key"), 1, mentioning: "buried-key's task is open-door")
        r = try CLI.playgrid("goals", "plot", out + ".coverage.csv", "--out", svg, "--force")
        #expect(r.status == 0 && r.out.contains("goid"), "stdout: \(r.out) stderr: \(r.err)")
        #expect(try String(contentsOfFile: svg, encoding: .utf8).contains("goid (1 runs)"))
        CLI.expectCleanFailure(try CLI.playgrid("goals", "plot", out + ".curve.csv", "--out", svg, "--force"), 1,
                               mentioning: "goals.pgck.curve.csv: is not a coverage file")
        CLI.expectCleanFailure(try CLI.playgrid("goals", "plot", out + ".coverage.csv", "--out", svg), 1, mentioning: "--force")
        let binary = Scratch.path("binary.coverage.csv"), missing = Scratch.path("no.coverage.csv")
        try Data([0xFF, 0xFE, 0x00, 0x9C]).write(to: URL(fileURLWithPath: binary))
        CLI.expectCleanFailure(try CLI.playgrid("goals", "plot", binary, "--out", svg, "--force"), 1,
                               mentioning: "\(binary): is not UTF-8 text, expected a coverage file")
        CLI.expectCleanFailure(try CLI.playgrid("goals", "plot", missing, "--out", svg, "--force"), 1,
                               mentioning: "\(missing): no such file, expected a coverage file")
        // The checkpoint given for its coverage file is named as what it is.
        CLI.expectCleanFailure(try CLI.playgrid("goals", "plot", out, "--out", svg, "--force"), 1,
                               mentioning: "expected a coverage file (NAME.coverage.csv); it is a checkpoint (playgrid train)")
    }

    @Test("compare pairs two runs of one scenario and seed; runs that do not pair are one line")
    func compare() throws {
        let a = Scratch.path("greedy.json"), b = Scratch.path("random.json")
        for (agent, path, seed) in [("greedy", a, "7"), ("random", b, "7")] {
            let r = try CLI.playgrid("run", "signal-doors", "--agent", agent, "--fun", "none", "--trials", "20", "--seed", seed, "--json")
            try r.out.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let r = try CLI.playgrid("compare", a, b)
        #expect(r.status == 0, "stderr: \(r.err)")
        #expect(r.out.contains("signal-doors, seed 7, 20 trials paired by index") && r.out.contains("95% paired-t interval"), "\(r.out)")
        #expect(r.out.contains("4 (task return)"), "the last of 4 episodes, counted from 1: \(r.out)")
        let json = try CLI.playgrid("compare", a, b, "--json", "--episode", "2")
        #expect(json.status == 0 && json.out.contains(#""episode":2,"#), "the JSON counts episodes as --episode does: \(json.out)")
        let other = Scratch.path("other-seed.json")
        try (try CLI.playgrid("run", "signal-doors", "--agent", "random", "--fun", "none", "--trials", "2", "--seed", "8", "--json")).out
            .write(toFile: other, atomically: true, encoding: .utf8)
        CLI.expectCleanFailure(try CLI.playgrid("compare", a, other), 1, mentioning: "the runs do not pair")
        CLI.expectCleanFailure(try CLI.playgrid("compare", a, "/nonexistent.json"), 1, mentioning: "/nonexistent.json: no such file, expected a run report")
        CLI.expectCleanFailure(try CLI.playgrid("compare", a, "/tmp"), 1, mentioning: "/tmp: is a folder, expected a run report")
        let cut = Scratch.path("cut.json")
        try String(try String(contentsOfFile: a, encoding: .utf8).prefix(40)).write(toFile: cut, atomically: true, encoding: .utf8)
        CLI.expectCleanFailure(try CLI.playgrid("compare", a, cut), 1, mentioning: "not a run report of this playgrid: not valid JSON: it ends at line 1, column 41, inside a value (cut short?)")
        try String(contentsOfFile: a, encoding: .utf8).replacingOccurrences(of: #""seed":7"#, with: #""seed":123456789012345678901234567890"#)
            .write(toFile: cut, atomically: true, encoding: .utf8)
        CLI.expectCleanFailure(try CLI.playgrid("compare", a, cut), 1,
                               mentioning: "not a run report of this playgrid: a number out of range at line 1, column ")
        try #"{"scenario": "signal-doors"}"#.write(toFile: cut, atomically: true, encoding: .utf8)
        CLI.expectCleanFailure(try CLI.playgrid("compare", a, cut), 1, mentioning: "not a run report of this playgrid: no '")
    }

    @Test("without a terminal, train --screen prints one line and exits with status 2, as watch and play do, and writes nothing")
    func screenWithoutTerminal() throws {
        let out = Scratch.path("never-trained.pgck")
        let (status, printed, message) = try runWithoutTerminal(try BuiltProducts.path("playgrid"), ["train", "--out", out, "--screen"])
        #expect(status == 2)
        #expect(printed.isEmpty)
        #expect(message == "playgrid: stdin and stdout are not terminals; run this in a terminal window, or leave out --screen: train then prints progress lines\n")
        #expect(!FileManager.default.fileExists(atPath: out) && !FileManager.default.fileExists(atPath: out + ".curve.csv"))
    }

    @Test("bad arguments are one line naming the command's help, with the parser's status")
    func badArguments() throws {
        CLI.expectCleanFailure(try CLI.playgrid("run", "--episodes", "0"), 64,
                               mentioning: "playgrid: --episodes must be at least 1 (see 'playgrid run --help')")
        CLI.expectCleanFailure(try CLI.playgrid("train", "--out", "x.pgck", "--bogus"), 64, mentioning: "Unknown option '--bogus'")
        CLI.expectCleanFailure(try CLI.playgrid("train", "--out", "x.pgck", "--tape-every", "0"), 64, mentioning: "--tape-every must be at least 1")
    }
}
