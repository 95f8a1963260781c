import Foundation
import GridWorld
import ScenarioFiles
import TestSupport

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
