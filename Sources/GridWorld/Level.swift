/// One MDP drawn from a scenario family: a concrete layout plus the hidden parameters (lever odds, how the
/// hidden rules go).
public struct Level: Hashable, Sendable {
    public var map: MapTemplate
    /// Payout probability of lever i (levers are numbered by their `Aux.count`).
    public var leverOdds: [Double]
    /// The seed it was drawn from, for display and tapes.
    public var seed: UInt64
    /// How the scenario's hidden rules go in this MDP (a world starts with it; dynamics may draw it anew).
    public var mechanics: MechanicDraw

    public init(map: MapTemplate, leverOdds: [Double] = [], seed: UInt64 = 0, mechanics: MechanicDraw = .none) {
        self.map = map
        self.leverOdds = leverOdds
        self.seed = seed
        self.mechanics = mechanics
    }
}

/// Why a scenario cannot produce a playable MDP.
public struct ScenarioProblem: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension Scenario {
    /// Draws one MDP from this family. Deterministic in `seed`. Throws when no solvable variant turns up: for a fixed
    /// layout, when neither the reach check nor the search (`searchFindsWay`) finds a way.
    ///
    /// A drawn layout is redrawn on the reach check alone (which layouts it refuses decides what every seed draws),
    /// up to 64 draws. Only when all 64 fail — a family whose every layout needs a rock pushed or a key fetched out of
    /// the way — are the first `searchedDraws` of them searched, and the first with a way is taken; so what families
    /// the reach check passes draw is unchanged.
    public func sample(seed: UInt64) throws(ScenarioProblem) -> Level {
        var rng = SplitMix64(seed: seed)
        var problem = ""
        var refused: [MapTemplate] = []
        let pushingRocks = play.contains(.push) && coupling.playsWithoutEnd
        /// The level of an accepted layout: its levers numbered, each with its odds.
        func level(_ map: MapTemplate, _ drawn: MechanicDraw) -> Level {
            var map = map
            var odds: [Double] = []
            let levers = map.things.indices.filter { map.things[$0] == .lever }
            for (index, cell) in levers.enumerated() {
                map.aux[cell] = Aux.withCount(map.aux[cell], index)
                odds.append(distribution.randomLeverOdds ? rng.nextUnitDouble() : 0.5)
            }
            return Level(map: map, leverOdds: odds, seed: seed, mechanics: drawn)
        }
        for _ in 0..<64 {
            var map = self.map
            switch distribution.layout {
            case .fixed: break
            case .fourRooms: map.carveFourRooms(rng: &rng)
            }
            for pick in distribution.picks { map.apply(pick, rng: &rng) }
            for kind in distribution.scatter.sorted(by: { $0.rawValue < $1.rawValue }) {
                map.scatter(kind, rng: &rng)
            }
            if distribution.randomAgent, let cell = map.randomFreeCell(rng: &rng, avoiding: nil) {
                map.agentStart = cell
            }
            if distribution.randomGoal {
                map.removeAll(.goal)
                let reachable = map.reachableFreeCells(from: map.agentStart)
                guard !reachable.isEmpty else { continue }
                let cell = reachable[rng.below(reachable.count)]
                map[cell.x, cell.y] = (map[cell.x, cell.y].tile, .goal, 0)
            }
            for flip in Distribution.Flip.allCases where distribution.flips.contains(flip) && rng.below(2) == 1 {
                map.mirror(flip)
            }
            // Only scenarios with hidden rules draw them, so older families draw exactly what they always did.
            let drawn = mechanics.isEmpty ? MechanicDraw.none
                : mechanics.draw(buriedCandidates: map.buriedCandidates(mechanics.buried).count, rng: &rng)
            if let reason = map.unsolvableReason(for: task, mechanics: mechanics, drawn: drawn) {
                // A fixed layout is never redrawn, so the search may accept at once what the reach check refused.
                guard distribution == Distribution(randomLeverOdds: distribution.randomLeverOdds) && mechanics.isEmpty else {
                    problem = reason
                    if mechanics.isEmpty && refused.count < Self.searchedDraws { refused.append(map) }
                    continue
                }
                guard map.searchFindsWay(for: task, pushingRocks: pushingRocks) else { throw ScenarioProblem(reason) }
            }
            return level(map, drawn)
        }
        for map in refused where map.searchFindsWay(for: task, pushingRocks: pushingRocks) { return level(map, .none) }
        throw ScenarioProblem("no solvable layout in 64 draws from seed \(seed) (the last: \(problem))")
    }

    /// How many of a family's refused draws are searched when none passes the reach check: enough for a family that
    /// needs a push or a fetch in every layout, few enough that one with no way at all is refused soon (a search takes
    /// microseconds on small maps, up to about half a second on the largest).
    static let searchedDraws = 8
}

