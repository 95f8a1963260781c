import GridWorld
import Testing
import TestSupport

@Suite struct GeneratorTests {
    @Test("1000 seeds of four-rooms: every layout solvable, and layouts varied")
    func fourRooms() throws {
        let s = try shipped("four-rooms")
        var layouts: Set<[Tile]> = []
        var starts: Set<GridPoint> = []
        for seed in 0..<UInt64(1000) {
            let level = try s.sample(seed: seed)
            let w = World(scenario: s, level: level)
            // Solvable: a breadth-first search from the start reaches the goal.
            var seen: Set<Int> = [w.state.body.cell]
            var frontier = [w.state.body.cell]
            var found = false
            while let cell = frontier.popLast(), !found {
                for d in Direction.allCases {
                    let next = w.neighbour(cell, d)
                    guard w.isEnterable(next), seen.insert(next).inserted else { continue }
                    if w.thing(next) == .goal { found = true }
                    frontier.append(next)
                }
            }
            #expect(found, "seed \(seed)")
            #expect(level.map.tiles.filter { $0 == .wall }.count == 4 * 18 + 2 * 17 - 4 - 1, "outer walls, two inner walls, four gaps")
            layouts.insert(level.map.tiles)
            starts.insert(level.map.agentStart)
        }
        #expect(layouts.count > 500)
        #expect(starts.count > 100)
    }

    @Test("scattered keys land on free cells and the door stays solvable")
    func keyDoor() throws {
        let s = try shipped("key-door")
        for seed in 0..<UInt64(200) {
            let level = try s.sample(seed: seed)
            #expect(level.map.things.filter { $0 == .key }.count == 1)
            let key = level.map.things.firstIndex(of: .key)!
            #expect(level.map.tiles[key].isPassable)
        }
    }

    @Test("lever odds are drawn from U[0,1] per MDP")
    func leverOdds() throws {
        let s = try shipped("lever-bandit")
        let odds = try (0..<400).flatMap { try s.sample(seed: UInt64($0)).leverOdds }
        #expect(odds.count == 2000)
        let mean = odds.reduce(0, +) / Double(odds.count)
        #expect(abs(mean - 0.5) < 0.03)
        #expect(odds.allSatisfy { $0 >= 0 && $0 < 1 })
    }
}
