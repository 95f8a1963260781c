import Glibc

/// Where a writer's records go: a file opened append-only, or memory (tests and benchmarks).
enum TapeOutput {
    case file(descriptor: Int32, path: String)
    case memory([UInt8])

    /// Creates the tape file; refuses an existing one unless `force` (then it is truncated).
    static func create(path: String, force: Bool) throws(TapeError) -> TapeOutput {
        let flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (force ? O_TRUNC : O_EXCL)
        let fd = open(path, flags, 0o644)
        guard fd >= 0 else {
            let code = errno
            if code == EEXIST {
                throw TapeError(.exists, path: path, "already exists; pass --force to overwrite it")
            }
            throw TapeError(.io, path: path, "cannot create the tape: \(String(cString: strerror(code)))")
        }
        var info = stat()
        if fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
            _ = Glibc.close(fd)
            throw TapeError(.io, path: path, "is a folder; expected a tape file path")
        }
        return .file(descriptor: fd, path: path)
    }

    /// Appends bytes in one go (a whole record), retrying short writes.
    mutating func write(_ bytes: [UInt8]) throws(TapeError) {
        switch self {
        case .memory(var buffer):
            self = .memory([])
            buffer.append(contentsOf: bytes)
            self = .memory(buffer)
        case .file(let fd, let path):
            var done = 0
            while done < bytes.count {
                let n = bytes.withUnsafeBytes { raw in
                    Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
                }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw TapeError(.io, path: path, "cannot write the tape: \(String(cString: strerror(errno)))")
                }
                done += n
            }
        }
    }

    /// Pushes written bytes to the disk and closes a file.
    mutating func close() throws(TapeError) {
        guard case .file(let fd, let path) = self else { return }
        self = .memory([])
        let synced = fsync(fd)
        let code = errno
        _ = Glibc.close(fd)
        if synced != 0 && code != EINVAL && code != EROFS {
            throw TapeError(.io, path: path, "cannot save the tape: \(String(cString: strerror(code)))")
        }
    }
}
