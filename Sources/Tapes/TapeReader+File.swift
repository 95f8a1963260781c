#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension TapeReader {
    /// Opens a tape file and reads all of it that is intact.
    public init(path: String) throws(TapeError) {
        try self.init(bytes: try TapeReader.readFile(path), name: path)
    }

    /// The whole file's bytes, or its first read when that cannot begin a tape: a stream that never ends (`/dev/zero`,
    /// a mistyped device) was read until memory ran out; now the signature check refuses it.
    static func readFile(_ path: String) throws(TapeError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            throw TapeError(.io, path: path, code == ENOENT ? "no such file" : "cannot open the tape: \(String(cString: strerror(code)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw TapeError(.io, path: path, "cannot read the tape: \(String(cString: strerror(errno)))") }
        guard info.st_mode & S_IFMT != S_IFDIR else { throw TapeError(.io, path: path, "is a folder, expected a tape file") }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(info.st_size))
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw TapeError(.io, path: path, "cannot read the tape: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
            if !TapeFormat.magic.starts(with: bytes.prefix(TapeFormat.magic.count)) { break }
        }
        return bytes
    }
}
