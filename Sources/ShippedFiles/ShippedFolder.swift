import Foundation

/// A folder PlayGrid ships beside its code (scenarios, themes, bundled agents, experiments), found wherever the
/// program runs from. The one place that knows where PlayGrid's files are, and `PLAYGRID_HOME` the one variable.
///
/// `locate` looks, first match wins:
/// 1. in `$PLAYGRID_HOME` (the folder holding `scenarios/`, `assets/`, `experiments/`: a checkout or an install);
///    when the variable is set the folder must be there, and an unusable value is an error that names it, never
///    silently skipped;
/// 2. in the executable's folder and each folder above it (an install such as `bin/playgrid` + `bin/assets/`, or a
///    `swift build` tree inside a checkout);
/// 3. in the current folder and each folder above it (running from a checkout).
public struct ShippedFolder: Hashable, Sendable {
    /// The shipped scenario files.
    public static let scenarios = "scenarios"
    /// The themes (glyphs and colours).
    public static let themes = "assets/themes"
    /// The bundled agents' checkpoints.
    public static let agents = "assets/agents"
    /// The shipped experiment configurations.
    public static let experiments = "experiments"

    /// The environment variable that names PlayGrid's home and overrides the search.
    public static let environmentKey = "PLAYGRID_HOME"

    /// The folder.
    public let url: URL

    public init(url: URL) {
        self.url = url
    }

    public var path: String { url.path }

    /// Whether a command-line argument names a file (a YAML file or anything with a folder in it) rather than a
    /// shipped scenario or experiment by name.
    public static func isPath(_ argument: String) -> Bool {
        argument.hasSuffix(".yaml") || argument.hasSuffix(".yml") || argument.contains("/")
    }

    /// The names of the files in the folder with extension `suffix` (e.g. ".yaml"), without it, sorted.
    public func names(withSuffix suffix: String) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return files.filter { $0.hasSuffix(suffix) }.map { String($0.dropLast(suffix.count)) }.sorted()
    }

    /// Finds the shipped folder `relative` (one of `scenarios`, `themes`, `agents`, `experiments`). The inputs are
    /// injectable so the search is testable.
    public static func locate(
        _ relative: String,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executable: URL? = currentExecutable,
        currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    ) throws(ShippedFolderError) -> ShippedFolder {
        if let home = environment[environmentKey], !home.isEmpty {
            let candidate = URL(fileURLWithPath: home).appendingPathComponent(relative)
            guard isFolder(candidate) else {
                throw ShippedFolderError(
                    "\(environmentKey)=\(home) has no \(relative) folder; set \(environmentKey) to the PlayGrid folder that holds scenarios/ and assets/ (a checkout or an install), or unset it")
            }
            return ShippedFolder(url: candidate)
        }
        var searched: [String] = []
        if let folder = executable?.resolvingSymlinksInPath().deletingLastPathComponent() {
            if let found = walkUp(from: folder, to: relative) { return found }
            searched.append(folder.path)
        }
        if let found = walkUp(from: currentDirectory, to: relative) { return found }
        searched.append(currentDirectory.path)
        throw ShippedFolderError(
            "PlayGrid's \(relative) folder was not found in or above \(searched.joined(separator: " or ")); set \(environmentKey) to the PlayGrid folder that holds scenarios/ and assets/")
    }

    /// The running program.
    public static var currentExecutable: URL? {
        Bundle.main.executableURL ?? CommandLine.arguments.first.map { URL(fileURLWithPath: $0) }
    }

    static func isFolder(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// `start/relative`, or the same in the nearest folder above `start` that has it.
    static func walkUp(from start: URL, to relative: String) -> ShippedFolder? {
        var folder = start.standardizedFileURL
        while true {
            let candidate = folder.appendingPathComponent(relative)
            if isFolder(candidate) { return ShippedFolder(url: candidate) }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return nil }
            folder = parent
        }
    }
}

/// Why a shipped folder could not be found: says where it looked and what to set.
public struct ShippedFolderError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
