/// Where byte `offset` of UTF-8 `bytes` lies as a person's editor numbers it: line and column from 1, the column
/// counted in characters (continuation bytes do not start one), so that an error can point at the place.
public func textPlace(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
    let before = bytes[..<min(offset, bytes.count)]
    let line = before.filter { $0 == UInt8(ascii: "\n") }.count + 1
    let column = before.reversed().prefix { $0 != UInt8(ascii: "\n") }.filter { $0 & 0xC0 != 0x80 }.count + 1
    return (line, column)
}
