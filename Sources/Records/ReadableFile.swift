import Foundation

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
}

extension StableJSON {
    /// Why a JSON record did not decode, in a few words: not JSON at all (e.g. cut short), a missing key, or a
    /// value of the wrong kind, with its key path.
    public static func reason(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func at(_ path: [any CodingKey]) -> String {
            path.isEmpty ? "" : " at " + path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .dataCorrupted(let c) where c.codingPath.isEmpty: return "not valid JSON (cut short or not JSON at all)"
        case .dataCorrupted(let c): return "a value that cannot be read\(at(c.codingPath))"
        case .keyNotFound(let key, let c): return "no '\(key.stringValue)'\(at(c.codingPath))"
        case .typeMismatch(let type, let c): return "expected \(type)\(at(c.codingPath))"
        case .valueNotFound(let type, let c): return "expected \(type), found null\(at(c.codingPath))"
        @unknown default: return "\(error)"
        }
    }
}
