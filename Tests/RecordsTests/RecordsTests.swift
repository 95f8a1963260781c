import Foundation
import Records
import TestSupport
import Testing

@Suite struct StableJSONTests {
    struct Record: Codable, Equatable {
        var name: String
        var values: [Double]
        var rate: Float
        var note: String?
    }

    @Test("keys are sorted; NaN is written as null and ±∞ as ±1e999, and both read back")
    func nonFiniteAsNull() throws {
        let record = Record(name: "a \"quoted\" null", values: [1.5, .nan, .infinity, -.infinity], rate: .nan, note: nil)
        let text = try StableJSON.string(record)
        #expect(text == #"{"name":"a \"quoted\" null","rate":null,"values":[1.5,null,1e999,-1e999]}"#)
        let back = try StableJSON.decode(Record.self, from: Data(text.utf8))
        #expect(back.name == record.name && back.note == nil && back.rate.isNaN)
        #expect(back.values[0] == 1.5 && back.values[1].isNaN && back.values[2...] == [.infinity, -.infinity])
    }

    @Test("records written before the one encoding, with non-finite numbers as strings, still read")
    func legacyStrings() throws {
        let old = #"{"name":"x","rate":"nan","values":["+inf","-inf",2]}"#
        let back = try StableJSON.decode(Record.self, from: Data(old.utf8))
        #expect(back.rate.isNaN && back.values == [.infinity, -.infinity, 2])
    }

    @Test("equal values give equal bytes, whatever order a dictionary was filled in")
    func stable() throws {
        var a: [String: Int] = [:], b: [String: Int] = [:]
        for k in ["z", "a", "m"] { a[k] = k.count }
        for k in ["m", "z", "a"] { b[k] = k.count }
        #expect(try StableJSON.data(a) == StableJSON.data(b))
        #expect(try StableJSON.string(["path": "a/b"]) == #"{"path":"a/b"}"#)
    }
}

@Suite struct CSVTests {
    @Test("fields are quoted only when they must be, and non-finite numbers are empty")
    func fields() {
        #expect(CSV.row(["plain", "a,b", "say \"hi\"", "two\nlines"]) == "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"\n")
        #expect(CSV.number(.nan) == "" && CSV.number(Float.infinity) == "")
        #expect(CSV.number(0.1) == "0.1" && CSV.number(Float(0.1)) == "0.1")
        #expect(CSV.number(123456.789, significantDigits: 5) == "1.2346e+05")
    }

    @Test("an appended file starts with its header once, and continuing keeps the rows already there")
    func appending() throws {
        let path = Scratch.path("appended.csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let file = try CSVAppender(path: path, header: ["a", "b"], continuing: true)
            try file.append(["1", "2"])
        }
        do {
            let file = try CSVAppender(path: path, header: ["a", "b"], continuing: true)
            try file.append(["3", "x,y"])
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "a,b\n1,2\n3,\"x,y\"\n")
        _ = try CSVAppender(path: path, header: ["c"], continuing: false)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "c\n")
    }

    @Test("a file that cannot be opened is one error naming it")
    func unwritable() {
        #expect(throws: FileError(path: "/nonexistent-folder/x.csv", "cannot be written: No such file or directory")) {
            _ = try CSVAppender(path: "/nonexistent-folder/x.csv", header: ["a"], continuing: false)
        }
    }
}

@Suite struct AtomicFileTests {
    @Test("a write replaces the whole file and leaves no temporary file behind")
    func replaces() throws {
        let folder = try Scratch.folder("pg-atomic")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/record.json"
        try AtomicFile.write(text: "a much longer first version", to: path)
        try AtomicFile.write(text: "short", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "short")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["record.json"])
    }

    @Test("a write removes the temporary files its file's killed writers left, and not those of writers still running")
    func removesLeftovers() throws {
        let folder = try Scratch.folder("pg-leftovers")
        let path = folder + "/agent.pgck"
        // No process has the largest pid; pid 1 always runs.
        let killed = folder + "/.agent.pgck.tmp-\(Int32.max)", running = folder + "/.agent.pgck.tmp-1"
        let other = folder + "/.other.pgck.tmp-\(Int32.max)"
        for leftover in [killed, running, other] { try "half a file".write(toFile: leftover, atomically: false, encoding: .utf8) }
        try AtomicFile.write(text: "whole", to: path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == [".agent.pgck.tmp-1", ".other.pgck.tmp-\(Int32.max)", "agent.pgck"])
    }

    @Test("a write through a symbolic link replaces the file it names and keeps the link")
    func throughLink() throws {
        let folder = try Scratch.folder("pg-atomic-link")
        try FileManager.default.createDirectory(atPath: folder + "/runs", withIntermediateDirectories: true)
        let target = folder + "/runs/agent.pgck", link = folder + "/latest.pgck"
        try AtomicFile.write(text: "old", to: target)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "runs/agent.pgck")
        try AtomicFile.write(text: "new", to: link)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "runs/agent.pgck")
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "new")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/runs") == ["agent.pgck"])
    }

    @Test("a folder that does not exist is one error naming the file, and nothing is written")
    func missingFolder() {
        #expect(throws: FileError.self) { try AtomicFile.write(text: "x", to: "/nonexistent-folder/y.json") }
        #expect(!FileManager.default.fileExists(atPath: "/nonexistent-folder/y.json"))
    }
}

