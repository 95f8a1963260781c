import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Replaces whole files so that a reader (or a process started after a crash) sees either the old file or the
/// complete new one, never a mix: checkpoints, experiment records, plots and tables are all written this way.
public enum AtomicFile {
    /// Writes `bytes` to a temporary file in the same folder, flushes it to disk, and renames it over `path` — over
    /// the file a symbolic link at `path` names, since renaming over the link would replace the link and leave its
    /// file as it was.
    public static func write(_ bytes: [UInt8], to given: String) throws(FileError) {
        let (path, folder, name, temporary) = places(given)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileError(path: given, "cannot create a temporary file in \(folder): \(reason())") }
        let failure: String? = if let code = FileDescriptor.writeAll(bytes, to: fd) {
            "writing failed: \(String(cString: strerror(code)))"
        } else {
            fsync(fd) == 0 ? nil : "flushing to disk failed: \(reason())"
        }
        _ = close(fd)
        if let failure {
            unlink(temporary)
            throw FileError(path: given, failure)
        }
        if rename(temporary, path) != 0 {
            let why = reason()
            unlink(temporary)
            throw FileError(path: given, "cannot move the new file into place: \(why)")
        }
        removeLeftovers(of: name, in: folder)
    }

    /// Where writing `given` puts its bytes: the file (a symbolic link's target), its folder and name, and the
    /// temporary file written first.
    static func places(_ given: String) -> (path: String, folder: String, name: String, temporary: String) {
        var info = stat()
        let isLink = lstat(given, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
        let path = isLink ? URL(fileURLWithPath: given).resolvingSymlinksInPath().path : given
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        return (path, folder, name, (folder == "/" ? "/" : folder + "/") + ".\(name).tmp-\(getpid())")
    }

    /// Fails as `write(_:to:)` would if it could not create its temporary file beside `given` (a read-only folder or
    /// file system, a missing folder), without touching `given`: the temporary file is made and removed at once.
    public static func probe(_ given: String) throws(FileError) {
        let (_, folder, _, temporary) = places(given)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileError(path: given, "cannot create a temporary file in \(folder): \(reason())") }
        _ = close(fd)
        unlink(temporary)
    }

    /// Removes the temporary files that writers of the same file left when they were killed mid-write (their process
    /// is gone), which would otherwise stay hidden beside it for good: a partial checkpoint, megabytes, for each kill.
    static func removeLeftovers(of name: String, in folder: String) {
        let prefix = ".\(name).tmp-"
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for entry in entries where entry.hasPrefix(prefix) {
            guard let pid = Int32(entry.dropFirst(prefix.count)), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            unlink(folder + "/" + entry)
        }
    }

    /// Writes `text` as UTF-8, atomically.
    public static func write(text: String, to path: String) throws(FileError) {
        try write(Array(text.utf8), to: path)
    }

    static func reason() -> String { String(cString: strerror(errno)) }
}
