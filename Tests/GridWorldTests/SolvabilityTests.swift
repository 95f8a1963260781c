import GridWorld
import Testing
import TestSupport

/// A fixed map that the reach check refuses is searched for a way through the keys and rocks in it; it is refused,
/// with the reach check's one-line error, only when no way turns up.
@Suite struct SolvabilityTests {
    /// The one-line error a scenario file with this map is refused with, or nil when it loads.
    func refusal(_ map: String, task: String = "reach-goal", extra: String = "") -> String? {
        do {
            _ = try scenario(map, task: task, extra: extra)
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// Plays a fixed map's first MDP with these actions; whether the last one finished the task.
    func plays(_ map: String, task: String = "reach-goal", _ actions: [(TaskAction, PlayAction)]) throws -> Bool {
        var w = try world(try scenario(map, task: task))
        var last = Transition()
        for (taskAction, playAction) in actions { last = w.act(taskAction, playAction) }
        return last.succeeded
    }

    /// Whether some sequence of the world's own steps brings the agent onto a goal: a breadth-first search over its
    /// states, on the map loaded without a task (so without the check).
    func worldReachesGoal(_ map: String) throws -> Bool {
        struct Situation: Hashable {
            var cells: ContiguousArray<UInt8>
            var body: Body
        }
        let start = try world(try scenario(map, task: "none"))
        var queue = [start]
        var seen: Set<Situation> = [Situation(cells: start.state.cells, body: start.state.body)]
        var head = 0
        while head < queue.count {
            let w = queue[head]
            head += 1
            for task in TaskAction.allCases {
                for play in [PlayAction.none, .push] {
                    var next = w
                    _ = next.act(task, play)
                    if next.thing(next.state.body.cell) == .goal { return true }
                    if seen.insert(Situation(cells: next.state.cells, body: next.state.body)).inserted { queue.append(next) }
                }
            }
        }
        return false
    }

    @Test("whatever the check accepts, the world's own steps solve: 400 random corridors of rocks, sand, keys, balls, blocks, fruit and doors")
    func acceptedMapsAreSolvable() throws {
        var rng = SplitMix64(seed: 2024)
        var accepted = 0
        for _ in 0..<400 {
            let row = (0..<5).map { _ in [".", ".", ".", "o", ":", "k", "D", "*", "=", "f"][rng.below(10)] }.joined()
            let below = (0..<5).map { _ in [".", ".", "#", "#", "o", ":", "k", "*", "="][rng.below(9)] }.joined()
            let map = "#########\n#A\(row)G#\n##\(below)##\n#########"
            guard (try? scenario(map)) != nil else { continue }
            accepted += 1
            #expect(try worldReachesGoal(map), "\(map)")
        }
        #expect(accepted > 100, "enough maps accepted to test: \(accepted)")
    }

    static let unreachable = "test.yaml:2:6: the goal cannot be reached from the agent's start"

    @Test("a rock pushed ahead into sand clears a one-wide corridor, and the way plays to the goal")
    func rockIntoSand() throws {
        let map = "#######\n#A.o:G#\n#######"
        #expect(refusal(map) == nil)
        #expect(try plays(map, [(.right, .none), (.stay, .push), (.right, .none), (.right, .none), (.right, .none)]))
    }

    @Test("a rock in a doorway pushed ahead onto the floor of the next room clears the way, and it plays")
    func rockThroughDoorway() throws {
        let map = "########\n#...#..#\n#A.o...#\n#...#.G#\n########"
        #expect(refusal(map) == nil)
        let push: (TaskAction, PlayAction) = (.stay, .push)
        #expect(try plays(map, [(.right, .none), push, (.right, .none), push, (.right, .none), push, (.right, .none),
                                (.down, .none), (.right, .none)]))
    }

    @Test("a key on the way to its door is picked up, opens it, and the way plays to the goal")
    func keyOnTheWay() throws {
        let map = "########\n#A.k.DG#\n########"
        #expect(refusal(map) == nil)
        #expect(try plays(map, [(.right, .none), (.use, .none), (.right, .none), (.right, .none), (.use, .none),
                                (.right, .none), (.right, .none)]))
    }

    @Test("a key put down to pick up the second of two keys in a one-wide corridor: the way loads and plays")
    func twoKeys() throws {
        let map = "##########\n#A.k.k.DG#\n##########"
        #expect(refusal(map) == nil)
        // The first key goes down behind the agent, which can face an empty cell only by walking towards it.
        #expect(try plays(map, [(.right, .none), (.use, .none), (.right, .none), (.right, .none), (.left, .none), (.use, .none),
                                (.right, .none), (.use, .none), (.right, .none), (.right, .none), (.use, .none),
                                (.right, .none), (.right, .none)]))
    }

    @Test("two doors of two colours in a row: the red key opens the first and is put down for the yellow one")
    func twoColours() throws {
        let map = "############\n#A.r.R.k.DG#\n############"
        let legend = "legend: {r: {thing: key, color: red}, R: {thing: door, color: red}}\n"
        #expect(refusal(map, extra: legend) == nil)
        var w = try world(try scenario(map, extra: legend))
        var last = Transition()
        for action: TaskAction in [.right, .use, .right, .right, .use, .right, .right, .left, .use, .right, .use, .right,
                                   .right, .use, .right, .right] {
            last = w.act(action, .none)
        }
        #expect(last.succeeded)
    }

    @Test("a ball in front of the only door is carried out of the way, then the key opens it")
    func ballInTheDoorway() throws {
        let map = "#######\n#A.k..#\n#.....#\n#....*D\n#######"
        #expect(refusal(map, task: "open-door") == nil)
        #expect(try plays(map, task: "open-door", [(.down, .none), (.down, .none), (.right, .none), (.right, .none), (.right, .none),
                                                   (.use, .none), (.up, .none), (.use, .none), (.left, .none), (.up, .none),
                                                   (.use, .none), (.right, .none), (.right, .none), (.down, .none),
                                                   (.right, .none), (.use, .none)]))
    }

    @Test("the ball in front of the door of an open 30×30 room: of the spots to put it down that block nothing one is tried, so the search stays small enough to find the way")
    func ballInTheDoorwayOfABigRoom() {
        let inside = String(repeating: ".", count: 28)
        var rows = ["#A" + inside.dropFirst() + "#", "#..k" + inside.dropFirst(3) + "#"]
        rows += Array(repeating: "#" + inside + "#", count: 25) + ["#" + inside.dropLast() + "*D"]
        let wall = String(repeating: "#", count: 30)
        #expect(refusal(([wall] + rows + [wall]).joined(separator: "\n"), task: "open-door") == nil)
    }

    @Test("a ball to collect past a key in the way: the key is picked up and put down again to free the hands")
    func collectPastAKey() throws {
        let map = "#######\n#A.k.*#\n#######"
        let task = "{collect: {thing: ball, count: 1}}"
        #expect(refusal(map, task: task) == nil)
        #expect(try plays(map, task: task, [(.right, .none), (.use, .none), (.right, .none), (.right, .none), (.left, .none),
                                            (.use, .none), (.right, .none), (.use, .none)]))
    }

    @Test("a ball to deliver that stands between the agent and the pad is carried onto it; a pad the agent cannot face is refused")
    func deliverPastTheBall() throws {
        let task = "{deliver: ball}"
        #expect(refusal("######\n#A*._#\n######", task: task) == nil)
        #expect(try plays("######\n#A*._#\n######", task: task, [(.right, .none), (.use, .none), (.right, .none), (.right, .none), (.use, .none)]))
        // Facing the pad means walking towards it; here the only cell beside it is reached from the side.
        #expect(refusal("#####\n#A*.#\n###_#\n#####", task: task) == "test.yaml:2:6: no reachable pad to deliver to")
    }

    @Test("fruit in a one-wide corridor is eaten out of the way, a block is carried off it, and both ways play")
    func fruitAndBlocks() throws {
        let fruit = "#######\n#A.f.G#\n#######"
        #expect(refusal(fruit) == nil)
        #expect(try plays(fruit, [(.right, .none), (.use, .none), (.right, .none), (.right, .none), (.right, .none)]))
        let block = "#######\n#A.=.G#\n#######"
        #expect(refusal(block) == nil)
        #expect(try plays(block, [(.right, .none), (.use, .none), (.right, .none), (.right, .none), (.right, .none)]))
        // Two blocks: the first is put down behind the agent to free its hands for the second.
        let blocks = "########\n#A.=.=G#\n########"
        #expect(refusal(blocks) == nil)
        #expect(try plays(blocks, [(.right, .none), (.use, .none), (.right, .none), (.right, .none), (.left, .none), (.use, .none),
                                   (.right, .none), (.use, .none), (.right, .none), (.right, .none)]))
        let walled = "#######\n#A.=#G#\n#######"
        #expect(refusal(walled) == Self.unreachable)
    }

    @Test("the other searched tasks: a door opened, a lever pulled and a fruit eaten past a key or rock in the way")
    func otherTasks() throws {
        #expect(refusal("#######\n#A.k.D#\n#######", task: "open-door") == nil)
        #expect(refusal("#######\n#A.o:l#\n#######", task: "pull-levers") == nil)
        #expect(refusal("#######\n#A.o:f#\n#######", task: "{collect: {thing: fruit, count: 1}}") == nil)
    }

    @Test("rocks that cannot be pushed clear are refused with the reach check's one-line error", arguments: [
        "######\n#A.oG#\n######",              // the only push is onto the goal
        "#####\n#A.o#\n###G#\n#####",           // the rock stands against a wall at a bend
        "########\n#A.oo:G#\n########",         // one rock cannot push another
        "#######\n#A.o.G#\n#######",            // pushed onto floor it blocks the next cell
    ])
    func stuckRocks(_ map: String) {
        #expect(refusal(map) == Self.unreachable)
    }

    @Test("a rock that could be pushed clear is refused when push is not afforded or play costs more than full energy")
    func noPushing() {
        let map = "#######\n#A.o:G#\n#######"
        #expect(refusal(map, extra: "play: [kick, spin]\n") == Self.unreachable)
        #expect(refusal(map, extra: "coupling: {simultaneous: {energy: 1, play-cost: 2, rest-gain: 1}}\n") == Self.unreachable)
        #expect(refusal(map, extra: "coupling: {simultaneous: {energy: 10, play-cost: 2, rest-gain: 1}}\n") == nil)
    }

    @Test("a drawn family whose every layout needs a push: the search takes a refused draw, the same for the same seed, and it plays")
    func drawnFamilyNeedingAPush() throws {
        let family = try scenario("#######\n#A.o:G#\n#######", extra: "distribution: {flip: [horizontal]}\n")
        var sides: Set<Bool> = []
        for seed: UInt64 in 0..<12 {
            let level = try family.sample(seed: seed)
            #expect(try family.sample(seed: seed) == level)
            var w = World(scenario: family, level: level)
            let towards: TaskAction = w.agentPosition.x == 1 ? .right : .left
            sides.insert(towards == .right)
            var last = Transition()
            for (taskAction, playAction) in [(towards, PlayAction.none), (.stay, .push), (towards, .none), (towards, .none), (towards, .none)] {
                last = w.act(taskAction, playAction)
            }
            #expect(last.succeeded, "seed \(seed)")
        }
        #expect(sides.count == 2, "both mirrors drawn")
        // With no way in any draw it is still refused, with the 64 draws' line.
        #expect(refusal("######\n#A.oG#\n######", extra: "distribution: {flip: [horizontal]}\n")?
            .hasPrefix("test.yaml:2:6: no solvable layout in 64 draws from seed 0") == true)
    }

    @Test("a key behind its own door, or of another colour, is refused with the reach check's one-line error")
    func keysThatCannotOpen() {
        #expect(refusal("########\n#A.Dk.G#\n########") == Self.unreachable)
        #expect(refusal("########\n#A.k.DG#\n########", extra: "legend: {D: {thing: door, color: red}}\n") == Self.unreachable)
        #expect(refusal("######\n#A.Dk#\n######", task: "open-door")
                == "test.yaml:2:6: no locked door whose key can be reached")
    }
}
