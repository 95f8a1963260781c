import Records

/// Buffered text output for exports: a new file (never overwriting one without `force`), or standard output.
public final class TextOutput {
    private var output: TapeOutput
    private var buffer: [UInt8] = []
    /// Bytes written so far (buffered ones included).
    public private(set) var count = 0

    /// Creates `path`, a file of `what` (named in errors); refuses an existing file unless `force`, and even with it
    /// a file that does not begin with `signature` (an earlier file of this kind), so that a slip in the path cannot
    /// replace a scenario, a report or one of PlayGrid's own files (named, as those say what they are).
    public init(path: String, force: Bool, what: String, signature: [UInt8]) throws(TapeError) {
        if force, let start = ReadableFile.leadingBytes(of: path, count: 16), let kind = FileKind.of(start) {
            throw TapeError(.exists, path: path, "is \(kind.name), so --force does not overwrite it with a \(what); choose another path")
        }
        output = try TapeOutput.create(path: path, force: force, what: what, signature: signature)
        buffer.reserveCapacity(1 << 16)
    }

    /// Writes to standard output.
    public init() {
        output = .standardOutput
        buffer.reserveCapacity(1 << 16)
    }

    public func write(_ text: String) throws(TapeError) {
        buffer.append(contentsOf: text.utf8)
        count += text.utf8.count
        if buffer.count >= 1 << 16 { try flush() }
    }

    public func flush() throws(TapeError) {
        guard !buffer.isEmpty else { return }
        try output.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes the file.
    public func close() throws(TapeError) {
        try flush()
        try output.close()
    }
}
