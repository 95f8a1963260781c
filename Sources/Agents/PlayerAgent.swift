import GridWorld

/// The scripted player (`player`): plays with what the world affords first, then solves the task.
///
/// Each episode it spends up to `playShare` of the step budget on play it can reach (sinking rocks, ringing
/// bells, flipping switches, kicking balls, stacking blocks), then hands over to the task solver. Where the world
/// has hidden rules it also tries what they could hide behind: rocks into water, digging where something could be
/// buried. It does not know how the rules were drawn (its task solver, `greedy`, does).
public struct PlayerAgent: Agent {
    public let name = "player"
    public var playShare: Double
    var solver = GreedyAgent()

    public init(playShare: Double = 0.4) { self.playShare = playShare }

    public mutating func beginTrial(_ world: World) { solver.beginTrial(world) }

    public mutating func beginEpisode(_ world: World) { solver.beginEpisode(world) }

    public mutating func observe(_ transition: Transition, reward: StepReward, world: World) {
        solver.observe(transition, reward: reward, world: world)
    }

    public mutating func decide(_ world: World, rng: inout SplitMix64) -> Decision {
        let budget = Int(Double(world.rules.maxSteps) * playShare)
        if world.state.step < budget || world.rules.task == .none, let play = playStep(world) {
            return Decision(play)
        }
        return Decision(solver.nextAction(world))
    }

    /// A step toward the nearest reachable play, or the play itself when the agent faces it.
    func playStep(_ world: World) -> ActionPair? {
        let mask = world.rules.playMask
        func affords(_ action: PlayAction) -> Bool { mask & (1 << action.rawValue) != 0 }
        // (cell to stand on, facing, play) for every play that would do something now.
        var options: [(stand: Int, facing: Direction, play: PlayAction)] = []
        let cellCount = world.state.cells.count / 3
        let bridges = world.rules.mechanics.bridge != nil
        for cell in 0..<cellCount {
            let thing = world.thing(cell)
            for d in Direction.allCases {
                let opposite = Direction(rawValue: (d.rawValue + 2) % 4)!
                let stand = world.neighbour(cell, opposite)
                guard stand >= 0, stand < cellCount, world.isEnterable(stand) || stand == world.state.body.cell else { continue }
                switch thing {
                case .rock where affords(.push):
                    if bridges && world.tile(world.neighbour(cell, d)) == .water && world.thing(world.neighbour(cell, d)) == .none {
                        options.append((stand, d, .push))
                        continue
                    }
                    // Push only along a short clear run that ends in soft ground.
                    var at = world.neighbour(cell, d)
                    for _ in 0..<4 {
                        guard world.tile(at).isPassable, world.thing(at) == .none else { break }
                        if world.tile(at) == .sand || world.tile(at) == .hole {
                            options.append((stand, d, .push))
                            break
                        }
                        at = world.neighbour(at, d)
                    }
                case .ball where affords(.kick):
                    let beyond = world.neighbour(cell, d)
                    if world.tile(beyond).isPassable && world.thing(beyond) == .none { options.append((stand, d, .kick)) }
                case .bell where affords(.ring), .lightSwitch where affords(.ring):
                    options.append((stand, d, .ring))
                case .block where affords(.build) && world.state.body.carrying == .block && Aux.height(world.aux(cell)) < 3:
                    options.append((stand, d, .build))
                case .none where affords(.dig) && (world.tile(cell) == .sand || world.tile(cell) == .grass)
                    && world.rules.buriedCells.contains(cell):
                    options.append((stand, d, .dig))
                default:
                    break
                }
            }
        }
        let body = world.state.body
        if let here = options.first(where: { $0.stand == body.cell && $0.facing == body.facing }) {
            return ActionPair(.stay, here.play)
        }
        if options.isEmpty, affords(.build), body.carrying == .none {
            // Fetch a block to stack.
            let blocks = Set(world.cells(holding: .block).filter { Aux.height(world.aux($0)) < 2 })
            if let (action, arrived) = Planner(world: world).approach(blocks) { return ActionPair(arrived ? .use : action) }
        }
        let goals = Set(options.map { $0.stand * 4 + Int($0.facing.rawValue) })
        guard let move = Planner(world: world).firstMove(to: { cell, facing in goals.contains(cell * 4 + Int(facing.rawValue)) }) else {
            return nil
        }
        return ActionPair(move)
    }
}
