import GridWorld
import TestSupport
import Testing

@Suite struct WorldCopyTests {
    @Test("copying a world in place copies all of its state, the hidden rules' state too")
    func copyInPlace() throws {
        let scenario = try shipped("signal-doors")
        var world = World(scenario: scenario, level: try scenario.sample(seed: 3))
        var copy = world
        // What a step and the dynamics change: the body, the count of steps, a redrawn rule, a timed signal.
        world.state.step = 5
        world.state.mechanics.draw.signal = world.state.mechanics.draw.signal == 1 ? 2 : 1
        world.state.mechanics.signalClosesAt = 12
        world.state.mechanics.buriedFound = true
        copy.copyState(of: world)
        #expect(copy.rules === world.rules, "the same MDP: copied in place")
        #expect(copy.state == world.state)
    }
}
