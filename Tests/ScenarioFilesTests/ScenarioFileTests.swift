import Foundation
import GridWorld
import ScenarioFiles
import Testing
import TestSupport

@Suite struct ScenarioFileTests {
    /// Parses text and returns the error it raises.
    func failure(_ text: String) -> ScenarioFileError? {
        do {
            _ = try ScenarioFile.parse(text: text, file: "bad.yaml")
            return nil
        } catch {
            return error
        }
    }

    func expectFailure(_ text: String, line: Int, column: Int, containing words: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let error = failure(text)
        #expect(error != nil, "expected a failure", sourceLocation: sourceLocation)
        guard let error else { return }
        #expect(error.file == "bad.yaml", sourceLocation: sourceLocation)
        #expect(error.line == line && error.column == column, "at \(error.line):\(error.column): \(error.message)", sourceLocation: sourceLocation)
        #expect(error.message.contains(words), "\(error.message)", sourceLocation: sourceLocation)
        #expect(!error.description.contains("\n"), "one line", sourceLocation: sourceLocation)
    }

    @Test("every shipped scenario parses and draws MDPs", arguments: Repository.scenarioNames)
    func shippedParse(_ name: String) throws {
        let s = try shipped(name)
        #expect(s.name == name)
        for seed in 0..<UInt64(10) { _ = try s.sample(seed: seed) }
    }

    @Test("the format document's example with every key parses and draws MDPs, so it can be copied as a start")
    func documentedExampleParses() throws {
        let document = try String(contentsOfFile: Repository.path("docs/scenario-format.md"), encoding: .utf8)
        let start = try #require(document.range(of: "```yaml\n"))
        let end = try #require(document[start.upperBound...].range(of: "```"))
        let s = try ScenarioFile.parse(text: String(document[start.upperBound..<end.lowerBound]), file: "scenario-format.md")
        for seed in 0..<UInt64(20) { _ = try s.sample(seed: seed) }
    }

