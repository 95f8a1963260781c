import Foundation

/// A number in a JSON file that no value read from it can hold (a 30-digit whole number, 1e400), with where it is.
public struct NumberOutOfRange: Error, Equatable, CustomStringConvertible {
    public var number: String
    public var line: Int
    public var column: Int

    public var description: String { "a number out of range at line \(line), column \(column): \(number)" }

    /// The number that made `error` fail, when it is Foundation's "not valid JSON" for text that is valid: on Linux
    /// a number too big for the value it is read into fails the whole decode that way, with no key path. It is
    /// the first whole number beyond 64 bits, or other number beyond Float's range (but StableJSON's ±1e999), in
    /// `data`, if the text is valid JSON once those numbers are set aside; nil otherwise.
    public static func cause(of error: any Error, in data: Data) -> NumberOutOfRange? {
        guard case DecodingError.dataCorrupted(let context) = error, context.codingPath.isEmpty else { return nil }
        let bytes = Array(data)
        let found = numbers(in: bytes).filter { isOutOfRange(String(decoding: bytes[$0.range], as: UTF8.self)) }
        guard let first = found.first else { return nil }
        var setAside = bytes
        for number in found.reversed() { setAside.replaceSubrange(number.range, with: [UInt8(ascii: "0")]) }
        guard (try? JSONSerialization.jsonObject(with: Data(StableJSON.nonFiniteAsStrings(setAside)))) != nil else { return nil }
        return NumberOutOfRange(number: String(decoding: bytes[first.range], as: UTF8.self), line: first.line, column: first.column)
    }

    static func isOutOfRange(_ number: String) -> Bool {
        if number == "1e999" || number == "-1e999" { return false }  // StableJSON's ±∞
        guard let value = Double(number) else { return false }
        let whole = !number.contains { ".eE".contains($0) }
        return whole ? Int64(number) == nil && UInt64(number) == nil : Float(value).isInfinite
    }

    /// The number tokens outside strings, with their line and column (counted in characters) from 1.
    static func numbers(in bytes: [UInt8]) -> [(range: Range<Int>, line: Int, column: Int)] {
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\"), newline = UInt8(ascii: "\n")
        let numeric = Set("0123456789+-.eE".utf8)
        var found: [(range: Range<Int>, line: Int, column: Int)] = []
        var inString = false, escaped = false, line = 1, column = 0, i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b & 0xC0 != 0x80 { column += 1 }  // not a UTF-8 continuation byte: a new character
            if b == newline { line += 1; column = 0 }
            if inString {
                if escaped { escaped = false } else if b == backslash { escaped = true } else if b == quote { inString = false }
            } else if b == quote {
                inString = true
            } else if b == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) {
                let start = i
                while i + 1 < bytes.count, numeric.contains(bytes[i + 1]) { i += 1; column += 1 }
                found.append((start..<(i + 1), line, column - (i - start)))
            }
            i += 1
        }
        return found
    }
}
