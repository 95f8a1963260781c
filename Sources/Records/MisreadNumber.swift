import Foundation

/// A number in a JSON file that the value read from it cannot take, with where it is: one out of range (a 30-digit
/// whole number, 1e400), a fraction where a whole number is expected (1.5 for a count), or a negative number where
/// only a positive one can be (-1 for a seed). On Linux, Foundation fails the whole decode of each as "not valid
/// JSON", with no key path.
public struct MisreadNumber: Error, Equatable, CustomStringConvertible {
    /// A number's place in the text: its bytes, and its line and column (in characters) from 1.
    typealias Token = (range: Range<Int>, line: Int, column: Int)

    public enum Problem: Sendable, Equatable { case outOfRange, notWhole, negative }
    public var problem: Problem
    public var number: String
    public var line: Int
    public var column: Int

    public var description: String {
        switch problem {
        case .outOfRange: "a number out of range at line \(line), column \(column): \(number)"
        case .notWhole: "a fraction where a whole number is expected at line \(line), column \(column): \(number)"
        case .negative: "a negative number where none can be (a seed or count) at line \(line), column \(column): \(number)"
        }
    }

    /// The number that made `error` fail, when it is Foundation's "not valid JSON" for text that is valid JSON once
    /// the number is set aside; nil otherwise. Out of range: the first whole number beyond 64 bits, or other number
    /// beyond Float's range (but StableJSON's ±1e999). Not whole: the first fraction that `decode` (the failed decode,
    /// run again on changed text) stops failing on once it, and every fraction after it, reads 0 — found by bisection
    /// over the fractions, O(log fractions) decodes, and only on this failure's path. Negative: the first negative
    /// whole number found so, when no fraction is to blame.
    public static func cause(of error: any Error, in data: Data, decode: ([UInt8]) throws -> Void) -> MisreadNumber? {
        guard isUnreadable(error) else { return nil }
        let bytes = Array(data)
        let tokens = numbers(in: bytes)
        func located(_ token: Token, _ problem: Problem) -> MisreadNumber {
            MisreadNumber(problem: problem, number: String(decoding: bytes[token.range], as: UTF8.self), line: token.line, column: token.column)
        }
        let outOfRange = tokens.filter { isOutOfRange(String(decoding: bytes[$0.range], as: UTF8.self)) }
        if let first = outOfRange.first {
            let setAside = zeroing(outOfRange, in: bytes)
            guard (try? JSONSerialization.jsonObject(with: Data(StableJSON.nonFiniteAsStrings(setAside)))) != nil else { return nil }
            return located(first, .outOfRange)
        }
        /// The first of `suspects` that the decode stops failing on once it and every suspect after it read 0.
        func blamed(_ suspects: [Token]) -> Token? {
            /// Whether the decode still fails so with the suspects from `p` on read as 0: whether one before `p` is to blame.
            func failsWithSuspectsZeroed(from p: Int) -> Bool {
                do { try decode(zeroing(suspects[p...], in: bytes)) } catch { return isUnreadable(error) }
                return false
            }
            guard !suspects.isEmpty, !failsWithSuspectsZeroed(from: 0) else { return nil }
            var (clear, blamed) = (0, suspects.count)  // zeroing from `clear` passes, from `blamed` fails
            while blamed - clear > 1 {
                let middle = (clear + blamed) / 2
                if failsWithSuspectsZeroed(from: middle) { blamed = middle } else { clear = middle }
            }
            return suspects[blamed - 1]
        }
        if let fraction = blamed(tokens.filter { bytes[$0.range].contains { ".eE".utf8.contains($0) } }) {
            return located(fraction, .notWhole)
        }
        return blamed(tokens.filter { bytes[$0.range].first == UInt8(ascii: "-") }).map { located($0, .negative) }
    }

    /// Foundation's "not valid JSON": corrupted data at the root.
    static func isUnreadable(_ error: any Error) -> Bool {
        guard case DecodingError.dataCorrupted(let context) = error else { return false }
        return context.codingPath.isEmpty
    }

    /// `bytes` with each of `tokens` (in order) replaced by a 0.
    static func zeroing<Tokens: Collection<Token>>(_ tokens: Tokens, in bytes: [UInt8]) -> [UInt8] {
        var out = bytes
        for token in tokens.reversed() { out.replaceSubrange(token.range, with: [UInt8(ascii: "0")]) }
        return out
    }

    static func isOutOfRange(_ number: String) -> Bool {
        if number == "1e999" || number == "-1e999" { return false }  // StableJSON's ±∞
        guard let value = Double(number) else { return false }
        let whole = !number.contains { ".eE".contains($0) }
        return whole ? Int64(number) == nil && UInt64(number) == nil : Float(value).isInfinite
    }

    /// The number tokens outside strings, with their line and column (counted in characters) from 1.
    static func numbers(in bytes: [UInt8]) -> [Token] {
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\"), newline = UInt8(ascii: "\n")
        let numeric = Set("0123456789+-.eE".utf8)
        var found: [Token] = []
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