    @Test("a trial pool parses, and one without its number of trials is refused on one line")
    func trialPool() throws {
        let base = "name: x\nmap: |\n  ####\n  #A.#\n  ####\ntask: none\n"
        #expect(try ScenarioFile.parse(text: base + "trial: {episodes: 2, pool: {size: 3, trials: 7}}\n", file: "ok.yaml").pool
                == TrialPool(size: 3, trials: 7))
        let error = try #require(failure(base + "trial:\n  episodes: 2\n  pool:\n    size: 3\n"))
        #expect(error.message.contains("needs both size (MDPs) and trials") && error.line >= 9)
        #expect(!error.description.contains("\n"))
    }

    @Test("an unknown map symbol names its row and column")
    func unknownSymbol() {
        expectFailure("name: x\nmap: |\n  ####\n  #AQ#\n  ####\ntask: none\n", line: 4, column: 5, containing: "unknown map symbol 'Q'")
    }

    @Test("a file with Windows line ends (CRLF) has its map problems located as with LF")
    func windowsLineEnds() {
        expectFailure("name: x\r\nmap: |\r\n  ####\r\n  #AQ#\r\n  ####\r\ntask: none\r\n", line: 4, column: 5, containing: "unknown map symbol 'Q'")
        expectFailure("name: x\r\nmap: |\r\n  #####\r\n  #A.#\r\n  #####\r\ntask: none\r\n", line: 4, column: 7, containing: "row 2 is 4 wide")
    }

    @Test("a map without its | loses rows starting with # to YAML comments, and the error says so")
    func mapWithoutBar() {
        expectFailure("name: x\nmap:\n  ###\n  #A#\n  ###\ntask: none\n", line: 2, column: 5, containing: "write map: | and the rows below it")
        expectFailure("name: x\nmap: ###\ntask: none\n", line: 2, column: 5, containing: "a row starting with # is a YAML comment")
    }

    @Test("a blank line between map: | and the rows is layout, as one after them is")
    func blankLineBeforeRows() throws {
        _ = try ScenarioFile.parse(text: "name: x\nmap: |\n\n  ###\n  #A#\n  ###\n\ntask: none\n", file: "ok.yaml")
        expectFailure("name: x\nmap: |\n\n  ####\n  #AQ#\n  ####\ntask: none\n", line: 5, column: 5, containing: "unknown map symbol 'Q'")
    }

    @Test("a problem in a quoted map is located at the quote and names its cell: its rows share that one line")
    func quotedMap() {
        expectFailure("name: x\nmap: \"###\\n#AQ\\n###\"\ntask: none\n", line: 2, column: 6, containing: "unknown map symbol 'Q'; expected one of")
        expectFailure("name: x\nmap: \"###\\n#AQ\\n###\"\ntask: none\n", line: 2, column: 6, containing: "(map row 2, column 3)")
    }

    @Test("map rows of uneven width")
    func unevenRows() {
        expectFailure("name: x\nmap: |\n  #####\n  #A.#\n  #####\ntask: none\n", line: 4, column: 7, containing: "row 2 is 4 wide; expected 5")
    }

    @Test("a map with no agent")
    func noAgent() {
        expectFailure("name: x\nmap: |\n  ####\n  #..#\n  ####\ntask: none\n", line: 3, column: 3, containing: "no agent")
    }

    @Test("a goal that cannot be reached")
    func unreachableGoal() {
        expectFailure("name: x\nmap: |\n  ######\n  #A#.G#\n  ######\ntask: reach-goal\n", line: 2, column: 6, containing: "cannot be reached")
    }

    @Test("a legend entry that puts a thing on a wall or water, or under the agent, is refused at the entry")
    func thingsWhereTheyCannotBe() {
        let map = "map: |\n  #####\n  #AKG#\n  #####\ntask: reach-goal\n"
        expectFailure("name: x\nlegend: {K: {tile: wall, thing: key}}\n" + map, line: 2, column: 13, containing: "a key cannot stand on wall")
        expectFailure("name: x\nlegend: {K: {thing: ball, tile: water}}\n" + map, line: 2, column: 13, containing: "a ball cannot stand on water")
        expectFailure("name: x\nlegend: {a: {agent: up, thing: rock}}\nmap: |\n  #####\n  #a.G#\n  #####\ntask: reach-goal\n",
                      line: 2, column: 13, containing: "the agent cannot start on a rock")
    }

    @Test("open or on given to a thing that cannot open or light is refused at the key, not silently accepted")
    func flagOnWrongThing() {
        let map = "map: |\n  #####\n  #AKG#\n  #####\ntask: reach-goal\n"
        expectFailure("name: x\nlegend: {K: {thing: key, open: true}}\n" + map, line: 2, column: 26, containing: "open is for doors (open), switches and lamps (on); this entry is a key")
        expectFailure("name: x\nlegend: {K: {tile: sand, on: true}}\n" + map, line: 2, column: 26, containing: "this entry has no thing")
    }

    @Test("bad indentation inside the map")
    func badIndentation() {
        expectFailure("name: x\nmap: |\n  ####\n   #A.#\n  ####\ntask: none\n", line: 4, column: 3, containing: "space inside the map")
    }

    @Test("a map whose first row is indented more than the rest is refused at the first row YAML read as a comment")
    func firstRowIndentedMore() {
        expectFailure("name: x\nmap: |\n    ###\n  #A#\n  ###\ntask: none\n", line: 4, column: 3,
                      containing: "indented less than the first (line 3), so YAML ends the map above it")
        // A comment after the map that is no row of it stays a comment.
        let file = "name: x\nmap: |\n    ###\n    #A#\n    ###\n# the task\ntask: none\n"
        #expect((try? ScenarioFile.parse(text: file, file: "t.yaml")) != nil)
    }

    @Test("a folded map (map: >) is refused at the > with the fix, not as a space inside its first row")
    func foldedMap() {
        expectFailure("name: x\nmap: >\n  ###\n  #A#\n  ###\ntask: none\n", line: 2, column: 6, containing: "write map: |")
    }

    @Test("a tab inside a map row is named as a tab, not as a space the writer cannot find")
    func tabInRow() {
        expectFailure("name: x\nmap: |\n  #####\n  #A\t.#\n  #####\ntask: none\n", line: 4, column: 5, containing: "a tab inside the map")
    }

    @Test("bad indentation of a key breaks the YAML, located")
    func badKeyIndentation() {
        let error = failure("name: x\n  task: none\nmap: |\n  #A#\n")
        #expect(error?.line == 2)
        #expect(error?.message.contains("invalid YAML") == true)
    }

    @Test("a truncated file")
    func truncated() {
        expectFailure("name: x\nmap: |\n  ####\n  #A.#\n  ####\ntask: {collect: {thing: fruit, cou", line: 7, column: 1, containing: "invalid YAML")
    }

    @Test("an unclosed quote or bracket names where it starts, not only the end of the file where the scanner gave up")
    func unclosed() {
        expectFailure("name: \"x\nmap: |\n  ###\n  #A#\n  ###\ntask: none\n", line: 7, column: 1,
                      containing: "while scanning a quoted scalar that starts at line 1, column 7")
        expectFailure("name: x\nmap: |\n  ###\n  #A#\n  ###\ntask: none\nplay: [push, kick\n", line: 8, column: 1,
                      containing: "while parsing a flow sequence that starts at line 7, column 7")
    }

    @Test("YAML nested past libyaml's limit says so in words, not by naming libyaml's C setter")
    func tooDeep() {
        let text = "name: x\nsummary: " + String(repeating: "[", count: 2000) + String(repeating: "]", count: 2000) + "\n"
        expectFailure(text, line: 2, column: 11, containing: "invalid YAML: nested more than 1000 levels deep (while parsing)")
        #expect(failure(text)?.message.contains("yaml_set") == false)
    }

    @Test("an unknown key gets a did-you-mean")
    func unknownKey() {
        expectFailure("name: x\nmap: |\n  ###\n  #A#\n  ###\ntask: none\ndelite:\n  rock-sank: 1\n", line: 7, column: 1, containing: "did you mean 'delight'?")
        expectFailure("name: x\nmap: |\n  ###\n  #A#\n  ###\ntask: none\nepisode: {max-step: 9}\n", line: 7, column: 11, containing: "did you mean 'max-steps'?")
    }

    @Test("unknown names of tiles, events, play actions and tasks")
    func unknownNames() {
        expectFailure("name: x\nmap: |\n  ###\n  #A#\n  ###\ntask: reach-gaol\n", line: 6, column: 7, containing: "did you mean 'reach-goal'?")
        expectFailure("name: x\nmap: |\n  ###\n  #A#\n  ###\ntask: none\nplay: [push, kik]\n", line: 7, column: 14, containing: "did you mean 'kick'?")
        expectFailure("name: x\nmap: |\n  ###\n  #A#\n  ###\ntask: none\ndelight: {rock-sunk: 1}\n", line: 7, column: 11, containing: "did you mean 'rock-sank'?")
        expectFailure("name: x\nlegend: {Q: sandd}\nmap: |\n  ###\n  #A#\n  ###\ntask: none\n", line: 2, column: 13, containing: "did you mean 'sand'?")
    }

    @Test("a task to collect or deliver what the agent cannot take is refused at the thing: it could never succeed")
    func untakeableTask() {
        expectFailure("name: x\nmap: |\n  #####\n  #AD.#\n  #####\ntask: {collect: {thing: door}}\n", line: 6, column: 25,
                      containing: "a door cannot be collected (picked up or eaten); expected ball, key, block, fruit")
        expectFailure("name: x\nmap: |\n  #####\n  #AG_#\n  #####\ntask: {deliver: goal}\n", line: 6, column: 17,
                      containing: "a goal cannot be carried to a pad; expected ball, key, block")
        expectFailure("name: x\nmap: |\n  #####\n  #AG_#\n  #####\ntask: {deliver: bal}\n", line: 6, column: 17, containing: "did you mean 'ball'?")
    }

    @Test("an empty pick list is refused as such, not as picking 0 of the marked cells")
    func emptyPick() {
        expectFailure("name: x\nmap: |\n  #####\n  #A?G#\n  #####\ntask: reach-goal\nlegend: {'?': {tile: sand, pick: []}}\n", line: 7, column: 34,
                      containing: "pick needs a count")
    }

    @Test("numbers out of range or not numbers")
    func badNumbers() {
        expectFailure("name: x\nmap: |\n  ###\n  #A#\n  ###\ntask: none\nepisode: {max-steps: lots}\n", line: 7, column: 22, containing: "whole number")
        // Too many digits for a whole number is a value out of range, said with the range.
        expectFailure("name: x\nmap: |\n  ###\n  #A#\n  ###\ntask: none\nepisode: {max-steps: 99999999999999999999}\n", line: 7, column: 22,
                      containing: "max-steps must be from 1 to 100000, found 99999999999999999999")
        expectFailure("name: x\nmap: |\n  ###\n  #A#\n  ###\ntask: none\nepisode: {max-steps: 1.5}\n", line: 7, column: 22, containing: "whole number")
        expectFailure("name: x\nmap: |\n  ###\n  #A#\n  ###\ntask: none\nview: 4\n", line: 7, column: 7, containing: "odd")
        expectFailure("name: x\nmap: |\n  ###\n  #A#\n  ###\ntask: none\ndelight: {dug: .nan}\n", line: 7, column: 16, containing: "finite")
    }

    @Test("four rooms on a canvas too small to hold them is refused at the layout: its gaps were cut into the outer wall")
    func fourRoomsTooSmall() throws {
        expectFailure("name: x\nmap: |\n  ####\n  #A.#\n  #..#\n  ####\ntask: none\ndistribution: {layout: four-rooms}\n",
                      line: 8, column: 24, containing: "at least 5×5")
        _ = try ScenarioFile.parse(text: "name: x\nmap: |\n  #####\n  #A..#\n  #...#\n  #...#\n  #####\ntask: none\n"
                                   + "distribution: {layout: four-rooms}\n", file: "ok.yaml")
    }

    @Test("dynamics or a scatter naming a thing the map lacks are refused at the name: they would silently do nothing")
    func absentThings() throws {
        let room = "name: x\nmap: |\n  #####\n  #A.G#\n  #####\ntask: reach-goal\n"
        expectFailure(room + "dynamics: {drift: {ball: 0.5}}\n", line: 7, column: 20, containing: "drift names ball, but the map holds no ball (symbol *)")
        expectFailure(room + "dynamics:\n  respawn: {fruit: 5}\n", line: 8, column: 13, containing: "respawn names fruit, but the map holds no fruit")
        expectFailure(room + "distribution: {scatter: [key]}\n", line: 7, column: 26, containing: "scatter names key")
        expectFailure(room + "dynamics: {doors: {open: 3, closed: 3}}\n", line: 7, column: 12, containing: "the map has none")
        // A picked look, a buried thing and a goal drawn at random count as in the map.
        _ = try ScenarioFile.parse(text: "name: x\nmap: |\n  ######\n  #A.?G#\n  #:...#\n  ######\ntask: reach-goal\n"
            + "legend: {'?': {thing: ball, pick: [0, 1]}}\nmechanics: {buried: {thing: fruit, under: sand}}\n"
            + "distribution: {goal: random}\ndynamics: {drift: {ball: 0.5, goal: 0.1}, respawn: {fruit: 5}}\n", file: "ok.yaml")
    }

    @Test("a key given twice")
    func duplicateKey() {
        let error = failure("name: x\nname: y\nmap: |\n  ###\n  #A#\n  ###\ntask: none\n")
        #expect(error != nil)
        #expect(error?.message.contains("twice") == true)
    }

    @Test("an empty file and missing sections")
    func emptyAndMissing() {
        expectFailure("", line: 1, column: 1, containing: "empty file")
        expectFailure("   \n\n", line: 1, column: 1, containing: "empty file")
        expectFailure("name: x\ntask: none\n", line: 1, column: 1, containing: "missing 'map'")
        expectFailure("- a\n- b\n", line: 1, column: 1, containing: "expected the scenario")
    }

    @Test("a name left empty is refused like a missing one: tapes, checkpoints and reports name the scenario by it")
    func emptyName() {
        let rest = "map: |\n  ###\n  #A#\n  ###\ntask: none\n"
        expectFailure("name:\n" + rest, line: 1, column: 6, containing: "name is empty")
        expectFailure("name: ''\n" + rest, line: 1, column: 7, containing: "name is empty")
        expectFailure("name: ~\n" + rest, line: 1, column: 7, containing: "name is empty")
    }

    @Test("a name with a control character (a quoted \\n or \\e) or a / is refused: it is printed as it is, in tables, tape headers and the terminal, and names files")
    func controlCharacterInName() throws {
        let rest = "map: |\n  ###\n  #A#\n  ###\ntask: none\n"
        expectFailure("name: \"a\\nb\"\n" + rest, line: 1, column: 7, containing: "name holds a control character (U+000A); expected one line of text")
        expectFailure("name: \"\\e[31mred\"\n" + rest, line: 1, column: 7, containing: "(U+001B)")
        #expect(try ScenarioFile.parse(text: "name: café ☕\n" + rest, file: "ok.yaml").name == "café ☕")
        // A name is a file name too (train --tapes writes NAME.tape): a "/" in it reached outside the folder.
        expectFailure("name: ../../x\n" + rest, line: 1, column: 7, containing: "the scenario's name holds '/'")
    }

    @Test("a value quoted in an error (a folded block, a key holding a newline or an ESC) keeps the error on one line")
    func quotedValueOnOneLine() {
        let room = "name: x\nmap: |\n  ###\n  #A#\n  ###\ntask: none\n"
        let folded = failure(room + "mechanics: >\n  buried: {thing: key, under: sand}\n")
        #expect(folded?.description == "bad.yaml:7:12: expected mechanics (a mapping of keys to values), found 'buried: {thing: key, under: sand}\\n'")
        let key = failure(room + "\"a\\nb\\e[31m\": 1\n")
        #expect(key?.description.contains("unknown key 'a\\nb\\u{1B}[31m'") == true, "\(key?.description ?? "")")
    }

    @Test("binary garbage is refused at its first control byte")
    func binary() throws {
        var bytes = Data("name: x\nma".utf8)
        bytes.append(contentsOf: [0x00, 0xFF, 0x13, 0x88])
        #expect(throws: ScenarioFileError.self) { try ScenarioFile.parse(data: bytes, file: "bad.yaml") }
        do {
            _ = try ScenarioFile.parse(data: bytes, file: "bad.yaml")
        } catch {
            #expect(error.line == 2 && error.column == 3)
            #expect(error.message.contains("binary"))
        }
    }

    @Test("a byte that is not UTF-8 (a Latin-1 é far down a file) is refused at its line and column, not at 1:1")
    func notUTF8Located() throws {
        var bytes = Data("name: x\nsummary: caf".utf8)
        bytes.append(contentsOf: [0xE9, 0x0A])
        #expect(throws: ScenarioFileError.self) { try ScenarioFile.parse(data: bytes, file: "latin1.yaml") }
        do {
            _ = try ScenarioFile.parse(data: bytes, file: "latin1.yaml")
        } catch {
            #expect(error.description == "latin1.yaml:2:13: not UTF-8 text; expected a YAML text file")
        }
    }

    @Test("a map too large is refused, by size of map and by size of file")
    func tooLarge() throws {
        let row = String(repeating: ".", count: 300)
        let text = "name: x\nmap: |\n  A" + row.dropFirst() + "\n  " + row + "\ntask: none\n"
        expectFailure(text, line: 3, column: 3, containing: "at most 255×255")

        let path = Scratch.path("huge.yaml")
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 10_000 * 10_001)  // a 10000×10000 map's worth of bytes, sparse
        try handle.close()
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: ScenarioFileError.self) { try ScenarioFile.load(path: path) }
        do { _ = try ScenarioFile.load(path: path) } catch { #expect(error.message.contains("MiB")) }

        let justOver = Scratch.path("just-over.yaml")
        #expect(FileManager.default.createFile(atPath: justOver, contents: Data(repeating: 0x23, count: ScenarioFile.maximumBytes + 1)))
        defer { try? FileManager.default.removeItem(atPath: justOver) }
        do {
            _ = try ScenarioFile.load(path: justOver)
            Issue.record("a file one byte over the limit loaded")
        } catch {
            #expect(error.message.hasPrefix("file is 4194305 bytes; a scenario file is at most 4194304 (4 MiB"), "\(error.message)")
        }
    }

    @Test("a missing file and an unknown scenario name")
    func missing() {
        do { _ = try ScenarioFile.load(path: "/nonexistent/x.yaml") } catch { #expect(error.message == "no such file") }
        do {
            _ = try ScenarioFile.load(path: Repository.root.path + "/scenarios")
        } catch {
            #expect(error.message.contains("folder"))
        }
    }

    @Test("a device or a FIFO is not a regular file, refused before it is read (not blamed on permissions, nor waited on); a link to a file loads")
    func notRegularFile() throws {
        let fifo = Scratch.path("scenario.fifo"), link = Scratch.path("linked.yaml")
        try? FileManager.default.removeItem(atPath: fifo)
        try? FileManager.default.removeItem(atPath: link)
        #expect(mkfifo(fifo, 0o600) == 0)
        defer { try? FileManager.default.removeItem(atPath: fifo) }
        for path in ["/dev/zero", fifo] {
            #expect(throws: ScenarioFileError(file: path, line: 1, column: 1,
                                              "is not a regular file (a device, FIFO or socket), expected a scenario file (YAML)")) {
                try ScenarioFile.load(path: path)
            }
        }
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: Repository.root.path + "/scenarios/rock-garden.yaml")
        defer { try? FileManager.default.removeItem(atPath: link) }
        #expect(try ScenarioFile.load(path: link).name == "rock-garden")
    }

    @Test("an unknown scenario name lists the known ones, with a did-you-mean, and no file location")
    func unknownName() {
        setenv("PLAYGRID_HOME", Repository.root.path, 1)
        do {
            _ = try ScenarioCatalog.path(for: "rock-gardn")
            Issue.record("expected a failure")
        } catch {
            #expect(error.description.hasPrefix("rock-gardn: no such scenario; did you mean 'rock-garden'?"))
            for name in Repository.scenarioNames { #expect(error.message.contains(name)) }
        }
    }

    @Test("legend entries define coloured keys and doors, and open doors")
    func legend() throws {
        let s = try scenario("""
        ######
        #AKRd#
        #...G#
        ######
        """, extra: "legend:\n  K: {thing: key, color: red}\n  R: {thing: door, color: red}")
        let m = s.map
        #expect(m[2, 1].thing == .key && Aux.color(m[2, 1].aux) == 1)
        #expect(m[3, 1].thing == .door && !Aux.isOn(m[3, 1].aux))
        #expect(m[4, 1].thing == .door && Aux.isOn(m[4, 1].aux))
    }
}
