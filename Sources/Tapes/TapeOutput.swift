import Records
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a writer's bytes go: a file opened append-only, standard output, or memory (tests and benchmarks).
enum TapeOutput {
    case file(descriptor: Int32, path: String, what: String)
    case standardOutput
    case memory([UInt8])

    /// Creates the tape file (or what `what` names, e.g. an export); refuses an existing one unless `force` (then it
    /// is truncated). With `signature`, `force` overwrites only a file that starts with it (or its first bytes, or is
    /// empty): a `--record` path mistyped as the checkpoint or scenario the run reads is not a tape, and stays.
    static func create(path: String, force: Bool, what: String = "tape", signature: [UInt8]? = nil) throws(TapeError) -> TapeOutput {
        do {
            try OutputFile.checkPlace(path, expecting: "a \(what) file")
        } catch {
            throw TapeError(.io, path: error.path, error.message)
        }
        if force, let signature, !ReadableFile.isReplaceable(path, by: signature) {
            throw TapeError(.exists, path: path, "is not a \(what), so --force does not overwrite it; choose another path")
        }
        let flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (force ? O_TRUNC : O_EXCL)
        let fd = open(path, flags, 0o644)
        guard fd >= 0 else {
            let code = errno
            if code == EEXIST {
                throw TapeError(.exists, path: path, "already exists; pass --force to overwrite it")
            }
            throw TapeError(.io, path: path, "cannot create the \(what): \(String(cString: strerror(code)))")
        }
        return .file(descriptor: fd, path: path, what: what)
    }

    /// Opens an existing tape file to append to, cutting it to its first `length` bytes (what is kept of it).
    static func reopen(path: String, keeping length: Int) throws(TapeError) -> TapeOutput {
        let fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard fd >= 0 else {
            throw TapeError(.io, path: path, "cannot open the tape to continue it: \(String(cString: strerror(errno)))")
        }
        guard ftruncate(fd, off_t(length)) == 0 else {
            let code = errno
            _ = closeDescriptor(fd)
            throw TapeError(.io, path: path, "cannot continue the tape: \(String(cString: strerror(code)))")
        }
        return .file(descriptor: fd, path: path, what: "tape")
    }

    /// Appends bytes in one go (a whole record, or a buffer of text), retrying short writes.
    mutating func write(_ bytes: [UInt8]) throws(TapeError) {
        switch self {
        case .memory(var buffer):
            self = .memory([])
            buffer.append(contentsOf: bytes)
            self = .memory(buffer)
        case .file(let fd, let path, let what):
            try Self.writeAll(bytes, to: fd) { code throws(TapeError) in
                throw TapeError(.io, path: path, "cannot write the \(what): \(String(cString: strerror(code)))")
            }
        case .standardOutput:
            try Self.writeAll(bytes, to: STDOUT_FILENO) { code throws(TapeError) in
                throw TapeError(.io, path: "standard output", "cannot write: \(String(cString: strerror(code)))")
            }
        }
    }

    /// Pushes written bytes to the disk and closes a file (standard output stays open).
    mutating func close() throws(TapeError) {
        guard case .file(let fd, let path, let what) = self else { return }
        self = .memory([])
        let synced = fsync(fd)
        let code = errno
        _ = Self.closeDescriptor(fd)
        if synced != 0 && code != EINVAL && code != EROFS {
            throw TapeError(.io, path: path, "cannot save the \(what): \(String(cString: strerror(code)))")
        }
    }

    private static func writeAll(_ bytes: [UInt8], to fd: Int32, failing: (Int32) throws(TapeError) -> Never) throws(TapeError) {
        if let code = FileDescriptor.writeAll(bytes, to: fd) { try failing(code) }
    }

    /// The C library's `close`, which this type's own method shadows.
    private static func closeDescriptor(_ fd: Int32) -> Int32 { systemClose(fd) }
}

#if canImport(Glibc)
private let systemClose = Glibc.close
#elseif canImport(Darwin)
private let systemClose = Darwin.close
#endif
