import GridWorld

/// Shortest plans on the live grid, over (cell, facing) states, for the scripted agents.
///
/// A move either enters the next cell or, when it is blocked, only turns the agent, so "stand next to X and
/// face it" is a state like any other.
struct Planner {
    let world: World

    /// The first move of a shortest plan that ends in a state satisfying `isGoal`, or nil when none exists
    /// (or the start already satisfies it).
    func firstMove(to isGoal: (_ cell: Int, _ facing: Direction) -> Bool) -> TaskAction? {
        let start = world.state.body
        if isGoal(start.cell, start.facing) { return nil }
        let count = world.state.cells.count / 3 * 4
        var firstStep = [Int8](repeating: -1, count: count)
        var queue: [(Int, Direction)] = [(start.cell, start.facing)]
        firstStep[start.cell * 4 + Int(start.facing.rawValue)] = 4
        var head = 0
        while head < queue.count {
            let (cell, facing) = queue[head]
            head += 1
            let origin = firstStep[cell * 4 + Int(facing.rawValue)]
            for direction in Direction.allCases {
                let ahead = world.neighbour(cell, direction)
                let next = world.isEnterable(ahead) ? ahead : cell
                let key = next * 4 + Int(direction.rawValue)
                guard firstStep[key] < 0 else { continue }
                let first = origin == 4 ? Int8(direction.rawValue) : origin
                firstStep[key] = first
                if isGoal(next, direction) { return Planner.move(Direction(rawValue: UInt8(first))!) }
                queue.append((next, direction))
            }
        }
        return nil
    }

    /// Fewest moves from the agent's state to every (cell, facing) state, indexed `cell · 4 + facing.rawValue`;
    /// −1 where none reaches.
    func distances() -> [Int32] {
        let start = world.state.body
        var distance = [Int32](repeating: -1, count: world.state.cells.count / 3 * 4)
        var queue = [start.cell * 4 + Int(start.facing.rawValue)]
        distance[queue[0]] = 0
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            for direction in Direction.allCases {
                let ahead = world.neighbour(state / 4, direction)
                let key = (world.isEnterable(ahead) ? ahead : state / 4) * 4 + Int(direction.rawValue)
                guard distance[key] < 0 else { continue }
                distance[key] = distance[state] + 1
                queue.append(key)
            }
        }
        return distance
    }

    static func move(_ direction: Direction) -> TaskAction {
        switch direction {
        case .up: .up
        case .down: .down
        case .left: .left
        case .right: .right
        }
    }

    /// A step toward facing one of `targets` from a neighbouring cell; `.use`-ready when already facing one.
    /// Returns nil when no target can be faced.
    func approach(_ targets: Set<Int>) -> (action: TaskAction, arrived: Bool)? {
        guard !targets.isEmpty else { return nil }
        let body = world.state.body
        if targets.contains(world.neighbour(body.cell, body.facing)) { return (.stay, true) }
        guard let move = firstMove(to: { cell, facing in targets.contains(world.neighbour(cell, facing)) }) else { return nil }
        return (move, false)
    }

    /// A step toward standing on one of `targets`.
    func walk(to targets: Set<Int>) -> TaskAction? {
        guard !targets.isEmpty else { return nil }
        return firstMove(to: { cell, _ in targets.contains(cell) })
    }
}
