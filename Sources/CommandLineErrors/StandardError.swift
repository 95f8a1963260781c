import Foundation

/// Writes `text` to standard error, ignoring a failure: when the terminal is gone (its window closed) no one can read
/// it, and `FileHandle.write(_:)` would trap, killing a program that is still saving its work.
public func writeToStandardError(_ text: String) {
    try? FileHandle.standardError.write(contentsOf: Data(text.utf8))
}
