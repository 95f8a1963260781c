/// The agent's body.
public struct Body: Hashable, Sendable {
    /// Flat index into the padded grid (see `World.Rules.stride`).
    public var cell: Int
    public var facing: Direction
    public var carrying: Thing
    public var carryingAux: UInt8
    public var energy: Int

    public init(cell: Int, facing: Direction, carrying: Thing, carryingAux: UInt8, energy: Int) {
        self.cell = cell
        self.facing = facing
        self.carrying = carrying
        self.carryingAux = carryingAux
        self.energy = energy
    }
}

/// Everything about a world that a step can change: snapshot it to step back or to key-frame a tape.
public struct WorldState: Hashable, Sendable {
    /// Padded grid, three bytes per cell: tile, thing, aux.
    public var cells: ContiguousArray<UInt8>
    public var body: Body
    /// Steps taken in this episode.
    public var step: Int
    /// Episode number within the trial, from 0.
    public var episode: Int
    /// Things collected towards a `collect` task this episode.
    public var collected: Int
    /// Taken things waiting to grow back.
    public var respawns: ContiguousArray<Respawn>
    /// How the hidden rules go now, and what they did this episode.
    public var mechanics: MechanicState

    public struct Respawn: Hashable, Sendable {
        public var cell: Int
        public var thing: Thing
        public var aux: UInt8
        public var due: Int

        public init(cell: Int, thing: Thing, aux: UInt8, due: Int) {
            self.cell = cell
            self.thing = thing
            self.aux = aux
            self.due = due
        }
    }

    /// A state read back from a key frame; the caller keeps it consistent with the world's rules.
    public init(cells: ContiguousArray<UInt8>, body: Body, step: Int, episode: Int, collected: Int, respawns: ContiguousArray<Respawn>,
                mechanics: MechanicState = MechanicState()) {
        self.cells = cells
        self.body = body
        self.step = step
        self.episode = episode
        self.collected = collected
        self.respawns = respawns
        self.mechanics = mechanics
    }
}

/// A live MDP: the fixed rules of one sampled level, and the state that steps change.
///
/// `step` is a reducer: it changes `state` and returns a `Transition`. It allocates nothing.
public struct World: Sendable {
    public let rules: Rules
    public var state: WorldState

    /// Builds the world for one MDP and starts its first episode.
    public init(scenario: Scenario, level: Level) {
        rules = Rules(scenario: scenario, level: level)
        // The grid's own copy, made here with the MDP rather than by the first step that changes a cell: steps allocate
        // nothing. Asking to write makes the copy.
        var cells = rules.initialCells
        cells.withUnsafeMutableBufferPointer { _ in }
        state = WorldState(cells: cells, body: rules.startBody, step: 0, episode: 0, collected: 0, respawns: [],
                           mechanics: MechanicState(draw: level.mechanics))
        state.respawns.reserveCapacity(rules.respawnCapacity)
    }

    /// Makes this world equal to `world`: in place while both are of the same MDP, so a copy kept for every step (the
    /// world before it, which fun models read) allocates nothing; otherwise as a copy with storage of its own, made
    /// now rather than by the first change to either. O(cells).
    public mutating func copyState(of world: World) {
        guard rules === world.rules else {
            self = world
            // Asking to write makes the copies.
            state.cells.withUnsafeMutableBufferPointer { _ in }
            state.respawns.withUnsafeMutableBufferPointer { _ in }
            return
        }
        state.body = world.state.body
        state.step = world.state.step
        state.episode = world.state.episode
        state.collected = world.state.collected
        state.mechanics = world.state.mechanics
        state.respawns.removeAll(keepingCapacity: true)
        state.respawns.append(contentsOf: world.state.respawns)
        state.cells.withUnsafeMutableBufferPointer { cells in
            world.state.cells.withUnsafeBufferPointer { _ = cells.update(fromContentsOf: $0) }
        }
    }

    /// Starts the next episode of the same MDP (or the first, with `episode: 0`).
    public mutating func resetEpisode(episode: Int, rng: inout SplitMix64) {
        state.cells.withUnsafeMutableBufferPointer { dst in
            rules.initialCells.withUnsafeBufferPointer { src in
                _ = dst.initialize(from: src)
            }
        }
        state.body = rules.startBody
        state.step = 0
        state.episode = episode
        state.collected = 0
        state.respawns.removeAll(keepingCapacity: true)
        state.mechanics.buriedFound = false
        state.mechanics.signalClosesAt = 0
        if episode > 0 && rules.dynamics.goalMovesBetweenEpisodes {
            moveGoal(rng: &rng)
        }
        if episode > 0 && rules.dynamics.redrawRulesBetweenEpisodes {
            redrawRules(rng: &rng)
        }
    }

