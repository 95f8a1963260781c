import Foundation
import Terminal

/// The repository's own assets and themes, found from this file's path so tests run from anywhere.
enum Fixtures {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let themes = repositoryRoot.appendingPathComponent("assets/themes")
    static let unicode = try! Theme.load(named: "unicode", in: themes)
    static let ascii = try! Theme.load(named: "ascii", in: themes)
}
