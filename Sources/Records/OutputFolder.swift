import Foundation

/// Making the folder a command writes into, with a failure that names the folder in the way and says why in the
/// system's words: Foundation's own error reads "The operation could not be completed. (NSCocoaErrorDomain error
/// 512.)", or prints as a dump of its fields.
public enum OutputFolder {
    /// Creates `path` and the folders above it that are missing; a folder already there is fine.
    public static func create(_ path: String) throws(FileError) {
        // An empty --out or --tapes failed as ": cannot create the folder", naming nothing.
        if path.isEmpty { throw FileError(path: "\"\"", "an empty path names no folder") }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
            if isFolder.boolValue { return }
            throw FileError(path: path, "is a file, not a folder")
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty && parent != path { try create(parent) }
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw FileError(path: path, "cannot create the folder: \(String(cString: strerror(errno)))")
        }
    }
}