    // MARK: Reading the grid

    public var width: Int { rules.width }
    public var height: Int { rules.height }

    /// Map coordinates of a padded flat index.
    public func point(ofCell cell: Int) -> GridPoint {
        GridPoint(x: cell % rules.stride - rules.pad, y: cell / rules.stride - rules.pad)
    }

    /// Padded flat index of map coordinates.
    public func cell(at p: GridPoint) -> Int { (p.y + rules.pad) * rules.stride + p.x + rules.pad }

    public var agentPosition: GridPoint { point(ofCell: state.body.cell) }

    public func tile(_ cell: Int) -> Tile { Tile(rawValue: state.cells[cell &* 3]) ?? .void }
    public func thing(_ cell: Int) -> Thing { Thing(rawValue: state.cells[cell &* 3 &+ 1]) ?? .none }
    public func aux(_ cell: Int) -> UInt8 { state.cells[cell &* 3 &+ 2] }

    /// What is at map coordinates (void outside the map).
    public subscript(x: Int, y: Int) -> (tile: Tile, thing: Thing, aux: UInt8) {
        guard x >= 0, y >= 0, x < width, y < height else { return (.void, .none, 0) }
        let c = cell(at: GridPoint(x: x, y: y))
        return (tile(c), thing(c), aux(c))
    }

    /// The cell one step from `cell` in `direction`.
    public func neighbour(_ cell: Int, _ direction: Direction) -> Int {
        switch direction {
        case .up: cell &- rules.stride
        case .down: cell &+ rules.stride
        case .left: cell &- 1
        case .right: cell &+ 1
        }
    }

    /// Whether the agent could stand on the cell.
    public func isEnterable(_ cell: Int) -> Bool {
        guard tile(cell).isPassable else { return false }
        switch thing(cell) {
        case .none, .goal: return true
        case .door: return Aux.isOn(aux(cell))
        default: return false
        }
    }

    /// Whether a thing of this kind lies within `radius` steps (Manhattan) of the agent. O(radius²), no
    /// allocation (play metrics ask it every step).
    public func agentIsNear(_ kind: Thing, within radius: Int) -> Bool {
        let me = agentPosition
        for y in max(0, me.y - radius)...min(height - 1, me.y + radius) {
            let reach = radius - abs(y - me.y)
            for x in max(0, me.x - reach)...min(width - 1, me.x + reach)
            where state.cells[cell(at: GridPoint(x: x, y: y)) &* 3 &+ 1] == kind.rawValue {
                return true
            }
        }
        return false
    }

    /// Whether something an afforded play action acts on lies next to the agent (in one of the four cells
    /// around it): a thing to push, kick, ring or stack on, or bare ground to dig or a hole to fill. O(1), no
    /// allocation (play metrics ask it every step).
    public var playIsWithinReach: Bool {
        func affords(_ cell: Int) -> Bool {
            let thing = state.cells[cell &* 3 &+ 1]
            let target = thing == 0 ? rules.playTiles & 1 << UInt16(state.cells[cell &* 3] & 0x0F)
                                    : rules.playThings & 1 << UInt16(thing & 0x0F)
            return target != 0
        }
        // The four cells spelled out rather than a loop over `Direction.allCases`, which a debug build allocates.
        let here = state.body.cell
        return affords(here &- rules.stride) || affords(here &+ rules.stride) || affords(here &- 1) || affords(here &+ 1)
    }

    /// Padded indices of every cell holding a thing of this kind.
    public func cells(holding kind: Thing) -> [Int] {
        stride(from: 0, to: state.cells.count / 3, by: 1).filter { state.cells[$0 * 3 + 1] == kind.rawValue }
    }
}

