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
    public init(cells: ContiguousArray<UInt8>, body: Body, step: Int, episode: Int, collected: Int, respawns: ContiguousArray<Respawn>) {
        self.cells = cells
        self.body = body
        self.step = step
        self.episode = episode
        self.collected = collected
        self.respawns = respawns
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
        state = WorldState(cells: rules.initialCells, body: rules.startBody, step: 0, episode: 0, collected: 0, respawns: [])
        state.respawns.reserveCapacity(rules.respawnCapacity)
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
        if episode > 0 && rules.dynamics.goalMovesBetweenEpisodes {
            moveGoal(rng: &rng)
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
        }
    }
}
