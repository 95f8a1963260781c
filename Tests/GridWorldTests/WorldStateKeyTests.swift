import Foundation
import GridWorld
import Testing

@Suite struct WorldStateKeyTests {
    static func room() throws -> World {
        let scenario = Scenario(name: "room", map: MapTemplate(width: 5, height: 5), task: .none, play: [])
        return World(scenario: scenario, level: try scenario.sample(seed: 1))
    }

    @Test("a state key ignores the step counter and facing, and changes with position")
    func keys() throws {
        var world = try Self.room()
        var rng = SplitMix64(seed: 1)
        let start = world.stateKey()
        _ = world.step(ActionPair(.right), rng: &rng)
        #expect(world.stateKey() != start)
        _ = world.step(ActionPair(.left), rng: &rng)
        #expect(world.stateKey() == start)
        #expect(world.stateKey(includingFacing: true) != start)
    }

    @Test("a key index numbers keys densely in order of first sight, across growth and coding")
    func keyIndex() throws {
        var index = KeyIndex(capacity: 4)
        for k in 0..<1000 { #expect(index.insert(UInt64(k) &* 0x1234_5678_9ABC).number == k) }
        #expect(index.insert(0).inserted == false)
        #expect(index.number(of: 999 &* 0x1234_5678_9ABC) == 999)
        #expect(index.number(of: 7) == nil)
        let copy = try JSONDecoder().decode(KeyIndex.self, from: JSONEncoder().encode(index))
        #expect(copy == index && copy.number(of: 500 &* 0x1234_5678_9ABC) == 500)
    }
}