extension Scenario {
    /// The MDP that `sample(seed:)` draws, with the agent started at `start` (facing as on the canvas) and the one
    /// goal at `goal`: a task of a goal-conditioned agent. Nil when that layout does not have both cells free with
    /// `goal` reachable from `start`, so the caller draws another layout.
    public func sample(seed: UInt64, start: GridPoint, goal: GridPoint) throws(ScenarioProblem) -> Level? {
        var level = try sample(seed: seed)
        var map = level.map
        map.removeAll(.goal)
        map.agentStart = start
        map.agentFacing = self.map.agentFacing
        guard start != goal, map.isFree(map.index(start)), map.reachableFreeCells(from: start).contains(goal) else { return nil }
        map[goal.x, goal.y] = (map[goal.x, goal.y].tile, .goal, 0)
        level.map = map
        return level
    }
}

extension MapTemplate {
    func isFree(_ index: Int) -> Bool { tiles[index].isPassable && things[index] == .none }

    func index(_ p: GridPoint) -> Int { p.y * width + p.x }

    func point(_ index: Int) -> GridPoint { GridPoint(x: index % width, y: index / width) }

    /// A random passable, empty cell other than the agent's start and `avoiding`.
    func randomFreeCell(rng: inout SplitMix64, avoiding: GridPoint?) -> GridPoint? {
        let start = index(agentStart)
        let candidates = (0..<(width * height)).filter { isFree($0) && $0 != start && point($0) != avoiding }
        guard !candidates.isEmpty else { return nil }
        return point(candidates[rng.below(candidates.count)])
    }

    mutating func removeAll(_ kind: Thing) {
        for i in things.indices where things[i] == kind {
            things[i] = .none
            aux[i] = 0
        }
    }

    /// Moves every thing of a kind to random free cells, keeping each one's state byte.
    mutating func scatter(_ kind: Thing, rng: inout SplitMix64) {
        let auxes = things.indices.filter { things[$0] == kind }.map { aux[$0] }
        removeAll(kind)
        for value in auxes {
            guard let cell = randomFreeCell(rng: &rng, avoiding: nil) else { return }
            let i = index(cell)
            things[i] = kind
            aux[i] = value
        }
    }

    /// Gives a drawn number of the pick's cells its look (the others keep theirs).
    mutating func apply(_ pick: Pick, rng: inout SplitMix64) {
        let count = pick.counts[rng.below(pick.counts.count)]
        var cells = pick.cells
        for i in 0..<min(count, cells.count) {
            cells.swapAt(i, i + rng.below(cells.count - i))
            let cell = cells[i]
            tiles[cell] = pick.tile
            things[cell] = pick.thing
            aux[cell] = pick.aux
            if let facing = pick.agent {
                agentStart = point(cell)
                agentFacing = facing
            }
        }
    }

    /// The map's mirror image along one axis; the agent's start and heading mirror with it.
    mutating func mirror(_ flip: Distribution.Flip) {
        let old = self
        for y in 0..<height {
            for x in 0..<width {
                self[x, y] = flip == .horizontal ? old[width - 1 - x, y] : old[x, height - 1 - y]
            }
        }
        switch flip {
        case .horizontal:
            agentStart.x = width - 1 - agentStart.x
            if agentFacing == .left || agentFacing == .right { agentFacing = agentFacing == .left ? .right : .left }
        case .vertical:
            agentStart.y = height - 1 - agentStart.y
            if agentFacing == .up || agentFacing == .down { agentFacing = agentFacing == .up ? .down : .up }
        }
    }

    /// Map indices, row-major, of the cells that could hide a buried thing (none without the rule).
    public func buriedCandidates(_ rule: BuriedRule?) -> [Int] {
        guard let rule else { return [] }
        return tiles.indices.filter { rule.covers(tiles[$0], things[$0]) && point($0) != agentStart }
    }

    /// Walls a square canvas into four rooms with one random gap in each inner wall (MiniGrid's FourRooms).
    mutating func carveFourRooms(rng: inout SplitMix64) {
        for i in tiles.indices {
            tiles[i] = .floor
            things[i] = things[i] == .goal ? .none : things[i]
        }
        let midX = width / 2, midY = height / 2
        for x in 0..<width {
            tiles[x] = .wall
            tiles[(height - 1) * width + x] = .wall
            tiles[midY * width + x] = .wall
        }
        for y in 0..<height {
            tiles[y * width] = .wall
            tiles[y * width + width - 1] = .wall
            tiles[y * width + midX] = .wall
        }
        func gap(_ from: Int, _ to: Int) -> Int { from + rng.below(max(1, to - from)) }
        tiles[midY * width + gap(1, midX)] = .floor
        tiles[midY * width + gap(midX + 1, width - 1)] = .floor
        tiles[gap(1, midY) * width + midX] = .floor
        tiles[gap(midY + 1, height - 1) * width + midX] = .floor
        for i in things.indices where !tiles[i].isPassable {
            things[i] = .none
            aux[i] = 0
        }
        if !isFree(index(agentStart)) {
            agentStart = randomFreeCell(rng: &rng, avoiding: nil) ?? agentStart
        }
    }

