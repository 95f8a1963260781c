import Clocks
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Follows a tape that another process is still writing: each `poll` reads the bytes appended since the last one
/// and returns the steps of the records they complete (for `watch --follow`).
///
/// A partial record at the end is simply not read yet; damage stops following with an error.
public final class TapeFollower {
    public let path: String
    /// The tape read so far; nil until its header has been written.
    public private(set) var reader: TapeReader?
    /// Bytes of the file consumed so far.
    private var fileOffset = 0
    /// Bytes read before the header was complete.
    private var early: [UInt8] = []
    private var chunksDelivered = 0
    /// What `waitForSteps` waits on; a test passes a `ManualClock`.
    let clock: any MonotonicClock

    public init(path: String, clock: any MonotonicClock = SystemClock()) {
        self.path = path
        self.clock = clock
    }

    /// The writer finished the tape: nothing more will come.
    public var isFinished: Bool { reader?.isComplete ?? false }

    /// Reads what was appended since the last call; returns the newly complete steps, in order.
    public func poll() throws(TapeError) -> [TapeStep] {
        let fresh = try readAppended()
        if reader == nil {
            early += fresh
            guard !early.isEmpty else { return [] }  // created, nothing written yet
            do {
                reader = try TapeReader(bytes: early, name: path)
                early = []
            } catch where error.kind == .truncated {
                return []
            }
        } else {
            reader!.ingest(fresh)
        }
        guard let reader else { return [] }
        if reader.isDamaged, let problem = reader.problem { throw problem }
        var steps: [TapeStep] = []
        while chunksDelivered < reader.chunkCount {
            steps += try reader.steps(inChunk: chunksDelivered)
            chunksDelivered += 1
        }
        return steps
    }

    /// Polls every `interval` until new steps come, the tape is finished, or `timeout` passes.
    public func waitForSteps(timeout: Duration, interval: Duration = .milliseconds(50)) throws(TapeError) -> [TapeStep] {
        let start = clock.now
        while true {
            let steps = try poll()
            if !steps.isEmpty || isFinished || clock.now - start >= timeout { return steps }
            clock.sleep(for: interval)
        }
    }

    private func readAppended() throws(TapeError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT && reader == nil && fileOffset == 0 { return [] }
            throw TapeError(.io, path: path, code == ENOENT ? "no such file (was the tape removed?)" : "cannot open the tape: \(String(cString: strerror(code)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw TapeError(.io, path: path, "cannot read the tape: \(String(cString: strerror(errno)))") }
        let size = Int(info.st_size)
        guard size >= fileOffset else {
            throw TapeError(.misuse, path: path, "the tape shrank from \(fileOffset) to \(size) bytes while followed; was it replaced?")
        }
        guard size > fileOffset else { return [] }
        var bytes = [UInt8](repeating: 0, count: size - fileOffset)
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, $0.count - done, off_t(fileOffset + done)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw TapeError(.io, path: path, "cannot read the tape: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            done += n
        }
        bytes.removeLast(bytes.count - done)
        fileOffset += done
        return bytes
    }
}
