extension MapTemplate {
    /// Whether the agent can do the task by walking, picking up a key, opening doors with it and pushing rocks:
    /// a breadth-first search over the layouts those moves leave. The reach check (`unsolvableReason`) takes a
    /// key or rock in the way for a wall; this finds the ways it misses, such as a key on the way to its door or a
    /// rock pushed aside or into sand.
    ///
    /// It under-approximates, so a way it finds can be played (given steps enough, and dynamics that leave the
    /// layout alone): the agent picks up one key and never puts it down, balls, blocks and fruit stay put, and only
    /// reach-goal, open-door, pull-levers and collecting one thing are searched (any other task: false). It gives
    /// up (false) once it has looked at or copied `budget` cells, which bounds its time and memory on any map.
    func searchFindsWay(for task: Task, pushingRocks: Bool, budget: Int = 8_000_000) -> Bool {
        struct Position: Hashable {
            /// The layout as the moves so far left it; `agentStart` is the first cell the agent can walk to.
            var map: MapTemplate
            /// The key in the agent's hands (its state byte), or nil.
            var key: UInt8?
        }
        var queue = [Position(map: self, key: nil)]
        var seen: Set<Position> = []
        var head = 0, looked = 0
        while head < queue.count && looked < budget {
            var position = queue[head]
            head += 1
            let map = position.map
            let walkable = map.walkableCells(from: map.index(map.agentStart))
            looked += map.tiles.count
            // Where the agent stands within the cells it can walk to does not matter: one position for them all.
            position.map.agentStart = map.point(walkable.min()!)
            guard seen.insert(position).inserted else { continue }
            for cell in walkable {
                for direction in Direction.allCases {
                    guard let ahead = map.neighbour(cell, direction) else { continue }
                    if map.finishes(task, facing: ahead, holding: position.key) { return true }
                    var next = position
                    next.map.agentStart = map.point(cell)
                    switch map.things[ahead] {
                    case .key where position.key == nil:
                        next.key = map.aux[ahead]
                        next.map.things[ahead] = .none
                        next.map.aux[ahead] = 0
                    case .door where map.opens(ahead, with: position.key):
                        next.map.aux[ahead] |= Aux.onBit
                    case .rock where pushingRocks:
                        guard let beyond = map.neighbour(ahead, direction), map.tiles[beyond].isPassable,
                              map.things[beyond] == .none else { continue }
                        next.map.things[ahead] = .none
                        next.map.aux[ahead] = 0
                        if map.tiles[beyond] == .sand || map.tiles[beyond] == .hole {
                            next.map.tiles[beyond] = .sunkRock
                        } else {
                            next.map.things[beyond] = .rock
                            next.map.aux[beyond] = map.aux[ahead]
                        }
                    default:
                        continue
                    }
                    looked += map.tiles.count
                    guard looked < budget else { return false }
                    queue.append(next)
                }
            }
        }
        return false
    }

    /// Whether facing `cell`, with `key` in hand, the agent can finish the task with one step or use.
    private func finishes(_ task: Task, facing cell: Int, holding key: UInt8?) -> Bool {
        let thing = things[cell]
        switch task {
        case .reachGoal: return thing == .goal
        case .openDoor: return opens(cell, with: key)
        case .pullLevers: return thing == .lever
        case .collect(let kind, let count): return count == 1 && thing == kind && (kind == .fruit || key == nil)
        case .deliver, .none: return false
        }
    }

    /// Whether `cell` is a locked door that `key` opens.
    private func opens(_ cell: Int, with key: UInt8?) -> Bool {
        guard let key, things[cell] == .door, !Aux.isOn(aux[cell]) else { return false }
        return Aux.color(key) == Aux.color(aux[cell])
    }

    /// The cells the agent can walk to from `start` (passable, and empty, a goal or an open door), `start` first.
    private func walkableCells(from start: Int) -> [Int] {
        var entered = [Bool](repeating: false, count: tiles.count)
        var cells = [start]
        entered[start] = true
        var head = 0
        while head < cells.count {
            let cell = cells[head]
            head += 1
            for direction in Direction.allCases {
                guard let next = neighbour(cell, direction), !entered[next], tiles[next].isPassable else { continue }
                let thing = things[next]
                guard thing == .none || thing == .goal || (thing == .door && Aux.isOn(aux[next])) else { continue }
                entered[next] = true
                cells.append(next)
            }
        }
        return cells
    }

    /// The cell one step from `cell` in `direction`, or nil past the map's edge.
    private func neighbour(_ cell: Int, _ direction: Direction) -> Int? {
        let x = cell % width + direction.dx, y = cell / width + direction.dy
        return x >= 0 && y >= 0 && x < width && y < height ? y * width + x : nil
    }
}