@Suite struct OutputFolderTests {
    @Test("an output folder is made with the folders above it; one already there is fine; a file in the way is named, in one line")
    func create() throws {
        let root = try Scratch.folder("output")
        try OutputFolder.create(root + "/a/b/c")
        try OutputFolder.create(root + "/a/b/c")
        var isFolder: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: root + "/a/b/c", isDirectory: &isFolder) && isFolder.boolValue)
        try "x".write(toFile: root + "/file", atomically: true, encoding: .utf8)
        #expect(throws: FileError(path: root + "/file", "is a file, not a folder")) { try OutputFolder.create(root + "/file/results/cells") }
        #expect(throws: FileError(path: root + "/file", "is a file, not a folder")) { try OutputFolder.create(root + "/file") }
        #expect(throws: FileError(path: "\"\"", "an empty path names no folder")) { try OutputFolder.create("") }
        #expect("\(FileError(path: "\"\"", "an empty path names no folder"))" == "\"\": an empty path names no folder")
    }

    @Test("an output file that cannot be written is refused before any work: empty, a folder, in no folder, where no file can be made")
    func outputFile() throws {
        let root = try Scratch.folder("outfile")
        #expect(throws: FileError(path: "\"\"", "an empty path names no file; expected a plot")) { try OutputFile.check("", expecting: "a plot") }
        #expect(throws: FileError(path: root, "is a folder, expected a plot")) { try OutputFile.check(root, expecting: "a plot") }
        #expect(throws: FileError(path: root + "/no/x.svg", "no folder \(root)/no to write a plot in")) { try OutputFile.check(root + "/no/x.svg", expecting: "a plot") }
        try OutputFile.check(root + "/x.svg", expecting: "a plot")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).isEmpty, "the probe leaves nothing behind")
        #if os(Linux)
        #expect(throws: FileError.self) { try OutputFile.check("/proc/x.svg", expecting: "a plot") }
        #endif
    }
}

@Suite struct ReadableFileTests {
    @Test("a file a person named: missing, a folder, or its bytes; each failure says which and what was expected")
    func contents() throws {
        let folder = try Scratch.folder("readable")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(throws: FileError(path: folder + "/x.json", "no such file, expected a report")) {
            try ReadableFile.contents(of: folder + "/x.json", expecting: "a report")
        }
        #expect(throws: FileError(path: folder, "is a folder, expected a report")) { try ReadableFile.contents(of: folder, expecting: "a report") }
        try "{}".write(toFile: folder + "/x.json", atomically: true, encoding: .utf8)
        #expect(try ReadableFile.contents(of: folder + "/x.json", expecting: "a report") == Data("{}".utf8))
    }

    @Test("why JSON did not decode, in words: cut short, a missing key, a value of the wrong kind, with its key path")
    func decodingReasons() {
        struct Inner: Decodable { var n: Int }
        struct Record: Decodable { var name: String; var items: [Inner] }
        func reason(_ text: String) -> String {
            switch Result(catching: { try StableJSON.decode(Record.self, from: Data(text.utf8)) }) {
            case .success: return "decoded"
            case .failure(let error): return StableJSON.reason(error)
            }
        }
        #expect(reason(#"{"name": "a", "items": [{"n""#).hasPrefix("not valid JSON"))
        #expect(reason(#"{"items": []}"#) == "no 'name'")
        #expect(reason(#"{"name": "a", "items": [{"n": "x"}]}"#) == "expected a whole number at items.[0].n")
    }

    @Test("JSON cut short is located where the text ends: its last line, one past its last character (in characters; a final newline ends that line)")
    func cutShortLocated() {
        let reason = Self.numbersReason
        #expect(reason("{\n  \"name\": \"é\",\n  \"count\": 1, \"ra") == "not valid JSON: it ends at line 3, column 18, inside a value (cut short?)")
        #expect(reason("{\n  \"name\": \"é\",\n") == "not valid JSON: it ends at line 2, column 15, inside a value (cut short?)")
        #expect(reason("{\"rate\": 1e999, \"seed\": 1") == "not valid JSON: it ends at line 1, column 26, inside a value (cut short?)")
        #expect(reason("{\"name\": x}").hasPrefix("not valid JSON (not JSON at all"), "broken before its end is not cut short")
        #expect(reason("  \n").hasPrefix("not valid JSON (not JSON at all, or empty)"))
    }

