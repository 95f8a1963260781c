import ArgumentParser
import Foundation
import Records
import Tapes

/// `playgrid tape info|verify|export`: look inside, check and export recorded trajectories.
struct Tape: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inspect, verify and export trajectory tapes (recorded with run --record).",
        subcommands: [Info.self, Verify.self, Export.self]
    )

    /// Reports a tape that stopped short (truncated or damaged) after its readable part was used: one stderr line
    /// and the tape error's exit status.
    static func finish(_ reader: TapeReader) throws {
        if let problem = reader.problem {
            printError("playgrid: \(problem)")
            throw ExitCode(problem.exitStatus)
        }
    }

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Describe a tape: run, size, and whether it is complete.")

        @Argument(help: "The tape file.")
        var tape: String

        @Flag(help: "Print one JSON object.")
        var json = false

        func run() throws {
            let reader = try reportingFailures { try TapeReader(path: tape) }
            let info = TapeInfo(reader)
            if json {
                print(try StableJSON.string(info))
            } else {
                print(info.table)
            }
            try Tape.finish(reader)
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-simulate a tape from its scenario, seed and actions; exit non-zero at the first divergence.")

        @Argument(help: "The tape file.")
        var tape: String

        func run() throws {
            let (reader, report) = try reportingFailures { () throws -> (TapeReader, TapePass.Report) in
                let reader = try TapeReader(path: tape)
                return (reader, try TapePass.run(reader))
            }
            let scope = reader.problem == nil ? "" : " (the readable part)"
            print("ok: \(report.steps) steps\(scope) in \(report.episodes) finished episodes re-simulate exactly; \(report.keyframes) key frames and \(report.chunks) chunks checked")
            try Tape.finish(reader)
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export a tape: jsonl or csv (one row per step, for pandas) or asciicast (v2, plays in asciinema).")

        @Argument(help: "The tape file.")
        var tape: String

        @Option(help: "jsonl, csv or asciicast.")
        var format: String

        @Option(help: "Write here instead of standard output.")
        var out: String?

        @Flag(help: "Overwrite --out if it is an export of this format.")
        var force = false

        func validate() throws {
            guard TapeExport.Format(rawValue: format) != nil else {
                throw ValidationError("--format must be one of \(TapeExport.Format.allCases.map(\.rawValue).joined(separator: ", ")), found '\(format)'")
            }
        }

        func run() throws {
            let reader = try reportingFailures { () throws -> TapeReader in
                if let out, Export.sameFile(out, tape) {
                    throw CommandFailure("\(out): is the tape being exported; --out names the file to write the \(format) to")
                }
                let reader = try TapeReader(path: tape)
                let format = TapeExport.Format(rawValue: format)!
                let output = try out.map { path throws(TapeError) in
                    try TextOutput(path: path, force: force, what: "\(format) export", signature: format.signature)
                } ?? TextOutput()
                try TapeExport.export(reader, format: format) { text throws(TapeError) in
                    try output.write(text)
                }
                try output.close()
                return reader
            }
            try Tape.finish(reader)
        }

        /// Whether two paths name one file (through `.`, `..`, symbolic and hard links): `--out` the tape itself, even
        /// with `--force`, would replace the recording with its export.
        static func sameFile(_ a: String, _ b: String) -> Bool {
            var first = stat(), second = stat()
            guard stat(a, &first) == 0, stat(b, &second) == 0 else { return false }
            return first.st_dev == second.st_dev && first.st_ino == second.st_ino
        }
    }
}

/// What `tape info` reports, as text or JSON.
struct TapeInfo: Codable {
    var path: String
    var formatVersion: Int
    var toolVersion: String
    var scenario: String
    var scenarioOrigin: String
    var scenarioHash: String
    var seed: UInt64
    var agent: String
    var checkpointHash: String?
    var fun: String
    var funComponents: [String]
    var steps: Int
    var episodes: Int
    var finishedEpisodes: Int
    var trials: Int
    /// Training snapshots (`train --tapes`): each one's update and training step.
    var snapshots: [Snapshot]
    var chunks: Int
    var keyframes: Int
    var bytes: Int
    var bytesPerStep: Double
    var status: String
    var problem: String?

    /// `tape info --json` spells its keys in snake_case.
    enum CodingKeys: String, CodingKey {
        case path
        case formatVersion = "format_version"
        case toolVersion = "tool_version"
        case scenario
        case scenarioOrigin = "scenario_origin"
        case scenarioHash = "scenario_hash"
        case seed
        case agent
        case checkpointHash = "checkpoint_hash"
        case fun
        case funComponents = "fun_components"
        case steps
        case episodes
        case finishedEpisodes = "finished_episodes"
        case trials
        case snapshots
        case chunks
        case keyframes
        case bytes
        case bytesPerStep = "bytes_per_step"
        case status
        case problem
    }

    init(_ r: TapeReader) {
        let h = r.header
        path = r.path
        formatVersion = Int(r.version)
        toolVersion = h.toolVersion
        scenario = r.scenario.name
        scenarioOrigin = h.scenarioOrigin
        scenarioHash = String(format: "%016llx", h.scenarioHash)
        seed = h.seed
        agent = h.agent
        checkpointHash = h.checkpointHash
        fun = h.funSpec
        funComponents = h.funComponents
        steps = r.stepCount
        episodes = r.episodes
        finishedEpisodes = r.completedEpisodes
        trials = r.trials
        snapshots = r.snapshots.map { Snapshot(update: $0.update, trainingStep: $0.trainingStep, firstStep: $0.firstStep) }
        chunks = r.chunkCount
        keyframes = r.keyframeCount
        bytes = r.bytes.count
        bytesPerStep = r.stepCount == 0 ? 0 : Double(r.intactBytes) / Double(r.stepCount)
        status = r.isComplete ? "complete" : r.isDamaged ? "damaged" : "truncated"
        problem = r.problem?.message
    }

    struct Snapshot: Codable {
        var update: Int
        var trainingStep: Int
        var firstStep: Int

        enum CodingKeys: String, CodingKey {
            case update
            case trainingStep = "training_step"
            case firstStep = "first_step"
        }
    }

    var table: String {
        let rows: [(String, String)] = [
            // A problem's message begins with what it is ("truncated: the tape ends…"): say it once.
            ("tape", path), ("status", problem.map { $0.hasPrefix(status) ? $0 : "\(status): \($0)" } ?? status),
            ("scenario", "\(scenario) (\(scenarioOrigin), hash \(scenarioHash))"), ("seed", String(seed)),
            ("agent", agent + (checkpointHash.map { " (checkpoint \($0))" } ?? "")), ("fun", fun),
            ("steps", String(steps)), ("episodes", "\(episodes) (\(finishedEpisodes) finished)"), ("trials", String(trials)),
            ("snapshots", snapshots.isEmpty ? "none" : "\(snapshots.count), updates \(snapshots[0].update) to \(snapshots.last!.update) (training steps \(snapshots[0].trainingStep) to \(snapshots.last!.trainingStep))"),
            ("records", "\(chunks) chunks, \(keyframes) key frames"),
            ("size", "\(bytes) bytes, \(String(format: "%.2f", bytesPerStep)) bytes per step"),
            ("written by", "\(toolVersion), tape format \(formatVersion)"),
        ]
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }.joined(separator: "\n")
    }
}
