import Foundation

/// Where PlayGrid's `assets/` folder is (themes, bundled checkpoints), found wherever the binary runs from.
///
/// Search order, first match wins:
/// 1. `$PLAYGRID_ASSETS` (must hold `themes/`; an unusable value is an error, not silently skipped);
/// 2. `assets/` next to the executable (an installed layout: `bin/playgrid` + `bin/assets/`);
/// 3. walking up from the executable's folder, a folder holding `assets/themes` (a `swift build` tree);
/// 4. walking up from the current directory, likewise (running from a checkout).
public struct AssetLocation: Hashable, Sendable {
    /// The `assets` folder.
    public let root: URL

    public init(root: URL) {
        self.root = root
    }

    public var themes: URL { root.appendingPathComponent("themes") }

    /// The environment variable that overrides the search.
    public static let environmentKey = "PLAYGRID_ASSETS"

    /// Finds the assets folder; the inputs are injectable so the search is testable.
    public static func locate(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executable: URL? = currentExecutable(),
        currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    ) throws(ThemeError) -> AssetLocation {
        if let override = environment[environmentKey], !override.isEmpty {
            let root = URL(fileURLWithPath: override)
            guard hasThemes(root) else {
                throw ThemeError(file: override, message: "\(environmentKey) points to a folder without themes/; set it to PlayGrid's assets folder")
            }
            return AssetLocation(root: root)
        }
        var searched: [String] = []
        if let folder = executable?.deletingLastPathComponent() {
            let beside = folder.appendingPathComponent("assets")
            if hasThemes(beside) { return AssetLocation(root: beside) }
            searched.append(beside.path)
            if let found = walkUp(from: folder) { return found }
            searched.append("above \(folder.path)")
        }
        if let found = walkUp(from: currentDirectory) { return found }
        searched.append("above \(currentDirectory.path)")
        throw ThemeError(file: "assets/themes", message: "PlayGrid's assets folder was not found (looked in \(searched.joined(separator: "; "))); set \(environmentKey)")
    }

    /// The running executable, symlinks resolved.
    public static func currentExecutable() -> URL? {
        let link = URL(fileURLWithPath: "/proc/self/exe")
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: link.path) {
            return URL(fileURLWithPath: target)
        }
        return CommandLine.arguments.first.map { URL(fileURLWithPath: $0) }
    }

    static func hasThemes(_ root: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: root.appendingPathComponent("themes").path, isDirectory: &isDirectory)
            && isDirectory.boolValue
    }

    static func walkUp(from start: URL) -> AssetLocation? {
        var folder = start.standardizedFileURL
        while true {
            let candidate = folder.appendingPathComponent("assets")
            if hasThemes(candidate) { return AssetLocation(root: candidate) }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return nil }
            folder = parent
        }
    }
}
