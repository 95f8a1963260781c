import Foundation
import GridWorld

/// Finds the folders PlayGrid ships beside its code (`scenarios/`, `assets/`), wherever the binary runs from.
///
/// Looks, in order, in `$PLAYGRID_HOME`, then in the executable's folder and each folder above it, then in the
/// current folder and each folder above it. The first that holds `folder/marker` wins.
public enum ShippedFiles {
    public static func folder(_ folder: String, containing marker: String) -> String? {
        let fm = FileManager.default
        var starts: [URL] = []
        if let home = ProcessInfo.processInfo.environment["PLAYGRID_HOME"], !home.isEmpty {
            starts.append(URL(fileURLWithPath: home))
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
        if let real = Bundle.main.executableURL?.resolvingSymlinksInPath() { starts.append(real.deletingLastPathComponent()) }
        starts.append(executable.deletingLastPathComponent())
        starts.append(URL(fileURLWithPath: fm.currentDirectoryPath))
        for start in starts {
            var dir = start.standardizedFileURL
            for _ in 0..<12 {
                let candidate = dir.appendingPathComponent(folder)
                if fm.fileExists(atPath: candidate.appendingPathComponent(marker).path) { return candidate.path }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        return nil
    }
}

/// The shipped scenarios, by name, and the rule that turns a command-line SCENARIO into a file.
public enum ScenarioCatalog {
    /// The scenario `playgrid` opens when none is named.
    public static let defaultName = "rock-garden"

    /// The folder of shipped scenarios, if it can be found.
    public static var folder: String? { ShippedFiles.folder("scenarios", containing: "open-field.yaml") }

    /// Names of the shipped scenarios, sorted.
    public static func names() -> [String] {
        guard let folder, let files = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        return files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// A path for a SCENARIO argument: a shipped name, or a path to a file.
    public static func path(for argument: String) throws(ScenarioFileError) -> String {
        if argument.hasSuffix(".yaml") || argument.hasSuffix(".yml") || argument.contains("/") {
            return argument
        }
        guard let folder else {
            throw ScenarioFileError(file: argument, line: 0, column: 0,
                                    "cannot find the shipped scenarios folder; set PLAYGRID_HOME to the PlayGrid checkout, or pass a path")
        }
        let path = folder + "/" + argument + ".yaml"
        guard FileManager.default.fileExists(atPath: path) else {
            let known = names()
            let hint = suggestion(for: argument, among: known).map { "did you mean '\($0)'? " } ?? ""
            throw ScenarioFileError(file: argument, line: 0, column: 0,
                                    "no such scenario; \(hint)known scenarios: \(known.joined(separator: ", ")) (or pass a path to a .yaml file)")
        }
        return path
    }

    /// Loads a SCENARIO argument (a shipped name or a path).
    public static func load(_ argument: String) throws(ScenarioFileError) -> Scenario {
        try ScenarioFile.load(path: try path(for: argument))
    }
}