extension World {
    /// The fixed, shared part of a world: its level's layout and the scenario's settings, in the form steps use.
    public final class Rules: Sendable {
        public let scenario: Scenario
        public let level: Level
        public let width: Int
        public let height: Int
        /// Border of void cells around the map, at least the view radius, so observations need no bounds checks.
        public let pad: Int
        /// Cells per padded row.
        public let stride: Int
        public let viewSize: Int
        public let maxSteps: Int
        public let task: Task
        public let coupling: Coupling
        public let dynamics: Dynamics
        /// Bit i is set when play action i is afforded.
        public let playMask: UInt8
        public let initialCells: ContiguousArray<UInt8>
        public let startBody: Body
        /// Cells of every lamp (lamps never move).
        public let lampCells: [Int]
        /// Cells a moving goal may jump to: free and reachable from the start.
        public let goalCandidates: [Int]
        public let respawnCapacity: Int
        /// Doors drawn open in the map: the ones a door schedule opens and closes.
        public let scheduledDoorCells: [Int]
        /// Energy restored to the body at each episode start (simultaneous coupling), 0 otherwise.
        public let fullEnergy: Int
        /// The hidden rules declared (`Scenario.mechanics`).
        public let mechanics: Mechanics
        /// Cells that could hide the buried thing, in the order `MechanicDraw.buried` counts them.
        public let buriedCells: [Int]
        /// Cells of the doors of each colour (index `Aux.color`), for signals and triggers to open (empty without them).
        public let doorCells: [[Int]]
        /// Bit `Thing.rawValue` set for what sets the signal off (bell, switch), and for what presses a plate
        /// for the trigger: 0 without the rule.
        public let signalledBy: UInt16
        public let pressedBy: UInt16
        /// Bit `Thing.rawValue` set for things an afforded play action acts on, and bit `Tile.rawValue` for bare
        /// ground one does (dig, fill): what `playIsWithinReach` looks for.
        public let playThings: UInt16
        public let playTiles: UInt16

        init(scenario: Scenario, level: Level) {
            self.scenario = scenario
            self.level = level
            let map = level.map
            width = map.width
            height = map.height
            viewSize = scenario.viewSize
            pad = max(1, scenario.viewSize / 2)
            stride = map.width + 2 * pad
            maxSteps = scenario.maxSteps
            task = scenario.task
            coupling = scenario.coupling
            dynamics = scenario.dynamics
            playMask = scenario.play.reduce(UInt8(1)) { $0 | (1 << $1.rawValue) }
            let rows = map.height + 2 * pad
            var cells = ContiguousArray<UInt8>(repeating: 0, count: rows * stride * 3)
            for y in 0..<map.height {
                for x in 0..<map.width {
                    let c = ((y + pad) * stride + x + pad) * 3
                    let v = map[x, y]
                    cells[c] = v.tile.rawValue
                    cells[c + 1] = v.thing.rawValue
                    cells[c + 2] = v.aux
                }
            }
            initialCells = cells
            if case .simultaneous(let energy, _, _) = scenario.coupling { fullEnergy = energy } else { fullEnergy = 0 }
            let startCell = (map.agentStart.y + pad) * stride + map.agentStart.x + pad
            startBody = Body(cell: startCell, facing: map.agentFacing, carrying: .none, carryingAux: 0, energy: fullEnergy)
            let (pad, stride) = (pad, stride)
            let padded = { (i: Int) in (i / map.width + pad) * stride + i % map.width + pad }
            lampCells = map.things.indices.filter { map.things[$0] == .lamp }.map(padded)
            goalCandidates = map.reachableFreeCells(from: map.agentStart).map { padded(map.index($0)) }
            respawnCapacity = map.things.count
            scheduledDoorCells = map.things.indices.filter { map.things[$0] == .door && Aux.isOn(map.aux[$0]) }.map(padded)
            mechanics = scenario.mechanics
            buriedCells = map.buriedCandidates(scenario.mechanics.buried).map(padded)
            doorCells = scenario.mechanics.signal == nil && scenario.mechanics.trigger == nil ? [] : (0..<UInt8(Aux.colorNames.count)).map { color in
                map.things.indices.filter { map.things[$0] == .door && Aux.color(map.aux[$0]) == color }.map(padded)
            }
            signalledBy = scenario.mechanics.signal?.mask ?? 0
            pressedBy = scenario.mechanics.trigger?.mask ?? 0
            let affords = { (play: PlayAction) in scenario.play.contains(play) }
            func bits<T: RawRepresentable<UInt8>>(_ items: [T]) -> UInt16 { items.reduce(0) { $0 | 1 << UInt16($1.rawValue) } }
            playThings = (affords(.push) ? bits([Thing.rock, .ball, .block]) : 0) | (affords(.kick) ? bits([Thing.ball]) : 0)
                | (affords(.ring) ? bits([Thing.bell, .lightSwitch]) : 0) | (affords(.build) ? bits([Thing.block]) : 0)
            playTiles = (affords(.dig) ? bits([Tile.sand, .grass]) : 0) | (affords(.build) ? bits([Tile.hole]) : 0)
        }
    }
}
