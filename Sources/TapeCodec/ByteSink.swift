/// Appends the tape's primitive encodings (LEB128 varints, little-endian fixed widths, strings) to a byte buffer.
struct ByteSink {
    var bytes: [UInt8] = []

    mutating func byte(_ value: UInt8) { bytes.append(value) }

    /// Unsigned LEB128: seven bits a byte, low first; values below 128 take one byte.
    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func varint(_ value: Int) { varint(UInt64(value)) }

    /// Appends up to `maxCount` bytes that `write` puts at the pointer it is given, returning how many it put:
    /// a column of a chunk goes in with one fill and one trim instead of a checked append per byte.
    mutating func append(upTo maxCount: Int, _ write: (UnsafeMutablePointer<UInt8>) -> Int) {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: maxCount))
        let written = bytes.withUnsafeMutableBufferPointer { write($0.baseAddress! + start) }
        bytes.removeLast(maxCount - written)
    }

    /// Unsigned LEB128 at a raw pointer (at most 10 bytes); returns the bytes written.
    static func varint(_ value: UInt64, at out: UnsafeMutablePointer<UInt8>) -> Int {
        var v = value, n = 0
        while v >= 0x80 {
            out[n] = UInt8(truncatingIfNeeded: v) | 0x80
            v >>= 7
            n += 1
        }
        out[n] = UInt8(v)
        return n + 1
    }

    /// A signed value zig-zag folded (0, −1, 1, −2 … → 0, 1, 2, 3 …), then as a varint.
    mutating func signed(_ value: Int) {
        let v = Int64(value)
        varint(UInt64(bitPattern: (v << 1) ^ (v >> 63)))
    }

    mutating func u16(_ value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
    }

    mutating func u32(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    mutating func u64(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    /// Float bits, exactly.
    mutating func float(_ value: Float) { u32(value.bitPattern) }

    mutating func string(_ value: String) {
        let utf8 = Array(value.utf8)
        varint(utf8.count)
        bytes.append(contentsOf: utf8)
    }
}

/// Reads what `ByteSink` wrote, from a slice of a tape; every read is bounds-checked and fails as a value.
struct ByteSource {
    let bytes: UnsafeRawBufferPointer
    var offset: Int

    init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    struct Overrun: Error {
        var what: String
    }

    var isAtEnd: Bool { offset >= bytes.count }

    mutating func byte() throws(Overrun) -> UInt8 {
        guard offset < bytes.count else { throw Overrun(what: "a byte") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func varint() throws(Overrun) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < bytes.count, shift < 64 else { throw Overrun(what: "a number") }
            let b = bytes[offset]
            offset += 1
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
        }
    }

    /// A varint that must fit `0...limit` (counts, indices): damage shows up here, not as a huge allocation.
    mutating func count(max limit: Int) throws(Overrun) -> Int {
        let v = try varint()
        guard limit >= 0, v <= UInt64(limit) else { throw Overrun(what: "a count at most \(limit) (found \(v))") }
        return Int(v)
    }

    mutating func signed() throws(Overrun) -> Int {
        let v = try varint()
        return Int(truncatingIfNeeded: Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1))))
    }

    mutating func u16() throws(Overrun) -> UInt16 {
        guard offset + 2 <= bytes.count else { throw Overrun(what: "2 bytes") }
        defer { offset += 2 }
        return UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    mutating func u32() throws(Overrun) -> UInt32 {
        guard offset + 4 <= bytes.count else { throw Overrun(what: "4 bytes") }
        var v: UInt32 = 0
        for i in 0..<4 { v |= UInt32(bytes[offset + i]) << UInt32(8 * i) }
        offset += 4
        return v
    }

    mutating func u64() throws(Overrun) -> UInt64 {
        guard offset + 8 <= bytes.count else { throw Overrun(what: "8 bytes") }
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(bytes[offset + i]) << UInt64(8 * i) }
        offset += 8
        return v
    }

    mutating func float() throws(Overrun) -> Float { Float(bitPattern: try u32()) }

    mutating func string() throws(Overrun) -> String {
        let n = try count(max: bytes.count - offset)
        defer { offset += n }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + n)]), as: UTF8.self)
    }

    /// The next `n` bytes, copied.
    mutating func raw(_ n: Int) throws(Overrun) -> [UInt8] {
        guard n >= 0, offset + n <= bytes.count else { throw Overrun(what: "\(n) bytes") }
        defer { offset += n }
        return Array(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + n)]))
    }
}

extension Array where Element == UInt8 {
    /// Runs a decoder over `range` of these bytes, keeping its typed error.
    func decode<T>(_ range: Range<Int>, _ body: (inout ByteSource) throws(ByteSource.Overrun) -> T) throws(ByteSource.Overrun) -> T {
        let result: Result<T, ByteSource.Overrun> = withUnsafeBytes { raw in
            var source = ByteSource(UnsafeRawBufferPointer(rebasing: raw[range]))
            do throws(ByteSource.Overrun) { return .success(try body(&source)) } catch { return .failure(error) }
        }
        return try result.get()
    }
}
