import GridWorld
import Records

/// Exports a tape for analysis elsewhere: JSON lines or CSV (one row per step, ready for pandas), or an
/// asciicast v2 recording (a text picture of the map per step) that an asciinema player plays.
///
/// Every export re-simulates the tape as it goes (`TapePass`), so agent positions come from the world and a tape
/// that does not replay exactly is refused rather than exported wrong.
public enum TapeExport {
    public enum Format: String, CaseIterable, Sendable {
        case jsonl, csv, asciicast

        /// The bytes every export of this format begins with, so that `--force` replaces an earlier export and
        /// never a file a slip in `--out` names (a scenario, a report, the data a tape was made from).
        public var signature: [UInt8] {
            switch self {
            case .jsonl: Array("{\"index\":".utf8)
            case .csv: Array("index,trial,".utf8)
            case .asciicast: Array("{\"version\":2,".utf8)
            }
        }
    }

    /// Seconds between two steps in an asciicast.
    public static let asciicastStepSeconds = 0.1

    /// Writes the export of every complete record through `write`, a piece of text at a time.
    public static func export(_ reader: TapeReader, format: Format, write: (String) throws(TapeError) -> Void) throws(TapeError) {
        switch format {
        case .jsonl: try jsonLines(reader, write: write)
        case .csv: try csv(reader, write: write)
        case .asciicast: try asciicast(reader, write: write)
        }
    }

    // MARK: JSON lines

    static func jsonLines(_ reader: TapeReader, write: (String) throws(TapeError) -> Void) throws(TapeError) {
        let funKeys = reader.header.funComponents.map { StableJSON.quoted("fun_" + $0) }
        try TapePass.run(reader) { step, world, _ throws(TapeError) in
            let p = world.agentPosition
            var line = "{\"index\":\(step.index),\"trial\":\(step.trial),\"episode\":\(step.episode),\"step\":\(step.step)"
            line += ",\"task_action\":\"\(step.action.task.name)\",\"play_action\":\"\(step.action.play.name)\""
            line += ",\"task_reward\":\(StableJSON.number(step.taskReward))"
            for (key, value) in zip(funKeys, step.fun) { line += ",\(key):\(StableJSON.number(value))" }
            line += ",\"events\":[" + step.events.map { "\"\($0.name)\"" }.joined(separator: ",") + "]"
            line += ",\"agent_x\":\(p.x),\"agent_y\":\(p.y)"
            line += ",\"terminated\":\(step.outcome.contains(.terminated)),\"truncated\":\(step.outcome.contains(.truncated))"
            line += ",\"succeeded\":\(step.outcome.contains(.succeeded)),\"manual\":\(step.manual)"
            if let o = step.outputs {
                if let t = o.taskProbabilities { line += ",\"task_probabilities\":[" + t.map(StableJSON.number).joined(separator: ",") + "]" }
                if let t = o.playProbabilities { line += ",\"play_probabilities\":[" + t.map(StableJSON.number).joined(separator: ",") + "]" }
                if let v = o.value { line += ",\"value\":\(StableJSON.number(v))" }
                if let r = o.recall {
                    line += ",\"recall_similarity\":\(StableJSON.number(r.similarity)),\"reinstatement_gate\":\(StableJSON.number(r.gate))"
                }
                if let m = o.memory {
                    line += ",\"memory_task_values\":[" + m.taskValues.map(StableJSON.number).joined(separator: ",") + "]"
                    line += ",\"memory_size\":\(m.size),\"memory_nearest\":" + (m.nearest.map(StableJSON.number) ?? "null")
                }
                if let z = o.skill {
                    line += ",\"skill\":\(z.given),\"recognised_skill\":\(z.recognised),\"skill_reward\":\(StableJSON.number(z.reward))"
                }
            }
            line += "}\n"
            try write(line)
        }
    }

    // MARK: CSV

