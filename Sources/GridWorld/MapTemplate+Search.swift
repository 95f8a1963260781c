extension MapTemplate {
    /// Whether the agent can do the task by walking, carrying keys, balls and blocks, eating fruit, opening doors with
    /// a key and pushing rocks: a breadth-first search over the layouts those moves leave. The reach check
    /// (`unsolvableReason`) takes a thing in the way for a wall; this finds the ways it misses, such as a key on the
    /// way to its door, a ball or block carried out of a doorway, a key put down to pick up another, fruit eaten out of
    /// a corridor, or a rock pushed aside or into sand.
    ///
    /// It under-approximates, so a way it finds can be played (given steps enough, and dynamics that leave the
    /// layout alone — nothing growing back): what the agent carries is put down only on an empty cell and only while
    /// another key, ball or block lies on the map (the only reason a searched task has to free its hands), and only
    /// reach-goal, open-door, pull-levers, collecting one thing and delivering a key, ball or block are searched (any
    /// other task: false). It gives up (false) once it has looked at or copied `budget` cells, which bounds its time
    /// and memory on any map.
    func searchFindsWay(for task: Task, pushingRocks: Bool, budget: Int = 8_000_000) -> Bool {
        struct Position: Hashable {
            /// The layout as the moves so far left it; `agentStart` is the first cell the agent can walk to.
            var map: MapTemplate
            /// What the agent carries, or nil.
            var carried: Carried?
        }
        var queue = [Position(map: self, carried: nil)]
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
            var isWalkable = [Bool](repeating: false, count: map.tiles.count)
            for cell in walkable { isWalkable[cell] = true }
            var successors: [Position] = []
            for cell in walkable {
                for direction in Direction.allCases {
                    guard let ahead = map.neighbour(cell, direction) else { continue }
                    let faces = map.things[ahead] != .none || map.facesEmptyCell(from: cell, direction, isWalkable)
                    if faces && map.finishes(task, facing: ahead, carrying: position.carried) { return true }
                    var next = position
                    next.map.agentStart = map.point(cell)
                    switch map.things[ahead] {
                    case .key where position.carried == nil, .ball where position.carried == nil:
                        next.carried = Carried(thing: map.things[ahead], aux: map.aux[ahead])
                        next.map.things[ahead] = .none
                        next.map.aux[ahead] = 0
                    case .block where position.carried == nil:
                        // One block of a stack comes off at a time (`World.use`).
                        let height = Aux.height(map.aux[ahead])
                        next.carried = Carried(thing: .block, aux: Aux.withCount(0, 1))
                        next.map.things[ahead] = height > 1 ? .block : .none
                        next.map.aux[ahead] = height > 1 ? Aux.withCount(map.aux[ahead], height - 1) : 0
                    case .fruit:
                        next.map.things[ahead] = .none
                        next.map.aux[ahead] = 0
                    case .door where map.opens(ahead, with: position.carried):
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
                    successors.append(next)
                }
            }
            if let carried = position.carried, map.things.contains(where: { $0 == .key || $0 == .ball || $0 == .block }) {
                looked += map.tiles.count
                successors += map.putDownSpots(walkable, isWalkable).map { spot in
                    var next = position
                    next.map.things[spot.cell] = carried.thing
                    next.map.aux[spot.cell] = carried.aux
                    next.map.agentStart = map.point(spot.from)
                    next.carried = nil
                    return next
                }
            }
            for next in successors {
                looked += map.tiles.count
                guard looked < budget else { return false }
                queue.append(next)
            }
        }
        return false
    }

    /// A thing in the agent's hands: its kind and its state byte (a key's colour).
    private struct Carried: Hashable {
        var thing: Thing
        var aux: UInt8
    }

    /// Whether the agent can stand on `stand` facing the empty cell in `direction`: a move turns the agent even when
    /// blocked, so it can face a thing from any side, but it faces an empty cell only by walking towards it, from the
    /// cell behind the one it stands on.
    private func facesEmptyCell(from stand: Int, _ direction: Direction, _ isWalkable: [Bool]) -> Bool {
        neighbour(stand, Direction(rawValue: (direction.rawValue + 2) % 4)!).map { isWalkable[$0] } ?? false
    }

    /// Where the agent can put something down, each with a cell to stand on while facing it. To keep the search small, of the spots that leave the walkable
    /// region in one piece and lie beside nothing only one is tried (they block nothing, so any one will do); a spot
    /// that splits the region is tried from every side, as which side the agent is left on matters.
    private func putDownSpots(_ walkable: [Int], _ isWalkable: [Bool]) -> [(cell: Int, from: Int)] {
        let splits = cutCells(walkable, isWalkable)
        var splitting: [(cell: Int, from: Int)] = [], others: [(cell: Int, from: Int)] = []
        var harmless: (cell: Int, from: Int)?
        for stand in walkable where things[stand] == .none {
            for direction in Direction.allCases {
                guard let cell = neighbour(stand, direction), things[cell] == .none, tiles[cell].isPassable,
                      facesEmptyCell(from: stand, direction, isWalkable) else { continue }
                if splits[cell] {
                    splitting.append((cell, stand))
                } else if harmless == nil && Direction.allCases.allSatisfy({ neighbour(cell, $0).map { things[$0] == .none } ?? true }) {
                    harmless = (cell, stand)
                } else {
                    others.append((cell, stand))
                }
            }
        }
        return splitting + (harmless.map { [$0] } ?? others)
    }

    /// The walkable cells whose loss would split the region (its articulation points), by Tarjan's low-link
    /// depth-first search, kept on a stack of its own: a region of 255×255 cells is too deep for recursion.
    private func cutCells(_ walkable: [Int], _ isWalkable: [Bool]) -> [Bool] {
        var found = [Int32](repeating: -1, count: tiles.count), low = found
        var isCut = [Bool](repeating: false, count: tiles.count)
        let root = walkable[0]
        var stack: [(cell: Int, parent: Int, tried: Int)] = [(root, -1, 0)]
        found[root] = 0
        low[root] = 0
        var time: Int32 = 1, rootChildren = 0
        while let top = stack.last {
            if top.tried < Direction.allCases.count {
                stack[stack.count - 1].tried += 1
                guard let next = neighbour(top.cell, Direction.allCases[top.tried]), isWalkable[next] else { continue }
                if found[next] < 0 {
                    found[next] = time
                    low[next] = time
                    time += 1
                    if top.cell == root { rootChildren += 1 }
                    stack.append((next, top.cell, 0))
                } else if next != top.parent {
                    low[top.cell] = min(low[top.cell], found[next])
                }
            } else {
                stack.removeLast()
                guard let parent = stack.last else { continue }
                low[parent.cell] = min(low[parent.cell], low[top.cell])
                if parent.cell != root && low[top.cell] >= found[parent.cell] { isCut[parent.cell] = true }
            }
        }
        isCut[root] = rootChildren > 1
        return isCut
    }

    /// Whether facing `cell`, carrying `carried`, the agent can finish the task with one step or use: for a delivery,
    /// putting the thing down on an empty pad.
    private func finishes(_ task: Task, facing cell: Int, carrying carried: Carried?) -> Bool {
        let thing = things[cell]
        switch task {
        case .reachGoal: return thing == .goal
        case .openDoor: return opens(cell, with: carried)
        case .pullLevers: return thing == .lever
        case .collect(let kind, let count): return count == 1 && thing == kind && (kind == .fruit || carried == nil)
        case .deliver(let wanted): return carried?.thing == wanted && tiles[cell] == .pad && thing == .none
        case .none: return false
        }
    }

    /// Whether `cell` is a locked door that `carried` opens: a key of its colour.
    private func opens(_ cell: Int, with carried: Carried?) -> Bool {
        guard let carried, carried.thing == .key, things[cell] == .door, !Aux.isOn(aux[cell]) else { return false }
        return Aux.color(carried.aux) == Aux.color(aux[cell])
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
