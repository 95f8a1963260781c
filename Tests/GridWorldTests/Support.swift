import Foundation
import GridWorld
import ScenarioFiles

/// The repository's folder, found from this file's path, so tests read the shipped scenarios.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func shipped(_ name: String) throws -> Scenario {
    try ScenarioFile.load(path: repositoryRoot.appendingPathComponent("scenarios/\(name).yaml").path)
}

let shippedNames = ["open-field", "rock-garden", "key-door", "four-rooms", "shifting-goal", "playroom", "sandbox", "lever-bandit"]

/// A scenario from a map drawn in the test, with the rest of the file given as extra YAML lines.
func scenario(_ map: String, task: String = "reach-goal", extra: String = "") throws -> Scenario {
    let rows = map.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
    return try ScenarioFile.parse(text: "name: test\nmap: |\n\(rows)\ntask: \(task)\n\(extra)", file: "test.yaml")
}

/// A world for the first MDP of a scenario.
func world(_ s: Scenario, seed: UInt64 = 0) throws -> World {
    World(scenario: s, level: try s.sample(seed: seed))
}

extension World {
    /// Steps with a fresh generator; for rules that use no randomness.
    mutating func act(_ task: TaskAction, _ play: PlayAction = .none) -> Transition {
        var rng = SplitMix64(seed: 99)
        return step(ActionPair(task, play), rng: &rng)
    }

    func count(_ kind: Thing) -> Int { cells(holding: kind).count }
}

extension World {
    /// Things of a kind in the world and in the agent's hands, a tower counting each of its blocks.
    func inventory(_ kind: Thing) -> Int {
        let onGrid = cells(holding: kind).reduce(0) { $0 + (kind == .block ? Aux.height(aux($1)) : 1) }
        return onGrid + (state.body.carrying == kind ? 1 : 0)
    }
}
