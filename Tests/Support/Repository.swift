import Foundation
import GridWorld
import ScenarioFiles
import Testing

/// The checkout the tests run in, found from this file's path, so tests read the shipped files from anywhere.
public enum Repository {
    /// The repository's root folder.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A path inside the repository, e.g. `scenarios/rock-garden.yaml`.
    public static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// Every shipped scenario's name, sorted.
    public static let scenarioNames: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: path("scenarios"))) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }()

    /// The eight scenarios that shipped before hidden mechanics: their draws and steps are pinned bit for bit.
    public static let legacyScenarioNames = ["open-field", "rock-garden", "key-door", "four-rooms", "shifting-goal", "playroom",
                                             "sandbox", "lever-bandit"]
}

/// A shipped scenario, parsed from the repository's `scenarios/NAME.yaml`.
public func shipped(_ name: String) throws -> Scenario {
    try ScenarioFile.load(path: Repository.path("scenarios/\(name).yaml"))
}

/// A scenario from a map drawn in the test, with the rest of the file given as extra YAML lines.
public func scenario(_ map: String, task: String = "reach-goal", extra: String = "") throws -> Scenario {
    let rows = map.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
    return try ScenarioFile.parse(text: "name: test\nmap: |\n\(rows)\ntask: \(task)\n\(extra)", file: "test.yaml")
}

extension Tag {
    /// Tests that take tens of seconds (short training runs with a figure to reach), for runners that filter by
    /// tag; from the command line `swift test --skip MetaLearningTests` leaves out the one slow suite. CI runs all.
    @Tag public static var slow: Self
}
