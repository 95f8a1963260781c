import Foundation
import GridWorld
import ShippedFiles
import Spelling

/// The shipped scenarios, by name, and the rule that turns a command-line SCENARIO into a file.
public enum ScenarioCatalog {
    /// The scenario `playgrid` opens when none is named.
    public static let defaultName = "rock-garden"

    /// The folder of shipped scenarios.
    public static func folder() throws(ScenarioFileError) -> ShippedFolder {
        do {
            return try ShippedFolder.locate(ShippedFolder.scenarios)
        } catch {
            throw ScenarioFileError(file: ShippedFolder.scenarios, line: 0, column: 0, error.message)
        }
    }

    /// Names of the shipped scenarios, sorted.
    public static func names() throws(ScenarioFileError) -> [String] {
        try folder().names(withSuffix: ".yaml")
    }

    /// A path for a SCENARIO argument: a shipped name, or a path to a file. A bare word that is no shipped name but
    /// is there on disk (a folder, a file named without .yaml) is taken as that path, to say what is wrong with it.
    public static func path(for argument: String) throws(ScenarioFileError) -> String {
        if ShippedFolder.isPath(argument) { return argument }
        let folder: ShippedFolder
        do {
            folder = try ShippedFolder.locate(ShippedFolder.scenarios)
        } catch {
            throw ScenarioFileError(file: argument, line: 0, column: 0, "\(error.message), or pass a path to a .yaml file")
        }
        let path = folder.path + "/" + argument + ".yaml"
        guard FileManager.default.fileExists(atPath: path) else {
            if FileManager.default.fileExists(atPath: argument) { return argument }
            let known = folder.names(withSuffix: ".yaml")
            let hint = didYouMean(argument, among: known)
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
