import Agents
import Engine
import Foundation
import Fun
import GridWorld
import TestSupport
import Testing
@testable import Tapes

@Suite struct TapeRoundTripTests {
    @Test("10,000 recorded steps of every shipped scenario read back, verify, and export as parseable JSONL, CSV and asciicast")
    func everyScenarioRoundTrips() throws {
        let names = Fixtures.scenarioNames
        #expect(names.count >= 12)
        for name in names {
            let recording = try Fixtures.record(name, steps: 10_000, seed: 3)
            let reader = try TapeReader(bytes: recording.bytes, name: name)
            #expect(reader.isComplete, "\(name)")
            #expect(reader.problem == nil, "\(name)")
            #expect(reader.stepCount == 10_000)
            let report = try TapePass.run(reader)
            #expect(report.steps == 10_000)
            #expect(report.keyframes == reader.keyframeCount)

            // What the tape holds is what the session did, step by step.
            let steps = try reader.allSteps()
            for (step, frame) in zip(steps, recording.frames) {
                #expect(step.action == frame.decision!.action)
                #expect(step.events == frame.transition!.events)
                #expect(step.taskReward == frame.reward!.task)
                #expect(step.fun == frame.reward!.fun)
                #expect(step.trial == frame.trial && step.episode == frame.episode && step.step == frame.step)
            }

            var jsonl = ""
            try TapeExport.export(reader, format: .jsonl) { jsonl += $0 }
            let lines = jsonl.split(separator: "\n")
            #expect(lines.count == 10_000)
            for (i, line) in lines.enumerated() where i % 97 == 0 || i == lines.count - 1 {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                let frame = recording.frames[i]
                #expect(object["index"] as? Int == i)
                #expect(object["agent_x"] as? Int == frame.world.agentPosition.x)
                #expect(object["agent_y"] as? Int == frame.world.agentPosition.y)
                #expect(object["task_action"] as? String == frame.decision!.action.task.name)
                #expect(object["events"] as? [String] == frame.transition!.events.names)
                #expect((object["fun_delight"] as? NSNumber)?.floatValue == frame.reward!.fun[0])
            }

            var csv = ""
            try TapeExport.export(reader, format: .csv) { csv += $0 }
            let rows = csv.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            #expect(rows.count == 10_001)
            let width = rows.first!.split(separator: ",", omittingEmptySubsequences: false).count
            #expect(rows.allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == width })

            var cast = ""
            try TapeExport.export(reader, format: .asciicast) { cast += $0 }
            let castLines = cast.split(separator: "\n")
            #expect(castLines.count == 10_002)
            let header = try #require(try JSONSerialization.jsonObject(with: Data(castLines[0].utf8)) as? [String: Any])
            #expect(header["version"] as? Int == 2)
            let castWidth = try #require(header["width"] as? Int)
            let castHeight = try #require(header["height"] as? Int)
            var lastTime = -1.0
            for line in castLines.dropFirst() {
                let event = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [Any])
                #expect(event.count == 3)
                let time = try #require((event[0] as? NSNumber)?.doubleValue)
                #expect(time > lastTime)
                lastTime = time
                #expect(event[1] as? String == "o")
                let screen = try #require(event[2] as? String)
                let shown = screen.replacingOccurrences(of: "\u{1B}[H\u{1B}[2J", with: "").components(separatedBy: "\r\n")
                #expect(shown.count == castHeight)
                #expect(shown.allSatisfy { $0.count <= castWidth })
            }
        }
    }

    @Test("A tape of the scripted player replays into the very frames its session produced, at any step")
    func replayMatchesSession() throws {
        let recording = try Fixtures.record("rock-garden", agent: PlayerAgent(), steps: 3_000, seed: 11, chunkSize: 100, keyframeEvery: 2)
        var engine = try ReplayEngine(reader: try TapeReader(bytes: recording.bytes, name: "rock-garden"))
        var rng = SplitMix64(seed: 5)
        var targets = (0..<150).map { _ in rng.below(3_000) }
        targets += [0, 2_999, 199, 200, 201]
        for i in targets {
            let frame = try engine.seek(to: i)
            let expected = recording.frames[i]
            #expect(frame.world.state == expected.world.state, "step \(i)")
            #expect(frame.trial == expected.trial && frame.episode == expected.episode && frame.step == expected.step)
            #expect(frame.transition == expected.transition)
            #expect(frame.reward == expected.reward)
            #expect(frame.episodeReturn == expected.episodeReturn, "episode return at step \(i)")
            #expect(frame.decision?.action == expected.decision?.action)
        }
    }

    @Test("Agent outputs round-trip: probabilities to within 1/65535, values exactly, manual steps flagged")
    func agentOutputsRoundTrip() throws {
        let scenario = try Fixtures.scenario("playroom")
        var session = try Session(scenario: scenario, agent: ProbabilisticAgent(), funSpec: .standard, seed: 2)
        let header = TapeHeader(scenarioText: scenario.sourceText, scenarioOrigin: "playroom", seed: 2, agent: "probabilistic",
                                checkpointHash: "abc123", funSpec: "delight=1", funComponents: ["delight"], chunkSize: 64)
        let writer = try TapeWriter(inMemory: header, scenario: scenario)
        var frames: [Frame] = []
        for i in 0..<500 {
            let frame = try session.step(manual: i % 50 == 7 ? ActionPair(.up, .none) : nil)
            try writer.append(frame)
            frames.append(frame)
        }
        try writer.finish()
        let reader = try TapeReader(bytes: writer.bytes, name: "outputs")
        #expect(reader.header.checkpointHash == "abc123")
        let steps = try reader.allSteps()
        for (step, frame) in zip(steps, frames) {
            let d = frame.decision!
            let o = try #require(step.outputs)
            #expect(o.value == d.value)
            for (a, b) in zip(o.taskProbabilities!, d.taskProbabilities!) { #expect(abs(a - b) <= 1 / 65535) }
            for (a, b) in zip(o.playProbabilities!, d.playProbabilities!) { #expect(abs(a - b) <= 1 / 65535) }
            #expect(o.taskProbabilities!.count == TaskAction.count && o.playProbabilities!.count == PlayAction.count)
            #expect(step.manual == frame.manual)
        }
        #expect(steps.filter(\.manual).count == 10)
        #expect(try TapePass.run(reader).steps == 500)
    }

    /// `steps` steps of `agent` in playroom, taped in memory (64-step chunks): the tape read back and the frames.
    static func recordPlayroom(_ agent: some Agent, seed: UInt64, steps: Int) throws -> (TapeReader, [Frame]) {
        let scenario = try Fixtures.scenario("playroom")
        var session = try Session(scenario: scenario, agent: agent, funSpec: .standard, seed: seed)
        let header = TapeHeader(scenarioText: scenario.sourceText, scenarioOrigin: "playroom", seed: seed, agent: agent.name,
                                checkpointHash: "", funSpec: "delight=1", funComponents: ["delight"], chunkSize: 64)
        let writer = try TapeWriter(inMemory: header, scenario: scenario)
        var frames: [Frame] = []
        for _ in 0..<steps {
            let frame = try session.step()
            try writer.append(frame)
            frames.append(frame)
        }
        try writer.finish()
        return (try TapeReader(bytes: writer.bytes, name: agent.name), frames)
    }

    @Test("Recall outputs round-trip exactly, on the steps that have them, and replay shows them")
    func recallOutputsRoundTrip() throws {
        let (reader, frames) = try Self.recordPlayroom(ProbabilisticAgent(recalls: true), seed: 3, steps: 300)
        let steps = try reader.allSteps()
        #expect(steps.count == 300)
        for (step, frame) in zip(steps, frames) {
            let recall = step.outputs?.recall.map { Decision.Recall(similarity: $0.similarity, gate: $0.gate) }
            #expect(recall == frame.decision!.recall)
            #expect(step.outputs?.value == frame.decision!.value)
        }
        #expect(steps.contains { $0.outputs?.recall == nil } && steps.contains { $0.outputs?.recall != nil })
        var replay = try ReplayEngine(reader: reader)
        let shown = try replay.seek(to: 150)
        #expect(shown.decision?.recall == frames[150].decision?.recall)

        let (lines, rows) = try Self.exports(reader)
        for (i, frame) in frames.enumerated() {
            let recall = frame.decision!.recall
            #expect((lines[i]["recall_similarity"] as? NSNumber)?.floatValue == recall?.similarity)
            #expect((lines[i]["reinstatement_gate"] as? NSNumber)?.floatValue == recall?.gate)
            #expect(rows[i]["reinstatement_gate"].flatMap(Float.init) == recall?.gate)
            #expect(rows[i]["memory_size"] == "")
        }
    }

    /// Both exports of `reader`: the JSON objects of the lines, and the CSV rows keyed by column name.
    static func exports(_ reader: TapeReader) throws -> (lines: [[String: Any]], rows: [[String: String]]) {
        var jsonl = ""
        try TapeExport.export(reader, format: .jsonl) { jsonl += $0 }
        let lines = try jsonl.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        var csv = ""
        try TapeExport.export(reader, format: .csv) { csv += $0 }
        let table = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let rows = table.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(table[0], $0)) }
        return (lines, rows)
    }

    @Test("Episodic-control outputs (task values, memory size, nearest distance) round-trip exactly, and replay shows them")
    func memoryOutputsRoundTrip() throws {
        let (reader, frames) = try Self.recordPlayroom(RememberingAgent(), seed: 4, steps: 200)
        let steps = try reader.allSteps()
        #expect(steps.count == 200)
        for (step, frame) in zip(steps, frames) {
            let memory = step.outputs?.memory.map { Decision.Memory(taskValues: $0.taskValues, size: $0.size, nearest: $0.nearest) }
            #expect(memory == frame.decision!.memory)
        }
        #expect(steps.contains { $0.outputs?.memory?.nearest == nil } && steps.contains { $0.outputs?.memory?.nearest != nil })
        var replay = try ReplayEngine(reader: reader)
        #expect(try replay.seek(to: 120).decision?.memory == frames[120].decision?.memory)

        let (lines, rows) = try Self.exports(reader)
        for (i, frame) in frames.enumerated() {
            let memory = try #require(frame.decision!.memory)
            #expect((lines[i]["memory_task_values"] as? [NSNumber])?.map(\.floatValue) == memory.taskValues)
            #expect(lines[i]["memory_size"] as? Int == memory.size)
            #expect((lines[i]["memory_nearest"] as? NSNumber)?.floatValue == memory.nearest)
            #expect(rows[i]["memory_q_" + TaskAction.allCases[0].name].flatMap(Float.init) == memory.taskValues[0])
            #expect(rows[i]["memory_size"] == String(memory.size))
            #expect(rows[i]["recall_similarity"] == "")
        }
    }

    @Test("A skill agent's judged places (skill given, skill recognised, skill reward) round-trip exactly, also between steps without outputs, and replay and exports show them")
    func skillOutputsRoundTrip() throws {
        let (reader, frames) = try Self.recordPlayroom(JudgedSkillAgent(), seed: 4, steps: 200)
        let steps = try reader.allSteps()
        #expect(steps.count == 200)
        for (step, frame) in zip(steps, frames) {
            let skill = step.outputs?.skill.map { Decision.Skill(given: $0.given, recognised: $0.recognised, reward: $0.reward) }
            #expect(skill == frame.decision!.skill)
        }
        #expect(frames.contains { $0.decision!.skill == nil } && Set(frames.compactMap { $0.decision!.skill?.recognised }).count > 4)
        var replay = try ReplayEngine(reader: reader)
        for index in [41, 42, 43, 120] {
            #expect(try replay.seek(to: index).decision?.skill == frames[index].decision?.skill)
        }

        let (lines, rows) = try Self.exports(reader)
        for (i, frame) in frames.enumerated() {
            let skill = frame.decision!.skill
            #expect(lines[i]["skill"] as? Int == skill?.given)
            #expect(lines[i]["recognised_skill"] as? Int == skill?.recognised)
            #expect((lines[i]["skill_reward"] as? NSNumber)?.floatValue == skill?.reward)
            #expect(rows[i]["recognised_skill"] == skill.map { String($0.recognised) } ?? "")
            #expect(rows[i]["skill_reward"].flatMap(Float.init) == skill?.reward)
        }
    }

    @Test("A writer refuses frames that do not follow its tape, never overwrites a file without force, and with force only a tape (or an empty file)")
    func writerRefusesWhatItCannotRecord() throws {
        let scenario = try Fixtures.scenario("open-field")
        let header = TapeHeader(scenarioText: scenario.sourceText, scenarioOrigin: "open-field", seed: 1, agent: "random",
                                funSpec: "delight=1", funComponents: ["delight"])
        // Frames of another seed's run do not follow a tape of seed 1.
        var other = try Session(scenario: scenario, agent: RandomAgent(), funSpec: .standard, seed: 99)
        let writer = try TapeWriter(inMemory: header, scenario: scenario)
        #expect(throws: TapeError.self) {
            for _ in 0..<2_000 { try writer.append(try other.step()) }
        }
        // Wrong number of fun components.
        let w2 = try TapeWriter(inMemory: header, scenario: scenario)
        let start = try TrialWorld(scenario: scenario, seed: 1)
        #expect { try w2.append(action: ActionPair(.up), transition: Transition(), after: start, fun: []) } throws: {
            ($0 as? TapeError)?.kind == .misuse
        }

        let path = Scratch.path("exists.tape")
        try Data("precious".utf8).write(to: URL(fileURLWithPath: path))
        #expect { try TapeWriter(path: path, header: header, scenario: scenario) } throws: { ($0 as? TapeError)?.kind == .exists }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "precious")
        // A path mistyped as a checkpoint or scenario the run reads is not a tape: force does not clobber it.
        #expect { try TapeWriter(path: path, header: header, scenario: scenario, force: true) } throws: {
            ($0 as? TapeError)?.kind == .exists && "\($0)".contains("is not a tape, so --force does not overwrite it")
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "precious")
        let tape = Scratch.path("forced.tape")
        try Data().write(to: URL(fileURLWithPath: tape))
        for _ in 0..<2 {  // an empty file, then the tape that made of it
            let forced = try TapeWriter(path: tape, header: header, scenario: scenario, force: true)
            try forced.finish()
            #expect(try TapeReader(path: tape).isComplete)
        }
    }

    @Test("Steps cost at most 16 bytes each without agent outputs, and far less than an asciicast of the same run")
    func tapesAreCompact() throws {
        let recording = try Fixtures.record("rock-garden", agent: PlayerAgent(), steps: 5_000, seed: 4, keepFrames: false)
        let reader = try TapeReader(bytes: recording.bytes, name: "compact")
        let perStep = Double(recording.bytes.count) / 5_000
        #expect(perStep <= 16)
        var castBytes = 0
        try TapeExport.export(reader, format: .asciicast) { castBytes += $0.utf8.count }
        #expect(Double(castBytes) / Double(recording.bytes.count) > 20)
    }

    @Test("The text picture of a world uses the scenario map symbols and draws the agent by its heading")
    func worldText() throws {
        let scenario = try Fixtures.scenario("rock-garden")
        let world = try TrialWorld(scenario: scenario, seed: 1).world
        let lines = WorldText.lines(world)
        #expect(lines.count == 10)
        #expect(lines[0] == "############")
        #expect(lines[1].hasPrefix("#^"))
        #expect(lines[2] == "#..o...::..#")
        #expect(lines.joined().filter { $0 == "G" }.count == 1)
    }
}