    @Test("a value of the wrong kind is named in the file's words, never as a Swift type")
    func decodingKindsInWords() {
        struct Record: Decodable { var whole: Int; var number: Double; var text: String; var flag: Bool; var list: [Int]; var object: [String: Int] }
        let good = ["whole": "1", "number": "0.5", "text": #""a""#, "flag": "true", "list": "[1]", "object": #"{"a": 1}"#]
        func reason(replacing key: String, with value: String) -> String {
            var fields = good
            fields[key] = value
            let text = "{" + fields.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ") + "}"
            switch Result(catching: { try StableJSON.decode(Record.self, from: Data(text.utf8)) }) {
            case .success: return "decoded"
            case .failure(let error): return StableJSON.reason(error)
            }
        }
        #expect(reason(replacing: "whole", with: "1") == "decoded")
        #expect(reason(replacing: "whole", with: #""x""#) == "expected a whole number at whole")
        #expect(reason(replacing: "number", with: "[]") == "expected a number at number")
        #expect(reason(replacing: "text", with: "3") == "expected text at text")
        #expect(reason(replacing: "flag", with: #""yes""#) == "expected true or false at flag")
        #expect(reason(replacing: "list", with: "{}") == "expected a list at list")
        #expect(reason(replacing: "object", with: "[1]") == "expected an object at object")
        #expect(reason(replacing: "list", with: #"["a"]"#) == "expected a whole number at list.[0]")
    }

    /// A record with numbers of each kind, and why `text` did not decode as one ("decoded" if it did).
    struct Numbers: Decodable { var count: Int; var seed: UInt64; var rate: Float; var name: String }
    static func numbersReason(_ text: String) -> String {
        switch Result(catching: { try StableJSON.decode(Numbers.self, from: Data(text.utf8)) }) {
        case .success: return "decoded"
        case .failure(let error): return StableJSON.reason(error)
        }
    }

    @Test("a number too big for its value is out of range, with its line and column, not 'not valid JSON'")
    func numberOutOfRange() {
        let reason = Self.numbersReason
        let big = "123456789012345678901234567890"
        #expect(reason("{\n  \"name\": \"é 1e400\",\n  \"count\": \(big), \"seed\": 18446744073709551615, \"rate\": 1e999\n}") ==
                "a number out of range at line 3, column 12: \(big)")
        #expect(reason(#"{"name": "é", "count": 1, "seed": 1, "rate": 1e400}"#) == "a number out of range at line 1, column 46: 1e400")
        #expect(reason(#"{"name": "a", "count": 1, "seed": 1, "rate": -3.5e38}"#) == "a number out of range at line 1, column 46: -3.5e38")
        #expect(reason(#"{"name": "a", "count": 1, "seed": 18446744073709551615, "rate": 1e999}"#) == "decoded")
        #expect(reason(#"{"name": "a", "count": \#(big), "seed": 1, "#).hasPrefix("not valid JSON"), "cut short is cut short, whatever it holds")
    }

    @Test("a fraction where a whole number is expected is named with its line and column, not 'not valid JSON'")
    func fractionForWholeNumber() {
        let reason = Self.numbersReason
        #expect(reason(#"{"name": "a", "count": 1.5, "seed": 1, "rate": 0.25}"#) ==
                "a fraction where a whole number is expected at line 1, column 24: 1.5")
        // Fractions before and after it that belong where they are, and a second bad one: the first bad one is named.
        #expect(reason("{\"rate\": -2.5e-3,\n \"name\": \"1.5\", \"count\": 7, \"seed\": 2.75, \"x\": [0.5, 3.5]}") ==
                "a fraction where a whole number is expected at line 2, column 37: 2.75")
        #expect(reason(#"{"name": "a", "count": 2, "seed": 1, "rate": 0.25}"#) == "decoded")
        #expect(reason(#"{"name": "a", "count": 1.5, "seed": 1, "rate": 0.25"#).hasPrefix("not valid JSON"), "cut short is cut short")
    }

    @Test("a negative number where none can be (a seed) is named with its line and column, not 'not valid JSON'")
    func negativeForUnsigned() {
        let reason = Self.numbersReason
        #expect(reason("{\"rate\": -0.5, \"count\": -3,\n \"name\": \"-1\", \"seed\": -1}") ==
                "a negative number where none can be (a seed or count) at line 2, column 24: -1")
        #expect(reason(#"{"name": "a", "count": -2, "seed": 1, "rate": -0.25}"#) == "decoded")
        #expect(reason(#"{"name": "a", "count": 1, "seed": -1, "rate": 0.25"#).hasPrefix("not valid JSON"), "cut short is cut short")
    }
}

@Suite struct FileKindTests {
    @Test("a file is named by its first bytes: each of PlayGrid's kinds, empty, JSON, SVG; text it cannot place is not named")
    func describe() {
        for kind in FileKind.allCases { #expect(FileKind.describe(kind.signature + [0, 1, 2]) == kind.name) }
        #expect(Set(FileKind.allCases.map(\.signature)).count == FileKind.allCases.count, "signatures are distinct")
        #expect(FileKind.describe([UInt8]()) == "an empty file")
        #expect(FileKind.describe(Array("  {\"scenario\": 1}".utf8)) == "a JSON file")
        #expect(FileKind.describe(Array("<svg xmlns".utf8)) == "an SVG or other XML file")
        #expect(FileKind.describe(Array("name: rock-garden".utf8)) == nil && FileKind.identified(Array("PGC".utf8)) == "")
        #expect(FileKind.identified(FileKind.skillFile.signature) == "; it is a skill file (playgrid skills learn)")
    }
}
