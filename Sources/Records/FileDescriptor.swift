#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing to an open file descriptor: the one loop every writer of PlayGrid's files uses (atomic files, CSV rows as
/// they come, tapes).
public enum FileDescriptor {
    /// Writes all of `bytes` to `fd`, retrying short writes and interrupted calls; returns nil once every byte is
    /// written, or the `errno` of the write that failed. O(n).
    public static func writeAll(_ bytes: [UInt8], to fd: Int32) -> Int32? {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { raw in posixWrite(fd, raw.baseAddress! + done, raw.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            done += n
        }
        return nil
    }
}

/// The POSIX `write`, named apart from the `write` functions of the types here.
@inline(__always) func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fd, buffer, count)
    #else
    Darwin.write(fd, buffer, count)
    #endif
}
