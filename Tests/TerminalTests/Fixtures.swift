import Foundation
import Terminal
import TestSupport

/// The repository's own themes, so tests run from anywhere.
enum Fixtures {
    static let themes = Repository.root.appendingPathComponent("assets/themes")
    static let unicode = try! Theme.load(named: "unicode", in: themes)
    static let ascii = try! Theme.load(named: "ascii", in: themes)
}
