import Foundation
import Spelling

/// Reading a file a person named: one place that tells a missing file, a folder and an unreadable file apart,
/// so every command says which it was.
public enum ReadableFile {
    /// The file's bytes; `what` names what was expected ("a run report"), for the error.
    public static func contents(of path: String, expecting what: String) throws(FileError) -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw FileError(path: path, "no such file, expected \(what)")
        }
        if isDirectory.boolValue { throw FileError(path: path, "is a folder, expected \(what)") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FileError(path: path, "cannot be read (permissions?), expected \(what)")
        }
        return data
    }

    /// The first `count` bytes of the file at `path` (fewer if it is shorter); nil when it cannot be read.
    public static func leadingBytes(of path: String, count: Int) -> [UInt8]? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        do { return Array(try handle.read(upToCount: count) ?? Data()) } catch { return nil }  // nil data: an empty file
    }

    /// Whether `--force` may replace the file at `path` with a file that begins with `signature`: it is empty, begins
    /// as such a file does (as far as it goes), or cannot be read to tell. So a slip that names another kind of file
    /// (a checkpoint, a scenario) as an output cannot destroy it.
    public static func isReplaceable(_ path: String, by signature: [UInt8]) -> Bool {
        guard let start = leadingBytes(of: path, count: signature.count) else { return true }
        return signature.starts(with: start)
    }
}

extension StableJSON {
    /// Why a JSON record did not decode, in a few words: not JSON at all, cut short or a misread number (out of
    /// range, a fraction where a whole number is, a negative one where none can be) with its line and column, a
    /// missing key, or a value of the wrong kind, with its key path.
    public static func reason(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func at(_ path: [any CodingKey]) -> String {
            path.isEmpty ? "" : " at " + path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .dataCorrupted(let c) where c.codingPath.isEmpty: return "not valid JSON (not JSON at all, or empty)"
        case .dataCorrupted(let c): return "a value that cannot be read\(at(c.codingPath))"
        case .keyNotFound(let key, let c): return "no '\(key.stringValue)'\(at(c.codingPath))"
        case .typeMismatch(let type, let c): return "expected \(valueKind(type))\(at(c.codingPath))"
        case .valueNotFound(let type, let c): return "expected \(valueKind(type)), found null\(at(c.codingPath))"
        @unknown default: return "\(error)"
        }
    }
}
