import Foundation
import Spelling

/// JSON text that ends inside its value (a file cut short: a writer killed mid-way, a partial copy), with the line
/// and column where it ends. On Linux, Foundation fails the decode of it as "not valid JSON", with no place.
public struct CutShortJSON: Error, Equatable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public var description: String { "not valid JSON: it ends at line \(line), column \(column), inside a value (cut short?)" }

    /// Where `data` ends, when `error` is Foundation's "not valid JSON" because the text ends before its value does;
    /// nil otherwise (an empty file is not taken for one cut short). The place is one past the last character of
    /// the last line, in characters from 1; a final newline ends that line rather than beginning another.
    public static func cause(of error: any Error, in data: Data) -> CutShortJSON? {
        guard MisreadNumber.isUnreadable(error) else { return nil }
        var bytes = Array(data)
        guard bytes.contains(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else { return nil }
        do {
            // StableJSON's non-finite numbers are strings to this parser too, so that it stops only where the text does.
            _ = try JSONSerialization.jsonObject(with: Data(StableJSON.nonFiniteAsStrings(bytes)), options: .fragmentsAllowed)
            return nil
        } catch {
            let said = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? ""
            guard said.hasPrefix("Unexpected end of file") else { return nil }
        }
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        let place = textPlace(of: bytes.count, in: bytes)
        return CutShortJSON(line: place.line, column: place.column)
    }
}
