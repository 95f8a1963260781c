import Foundation
import Testing
import TestSupport

/// End to end: what `playgrid SUB --help` says about defaults and values is there once, and complete.
@Suite struct HelpCommandTests {
    typealias CLI = TapeCommandTests

    @Test("run --help states the episodes run by default; watch and play state their default agent once; --skill-features lists its values without empty descriptions")
    func defaultsAndValues() throws {
        let run = try CLI.playgrid("run", "--help")
        #expect(run.status == 0 && run.out.contains("Number of episodes to run (default: 10)."), "\(run.out)")
        for command in ["watch", "play"] {
            let help = try CLI.playgrid(command, "--help")
            #expect(help.status == 0)
            #expect(help.out.components(separatedBy: "(default: explorer)").count == 2, "one default for --agent: \(help.out)")
        }
        let train = try CLI.playgrid("train", "--help")
        #expect(train.out.contains("(values: row-column, cell)"), "\(train.out)")
        #expect(!train.out.contains(" - \n") && !train.out.hasSuffix(" - "), "no value listed with an empty description: \(train.out)")
    }

    @Test("--version prints the version checkpoints and tapes record")
    func version() throws {
        let r = try CLI.playgrid("--version")
        #expect(r.status == 0 && r.out == "playgrid 0.1.0\n" && r.err.isEmpty, "\(r.out) \(r.err)")
    }
}
