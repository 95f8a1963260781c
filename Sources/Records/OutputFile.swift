import Foundation

/// The file a command will write, checked before any work: training, learning or evaluating for minutes only to find
/// at the end that the path is a folder, lies in no folder, or is empty wastes the work and says so too late.
public enum OutputFile {
    /// Refuses a `path` that cannot be written: empty, a folder, in a folder that does not exist, or where a file
    /// cannot be created (a read-only or special file system). `what` names the file expected ("a checkpoint file").
    /// A file already there is the caller's to refuse or replace.
    public static func check(_ path: String, expecting what: String) throws(FileError) {
        try checkPlace(path, expecting: what)
        try AtomicFile.probe(path)
    }

    /// Refuses a `path` that names no place for a file: empty, a folder, or in a folder that does not exist. For a
    /// writer that creates the file itself, where opening it reported these as "No such file or directory" or, for
    /// a folder, as a file that exists.
    public static func checkPlace(_ path: String, expecting what: String) throws(FileError) {
        if path.isEmpty { throw FileError(path: "\"\"", "an empty path names no file; expected \(what)") }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw FileError(path: path, "is a folder, expected \(what)")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw FileError(path: path, "no folder \(folder) to write \(what) in")
        }
    }
}
