import Foundation

/// The programs of the build being tested.
///
/// `swift build` puts a configuration's products (`playgrid`, `playgrid-termcheck`, …) in the same folder as the
/// test bundle it builds for that configuration (`.build/<triple>/debug` or `…/release`, or wherever `--build-path`
/// says), so the programs found there are the ones this `swift test` just built: never a stale binary of another
/// configuration, whichever is newer.
public enum BuiltProducts {
    /// The folder holding the running test bundle.
    public static let folder: URL = {
        #if os(Linux)
        return URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        #else
        let bundle = Bundle.allBundles.first { $0.bundleURL.pathExtension == "xctest" } ?? Bundle.main
        return bundle.bundleURL.resolvingSymlinksInPath().deletingLastPathComponent()
        #endif
    }()

    /// A product the test needs that this build did not make.
    public struct Missing: Error, CustomStringConvertible {
        public var path: String
        public var description: String {
            "\(path) is not built: the test target must depend on it, so that swift test builds it first"
        }
    }

    /// The path of the product `name` of this build; throws `Missing` when it was not built.
    public static func path(_ name: String) throws -> String {
        let path = folder.appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: path) else { throw Missing(path: path) }
        return path
    }
}