    static func csv(_ reader: TapeReader, write: (String) throws(TapeError) -> Void) throws(TapeError) {
        var columns = ["index", "trial", "episode", "step", "task_action", "play_action", "task_reward"]
        columns += reader.header.funComponents.map { "fun_" + $0 }
        columns += ["events", "agent_x", "agent_y", "terminated", "truncated", "succeeded", "manual"]
        columns += TaskAction.allCases.map { "p_task_" + $0.name } + PlayAction.allCases.map { "p_play_" + $0.name } + ["value"]
        columns += ["recall_similarity", "reinstatement_gate"] + TaskAction.allCases.map { "memory_q_" + $0.name }
        columns += ["memory_size", "memory_nearest", "skill", "recognised_skill", "skill_reward"]
        try write(CSV.row(columns))
        try TapePass.run(reader) { step, world, _ throws(TapeError) in
            let p = world.agentPosition
            var fields = [String(step.index), String(step.trial), String(step.episode), String(step.step),
                          step.action.task.name, step.action.play.name, CSV.number(step.taskReward)]
            fields += step.fun.map(CSV.number)
            fields += [step.events.names.joined(separator: "|"), String(p.x), String(p.y),
                       flag(step.outcome.contains(.terminated)), flag(step.outcome.contains(.truncated)),
                       flag(step.outcome.contains(.succeeded)), flag(step.manual)]
            let o = step.outputs
            fields += probabilities(o?.taskProbabilities, TaskAction.count) + probabilities(o?.playProbabilities, PlayAction.count)
            fields.append(o?.value.map(CSV.number) ?? "")
            fields += [o?.recall.map { CSV.number($0.similarity) } ?? "", o?.recall.map { CSV.number($0.gate) } ?? ""]
            let memory = o?.memory
            fields += probabilities(memory?.taskValues, TaskAction.count)
            fields += [memory.map { String($0.size) } ?? "", memory?.nearest.map(CSV.number) ?? ""]
            let skill = o?.skill
            fields += [skill.map { String($0.given) } ?? "", skill.map { String($0.recognised) } ?? "", skill.map { CSV.number($0.reward) } ?? ""]
            try write(CSV.row(fields))
        }
    }

    /// `n` cells from `p` (probabilities, or values per action), empty where nothing was recorded.
    static func probabilities(_ p: [Float]?, _ n: Int) -> [String] {
        (0..<n).map { i in p.flatMap { i < $0.count ? CSV.number($0[i]) : nil } ?? "" }
    }

    static func flag(_ b: Bool) -> String { b ? "1" : "0" }


    // MARK: asciicast v2

    /// The asciicast v2 header: terminal size fits the map and two status lines.
    static func asciicastSize(_ reader: TapeReader) -> (width: Int, height: Int) {
        let map = reader.scenario.map
        return (max(map.width, 72), map.height + 2)
    }

    static func asciicast(_ reader: TapeReader, write: (String) throws(TapeError) -> Void) throws(TapeError) {
        let (width, height) = asciicastSize(reader)
        let h = reader.header
        let title = "playgrid tape: \(reader.scenario.name), seed \(h.seed), agent \(h.agent), fun \(h.funSpec)"
        try write("{\"version\":2,\"width\":\(width),\"height\":\(height),\"title\":\(StableJSON.quoted(title)),\"env\":{\"TERM\":\"xterm-256color\",\"SHELL\":\"/bin/sh\"}}\n")
        // The opening frame: the world before the first step.
        do {
            let start = try TrialWorld(scenario: reader.scenario, seed: h.seed)
            try write(event(0, screen(start.world, status: ["trial 0 episode 0 step 0", "start"], width: width)))
        } catch {
            throw TapeError(.badScenario, path: reader.path, "the embedded scenario cannot start: \(error)")
        }
        let names = h.funComponents
        try TapePass.run(reader) { step, world, _ throws(TapeError) in
            var line1 = "trial \(step.trial) episode \(step.episode) step \(step.step)  <\(step.action.task.name), \(step.action.play.name)>"
            if step.manual { line1 += "  (by hand)" }
            if step.outcome.endsEpisode { line1 += step.outcome.contains(.succeeded) ? "  done: success" : "  done" }
            var line2 = "task \(signed(step.taskReward))"
            for (name, value) in zip(names, step.fun) { line2 += "  \(name) \(signed(value))" }
            if !step.events.isEmpty { line2 += "  " + step.events.names.joined(separator: " ") }
            let time = Double(step.index + 1) * asciicastStepSeconds
            try write(event(time, screen(world, status: [line1, line2], width: width)))
        }
    }

    static func signed(_ x: Float) -> String {
        let v = (Double(x) * 1000).rounded() / 1000
        return (v >= 0 ? "+" : "") + String(v)
    }

    /// Clears the screen, draws the map and the status lines.
    static func screen(_ world: World, status: [String], width: Int) -> String {
        let rows = WorldText.lines(world) + status.map { String($0.prefix(width)) }
        return "\u{1B}[H\u{1B}[2J" + rows.joined(separator: "\r\n")
    }

    static func event(_ time: Double, _ data: String) -> String {
        let t = (time * 1000).rounded() / 1000
        return "[\(t),\"o\",\(StableJSON.quoted(data))]\n"
    }
}
