import Foundation

/// Comma-separated values as pandas, R and spreadsheets read them (RFC 4180): a field is quoted when it holds
/// a comma, a quote or a line break, and a non-finite number is an empty field, which they read as missing.
public enum CSV {
    /// One field, quoted if it must be.
    public static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A number: the shortest text that reads back to the same value, or `significantDigits` digits (`%g`).
    public static func number(_ x: Double, significantDigits: Int? = nil) -> String {
        guard x.isFinite else { return "" }
        guard let digits = significantDigits else { return "\(x)" }
        return String(format: "%.\(digits)g", x)
    }

    /// A number of single precision, in its own shortest form (so `0.1` stays `0.1`, not `0.100000001`).
    public static func number(_ x: Float) -> String { x.isFinite ? "\(x)" : "" }

    /// One line: the fields quoted as needed, joined by commas, ended by a newline.
    public static func row(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") + "\n" }
}

/// A CSV file that grows a row at a time, each row handed to the operating system as it comes, so a killed
/// process leaves every complete row readable (learning curves are appended while training runs).
public final class CSVAppender {
    public let path: String
    let descriptor: Int32

    /// Opens `path` for appending; a new, empty (or not `continuing`) file starts with `header`. (An empty file
    /// continued was appended to without one, and read back as headerless rows.)
    public init(path: String, header: [String], continuing: Bool) throws(FileError) {
        self.path = path
        var info = stat()
        let exists = stat(path, &info) == 0 && info.st_size > 0
        let fresh = !continuing || !exists
        descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (fresh ? O_TRUNC : 0), 0o644)
        guard descriptor >= 0 else { throw FileError(path: path, "cannot be written: \(String(cString: strerror(errno)))") }
        if fresh { try append(header) }
    }

    deinit { _ = close(descriptor) }

    /// Appends one row (one `write`, so rows never interleave or tear).
    public func append(_ fields: [String]) throws(FileError) {
        if let code = FileDescriptor.writeAll(Array(CSV.row(fields).utf8), to: descriptor) {
            throw FileError(path: path, "cannot append a row: \(String(cString: strerror(code)))")
        }
    }
}
