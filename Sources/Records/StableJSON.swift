import Foundation

/// The one JSON encoding PlayGrid writes: keys sorted (so equal values give equal bytes, which hashes of
/// records and diffs of results rely on), and non-finite numbers in forms every JSON reader takes: NaN as
/// `null`, ±∞ as `±1e999` (a valid JSON number that Python, JavaScript and pandas read as infinity).
///
/// Reading maps them back (`null` to NaN wherever a floating-point number is expected), and still reads the
/// strings `"nan"`, `"+inf"`, `"-inf"` that records written before this encoding hold. Synthesized `Codable`
/// leaves nil optionals out, so `null` in PlayGrid's records only ever stands for NaN.
public enum StableJSON {
    /// The encoder's stand-ins for non-finite numbers, replaced in its output. A control character makes
    /// them impossible in real text: the encoder escapes it, so they appear only as these exact tokens.
    static let replacements: [(token: [UInt8], by: [UInt8])] = [
        (Array(#""\u0001nan""#.utf8), Array("null".utf8)),
        (Array(#""\u0001+inf""#.utf8), Array("1e999".utf8)),
        (Array(#""\u0001-inf""#.utf8), Array("-1e999".utf8)),
    ]

    /// The UTF-8 JSON of `value`; `pretty` indents it for files people read.
    public static func data<T: Encodable>(_ value: T, pretty: Bool = false) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
                                          : [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "\u{1}+inf", negativeInfinity: "\u{1}-inf", nan: "\u{1}nan")
        let bytes = Array(try encoder.encode(value))
        guard bytes.contains(0x5C) else { return Data(bytes) }  // no backslash: no stand-in to replace
        return Data(replacingStandIns(in: bytes))
    }

    /// The JSON of `value` as text.
    public static func string<T: Encodable>(_ value: T, pretty: Bool = false) throws -> String {
        String(decoding: try data(value, pretty: pretty), as: UTF8.self)
    }

    /// Decodes what `data(_:)` wrote (or an older record with non-finite numbers spelled as strings). A number
    /// too big for where it is read, a fraction where a whole number is, or a negative one where none can be, is
    /// thrown as `MisreadNumber`, and text cut short as `CutShortJSON`: each says where it is.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "+inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return try decoder.decode(type, from: Data(nonFiniteAsStrings(Array(data))))
        } catch {
            throw MisreadNumber.cause(of: error, in: data) { _ = try decoder.decode(type, from: Data(nonFiniteAsStrings($0))) }
                ?? CutShortJSON.cause(of: error, in: data) ?? error
        }
    }

    static func replacingStandIns(in bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        scan: while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\"") {
                for (token, by) in replacements where bytes[i...].starts(with: token) {
                    out += by
                    i += token.count
                    continue scan
                }
            }
            out.append(bytes[i])
            i += 1
        }
        return out
    }

    /// Bare `null`, `1e999` and `-1e999` (outside strings) become the strings the decoder reads as NaN and ±∞.
    static func nonFiniteAsStrings(_ bytes: [UInt8]) -> [UInt8] {
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        let literals: [(token: [UInt8], by: [UInt8])] = [
            (Array("null".utf8), Array(#""nan""#.utf8)),
            (Array("-1e999".utf8), Array(#""-inf""#.utf8)),
            (Array("1e999".utf8), Array(#""+inf""#.utf8)),
        ]
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var inString = false, escaped = false, i = 0
        scan: while i < bytes.count {
            let b = bytes[i]
            if inString {
                if escaped { escaped = false } else if b == backslash { escaped = true } else if b == quote { inString = false }
            } else if b == quote {
                inString = true
            } else {
                for (token, by) in literals where bytes[i...].starts(with: token) {
                    let end = i + token.count
                    if end < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[end]) { continue }
                    out += by
                    i = end
                    continue scan
                }
            }
            out.append(b)
            i += 1
        }
        return out
    }

    // MARK: Pieces, for writers that build JSON text themselves (tape exports stream millions of lines)

    /// A JSON number in this encoding's form: shortest round-trip digits, NaN as `null`, ±∞ as `±1e999`.
    public static func number(_ x: Float) -> String {
        x.isNaN ? "null" : x.isInfinite ? (x > 0 ? "1e999" : "-1e999") : "\(x)"
    }

    /// A JSON string literal, escaped as JSONEncoder escapes it.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