    /// Free cells reachable from `start` over passable empty cells, excluding `start`, in row-major order.
    func reachableFreeCells(from start: GridPoint) -> [GridPoint] {
        let seen = flood(from: index(start), openColors: [])
        return (0..<(width * height)).filter { seen[$0] && $0 != index(start) && isFree($0) }.map(point)
    }

    /// Breadth-first reach over passable cells (and water, when it can be bridged); things block, except goals,
    /// pads' contents, open or openable doors, and, when water can be bridged, a rock with water just beyond it
    /// (pushed in, it clears its cell: the way across a river is often through the rock that bridges it).
    func flood(from start: Int, openColors: Set<UInt8>, bridgeable: Bool = false) -> [Bool] {
        var seen = [Bool](repeating: false, count: width * height)
        // Entered, apart from seen: whether a rock can be entered depends on the side it is reached from.
        var entered = seen
        var queue = [start]
        seen[start] = true
        entered[start] = true
        var head = 0
        while head < queue.count {
            let cell = queue[head]
            head += 1
            let x = cell % width, y = cell / width
            for (nx, ny) in [(x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)] where nx >= 0 && ny >= 0 && nx < width && ny < height {
                let next = ny * width + nx
                guard !entered[next], tiles[next].isPassable || (bridgeable && tiles[next] == .water) else { continue }
                let thing = things[next]
                let bx = 2 * nx - x, by = 2 * ny - y
                let enterable = thing == .none || thing == .goal
                    || (thing == .door && (Aux.isOn(aux[next]) || openColors.contains(Aux.color(aux[next]))))
                    || (bridgeable && thing == .rock && bx >= 0 && by >= 0 && bx < width && by < height
                        && tiles[by * width + bx] == .water)
                seen[next] = true
                if enterable {
                    entered[next] = true
                    queue.append(next)
                }
            }
        }
        return seen
    }

    /// Why the task cannot be done on this layout (nil when it can), allowing keys to open their doors.
    ///
    /// With hidden rules as drawn: a buried thing counts as found; a live signal's or trigger's doors as openable
    /// once something that sets it off can be reached (for a trigger, with a plate); water as crossable when
    /// rocks bridge and a rock can be reached (one rock per crossing is the designer's to provide).
    func unsolvableReason(for task: Task, mechanics: Mechanics = Mechanics(), drawn: MechanicDraw = .none) -> String? {
        var map = self
        if let rule = mechanics.buried, drawn.buried != MechanicDraw.noCell {
            let cell = buriedCandidates(rule)[Int(drawn.buried)]
            map.things[cell] = rule.thing
            map.aux[cell] = rule.aux
        }
        return map.unsolvableReason(for: task, opening: mechanics, drawn: drawn)
    }

    /// `unsolvableReason` once the buried thing is in place: widens the reach while keys, signals, triggers and
    /// bridges open more of the map.
    private func unsolvableReason(for task: Task, opening mechanics: Mechanics, drawn: MechanicDraw) -> String? {
        var colors: Set<UInt8> = [], bridgeable = false
        var seen = flood(from: index(agentStart), openColors: colors)
        func reaches(_ kinds: Set<Thing>) -> Bool { things.indices.contains { seen[$0] && kinds.contains(things[$0]) } }
        while true {
            var opened = Set(things.indices.filter { seen[$0] && things[$0] == .key }.map { Aux.color(aux[$0]) })
            if let signal = mechanics.signal, drawn.signal != MechanicDraw.off, reaches(signal.by) { opened.insert(drawn.signal) }
            if let trigger = mechanics.trigger, drawn.trigger != MechanicDraw.off, reaches(trigger.by),
               tiles.indices.contains(where: { seen[$0] && tiles[$0] == .plate }) {
                opened.insert(drawn.trigger)
            }
            let crosses = mechanics.bridge != nil && drawn.bridges && reaches([.rock])
            if opened.isSubset(of: colors) && crosses == bridgeable { break }
            colors.formUnion(opened)
            bridgeable = bridgeable || crosses
            seen = flood(from: index(agentStart), openColors: colors, bridgeable: bridgeable)
        }
        func reachable(_ kind: Thing) -> Int { things.indices.filter { seen[$0] && things[$0] == kind }.count }
        switch task {
        case .reachGoal:
            return reachable(.goal) > 0 ? nil : "the goal cannot be reached from the agent's start"
        case .collect(let kind, let count):
            return reachable(kind) >= count ? nil : "fewer than \(count) reachable \(kind.name)"
        case .deliver(let kind):
            if reachable(kind) == 0 { return "no reachable \(kind.name) to deliver" }
            return tiles.indices.contains { seen[$0] && tiles[$0] == .pad } ? nil : "no reachable pad to deliver to"
        case .openDoor:
            let doors = things.indices.filter { seen[$0] && things[$0] == .door && !Aux.isOn(aux[$0]) }
            return doors.contains { colors.contains(Aux.color(aux[$0])) } ? nil : "no locked door whose key can be reached"
        case .pullLevers:
            return reachable(.lever) > 0 ? nil : "no lever can be reached"
        case .none:
            return nil
        }
    }
}
