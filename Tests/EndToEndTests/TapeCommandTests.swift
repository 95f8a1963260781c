import Foundation
import Testing
import TestSupport

/// End to end: the built `playgrid` binary records, inspects, verifies and exports tapes, and fails cleanly.
@Suite struct TapeCommandTests {
    static let root = Repository.root

    struct Result {
        var status: Int32
        var out: String
        var err: String
    }

    /// Starts `playgrid` with `arguments`, in `folder` when given (for bare file names).
    static func start(_ arguments: [String], in folder: String? = nil) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try BuiltProducts.path("playgrid"))
        process.arguments = arguments
        if let folder { process.currentDirectoryURL = URL(fileURLWithPath: folder) }
        var environment = ProcessInfo.processInfo.environment
        environment["PLAYGRID_HOME"] = root.path
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }

    static func playgrid(_ arguments: String...) throws -> Result {
        try playgrid(arguments)
    }

    static func playgrid(_ arguments: [String], in folder: String? = nil) throws -> Result {
        let (process, out, err) = try start(arguments, in: folder)
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, out: String(decoding: stdout, as: UTF8.self),
                      err: String(decoding: stderr, as: UTF8.self))
    }

    /// The status row of `tape info`'s table.
    static func statusLine(_ r: Result) -> Substring {
        r.out.split(separator: "\n").first { $0.hasPrefix("status ") } ?? ""
    }

    /// One clear line on stderr and a status from 1 to 127.
    static func expectCleanFailure(_ r: Result, _ status: Int32, mentioning text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.status == status, "stderr: \(r.err)", sourceLocation: sourceLocation)
        #expect((1...127).contains(r.status), sourceLocation: sourceLocation)
        #expect(r.err.split(separator: "\n").count == 1, "stderr: \(r.err)", sourceLocation: sourceLocation)
        #expect(r.err.contains(text), "stderr: \(r.err)", sourceLocation: sourceLocation)
    }

    @Test("run --record, tape info, verify and export work, and every bad tape fails with one line and a status from 1 to 127")
    func endToEnd() throws {
        let tape = Scratch.path("run.tape")
        var r = try Self.playgrid("run", "rock-garden", "--agent", "player", "--episodes", "12", "--seed", "2", "--record", tape)
        #expect(r.status == 0, "stderr: \(r.err)")
        Self.expectCleanFailure(try Self.playgrid("run", "rock-garden", "--episodes", "1", "--record", tape), 1, mentioning: "--force")
        r = try Self.playgrid("run", "rock-garden", "--agent", "player", "--episodes", "12", "--seed", "2", "--record", tape, "--force")
        #expect(r.status == 0)

        r = try Self.playgrid("tape", "info", tape, "--json")
        #expect(r.status == 0, "stderr: \(r.err)")
        let info = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        #expect(info["status"] as? String == "complete")
        #expect(info["scenario"] as? String == "rock-garden")
        #expect(info["seed"] as? Int == 2)
        #expect(info["agent"] as? String == "player")
        #expect(info["finished_episodes"] as? Int == 12)
        #expect(info["trials"] as? Int == 3)
        let steps = try #require(info["steps"] as? Int)
        #expect(steps > 12)

        r = try Self.playgrid("tape", "verify", tape)
        #expect(r.status == 0 && r.out.hasPrefix("ok: \(steps) steps"), "\(r.out) \(r.err)")

        let jsonl = Scratch.path("run.jsonl")
        r = try Self.playgrid("tape", "export", tape, "--format", "jsonl", "--out", jsonl)
        #expect(r.status == 0, "stderr: \(r.err)")
        #expect(try String(contentsOfFile: jsonl, encoding: .utf8).split(separator: "\n").count == steps)
        Self.expectCleanFailure(try Self.playgrid("tape", "export", tape, "--format", "jsonl", "--out", jsonl), 1, mentioning: "--force")
        r = try Self.playgrid("tape", "export", tape, "--format", "jsonl", "--out", jsonl, "--force")
        #expect(r.status == 0, "an export replaces an export: \(r.err)")
        // --force replaces an export of its format only: never another tape, a checkpoint, the tape itself through a
        // hard link, a scenario, or an export of another format that a slip names as the export's path.
        let other = Scratch.path("other.tape"), checkpoint = Scratch.path("kept.pgck")
        let link = Scratch.path("run-link.tape"), scenario = Scratch.path("kept.yaml")
        let otherBytes = try Data(contentsOf: URL(fileURLWithPath: tape)), checkpointBytes = Data(Array("PGCK".utf8) + [2, 0, 0, 0])
        let scenarioBytes = try Data(contentsOf: Self.root.appendingPathComponent("scenarios/rock-garden.yaml"))
        try otherBytes.write(to: URL(fileURLWithPath: other))
        try checkpointBytes.write(to: URL(fileURLWithPath: checkpoint))
        try scenarioBytes.write(to: URL(fileURLWithPath: scenario))
        try? FileManager.default.removeItem(atPath: link)
        try FileManager.default.linkItem(atPath: tape, toPath: link)
        for (out, format, refusal) in [(other, "csv", "is a tape (playgrid run --record), so --force does not overwrite it with a csv export"),
                                       (checkpoint, "jsonl", "is a checkpoint (playgrid train), so --force does not overwrite it"),
                                       (link, "csv", "is the tape being exported"),
                                       (scenario, "csv", "is not a csv export, so --force does not overwrite it"),
                                       (jsonl, "csv", "is not a csv export")] {
            Self.expectCleanFailure(try Self.playgrid("tape", "export", tape, "--format", format, "--out", out, "--force"), 1, mentioning: refusal)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: other)) == otherBytes)
        #expect(try Data(contentsOf: URL(fileURLWithPath: checkpoint)) == checkpointBytes)
        #expect(try Data(contentsOf: URL(fileURLWithPath: tape)) == otherBytes)
        #expect(try Data(contentsOf: URL(fileURLWithPath: scenario)) == scenarioBytes)
        r = try Self.playgrid("tape", "export", tape, "--format", "asciicast")
        #expect(r.status == 0 && r.out.split(separator: "\n").count == steps + 2)

        // Damage: one changed byte in the middle.
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: tape)))
        var damaged = bytes
        damaged[bytes.count / 2] ^= 0x5A
        let damagedPath = Scratch.path("damaged.tape")
        try Data(damaged).write(to: URL(fileURLWithPath: damagedPath))
        Self.expectCleanFailure(try Self.playgrid("tape", "verify", damagedPath), 3, mentioning: "damaged record")
        r = try Self.playgrid("tape", "info", damagedPath)
        Self.expectCleanFailure(r, 3, mentioning: "record")
        #expect(Self.statusLine(r).hasPrefix("status      damaged record "), "\(r.out)")

        // Truncation: info still describes what is there.
        bytes.removeLast(100)
        let cutPath = Scratch.path("cut.tape")
        try Data(bytes).write(to: URL(fileURLWithPath: cutPath))
        r = try Self.playgrid("tape", "info", cutPath)
        Self.expectCleanFailure(r, 3, mentioning: "truncated")
        #expect(Self.statusLine(r).hasPrefix("status      truncated inside record "), "\(r.out)")
        Self.expectCleanFailure(try Self.playgrid("tape", "verify", cutPath), 3, mentioning: "truncated")

        // Not tapes at all.
        Self.expectCleanFailure(try Self.playgrid("tape", "info", "/nonexistent/x.tape"), 1, mentioning: "no such file")
        let text = Scratch.path("notes.txt")
        try Data("just some notes\n".utf8).write(to: URL(fileURLWithPath: text))
        Self.expectCleanFailure(try Self.playgrid("tape", "verify", text), 2, mentioning: "not a PlayGrid tape")
        Self.expectCleanFailure(try Self.playgrid("tape", "export", text, "--format", "csv"), 2, mentioning: "not a PlayGrid tape")
    }

    @Test("run prints the play metrics in its table; a tape of a family with hidden rules verifies and is of format 2")
    func hiddenRules() throws {
        let tape = Scratch.path("tinker-lab.tape")
        var r = try Self.playgrid("run", "tinker-lab", "--agent", "greedy", "--episodes", "8", "--seed", "3", "--record", tape)
        #expect(r.status == 0, "stderr: \(r.err)")
        let rows = Dictionary(r.out.split(separator: "\n").map { line -> (String, String) in
            let parts = line.split(separator: "  ", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }, uniquingKeysWith: { a, _ in a })
        #expect(Double(rows["effective play ratio"] ?? "") ?? 0 > 0, "\(r.out)")
        #expect(rows["play by episode index"]?.split(separator: " ").count == 4, "\(r.out)")
        #expect(Double(rows["play per opportunity"] ?? "") ?? 0 > 0, "\(r.out)")
        let discovery = try #require(rows["discovery step by rule"], "\(r.out)")
        #expect(discovery.hasPrefix("bridge ") && discovery.contains(", signal ") && discovery.contains(", trigger "))

        r = try Self.playgrid("tape", "verify", tape)
        #expect(r.status == 0 && r.out.hasPrefix("ok: "), "\(r.out) \(r.err)")
        r = try Self.playgrid("tape", "info", tape)
        #expect(r.out.contains("tape format 2"), "\(r.out)")
        r = try Self.playgrid("run", "rock-garden", "--agent", "player", "--episodes", "2")
        #expect(r.out.contains("effective play ratio") && !r.out.contains("discovery step by rule"), "no hidden rules, no row: \(r.out)")
        r = try Self.playgrid("run", "rock-garden", "--agent", "greedy", "--episodes", "2")
        #expect(r.out.contains("\nplay events               none\n"), "a run without play says so, not an empty row: \(r.out)")
    }

    @Test("A recording killed mid-run leaves a tape that reads and verifies up to its last complete record")
    func killedWriter() throws {
        let tape = Scratch.path("killed.tape")
        let (process, _, _) = try Self.start(["run", "open-field", "--agent", "random", "--episodes", "10000000", "--record", tape])
        var waited = 0
        while waited < 100 {
            usleep(50_000)
            waited += 1
            let size = (try? FileManager.default.attributesOfItem(atPath: tape)[.size] as? Int) ?? 0
            if size > 20_000 { break }
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        // Killed between records or inside one: either way the word is said once.
        let status = Self.statusLine(try Self.playgrid("tape", "info", tape))
        #expect(status.hasPrefix("status      truncated") && status.components(separatedBy: "truncated").count == 2, "\(status)")
        let info = try Self.playgrid("tape", "info", tape, "--json")
        #expect(info.status == 3)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(info.out.utf8)) as? [String: Any])
        #expect(object["status"] as? String == "truncated")
        #expect((object["steps"] as? Int ?? 0) >= 256)
        let verify = try Self.playgrid("tape", "verify", tape)
        #expect(verify.status == 3 && verify.out.hasPrefix("ok: \(object["steps"] as? Int ?? -1) steps"), "\(verify.out) \(verify.err)")
    }
}
