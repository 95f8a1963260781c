import GridWorld

/// A play worth making: stand on `cell` facing `facing`, then play.
struct PlayMove: Hashable, Sendable {
    var cell: Int
    var facing: Direction
    var play: PlayAction
}

extension GreedyAgent {
    /// The next action pair: the task action, or, where this trial's hidden rules make play part of the quickest
    /// way to finish, that play or a move toward it.
    mutating func nextAction(_ world: World) -> ActionPair {
        guard !world.rules.mechanics.isEmpty else { return ActionPair(nextTaskAction(world)) }
        let situation = StateHash.mix(StateHash.mix(world.gridHash, world.state.mechanics.packed),
                                      UInt64(world.state.body.carrying.rawValue) << 8 | UInt64(world.state.body.carryingAux))
        if chosen?.situation != situation { chosen = (situation, bestPlay(world)) }
        guard let move = chosen?.play else { return ActionPair(nextTaskAction(world)) }
        let body = world.state.body
        if body.cell == move.cell && body.facing == move.facing { return ActionPair(.stay, move.play) }
        if let step = Planner(world: world).firstMove(to: { $0 == move.cell && $1 == move.facing }) { return ActionPair(step) }
        return ActionPair(nextTaskAction(world))
    }

    /// The play after which the task is done soonest, counting the walk to it, the play, and the task solver's
    /// steps after it (simulated on a copy of the world); nil when playing does not beat solving the task as it is.
    func bestPlay(_ world: World) -> PlayMove? {
        let remaining = world.rules.maxSteps - world.state.step
        var best: (steps: Int, play: PlayMove?) = (taskSteps(world, within: remaining) ?? Int.max, nil)
        let distance = Planner(world: world).distances()
        let candidates = usefulPlays(world).map { (move: $0, walk: Int(distance[$0.cell * 4 + Int($0.facing.rawValue)])) }
            .filter { $0.walk >= 0 }.sorted { $0.walk < $1.walk }
        for (move, walk) in candidates where walk + 1 < min(best.steps, remaining + 1) {
            var after = world
            after.state.body.cell = move.cell
            after.state.body.facing = move.facing
            after.state.step += walk
            var rng = SplitMix64(seed: 0)
            let t = after.step(ActionPair(.stay, move.play), rng: &rng)
            guard t.events.hasEffectivePlay else { continue }
            let rest = t.succeeded && t.terminated ? 0 : (t.isLast ? nil : taskSteps(after, within: remaining - walk - 1))
            if let rest, walk + 1 + rest < best.steps { best = (walk + 1 + rest, move) }
        }
        return best.play
    }

    /// Steps the task solver takes to finish from this world without playing, nil when it cannot within `budget`.
    func taskSteps(_ world: World, within budget: Int) -> Int? {
        var world = world, solver = GreedyAgent(), rng = SplitMix64(seed: 0)
        var steps = 0
        while steps < budget {
            let action = solver.nextTaskAction(world)
            if action == .stay { return nil }
            let t = world.step(ActionPair(action), rng: &rng)
            steps += 1
            if t.succeeded && t.terminated { return steps }
            if t.isLast { return nil }
        }
        return nil
    }

    /// Plays that a live hidden rule could make pay, from every side of what they act on: pushing rocks where rocks
    /// bridge, digging (or pushing the rock off) where the thing is buried, ringing what sets the signal off,
    /// kicking or pushing what presses the trigger's plates.
    func usefulPlays(_ world: World) -> [PlayMove] {
        let rules = world.rules, mechanics = world.state.mechanics, draw = mechanics.draw
        func affords(_ play: PlayAction) -> Bool { rules.playMask & 1 << play.rawValue != 0 }
        var moves: [PlayMove] = []
        func around(_ target: Int, _ plays: [PlayAction]) {
            for facing in Direction.allCases {
                let stand = world.neighbour(target, Direction(rawValue: (facing.rawValue + 2) % 4) ?? facing)
                for play in plays where affords(play) { moves.append(PlayMove(cell: stand, facing: facing, play: play)) }
            }
        }
        let cellCount = world.state.cells.count / 3
        if draw.bridges && rules.mechanics.bridge != nil {
            for cell in 0..<cellCount where world.thing(cell) == .rock { around(cell, [.push]) }
        }
        if draw.buried != MechanicDraw.noCell && !mechanics.buriedFound {
            let cell = rules.buriedCells[Int(draw.buried)]
            around(cell, world.thing(cell) == .rock ? [.push] : [.dig])
        }
        if let signal = rules.mechanics.signal, draw.signal != MechanicDraw.off {
            for cell in 0..<cellCount where signal.by.contains(world.thing(cell)) { around(cell, [.ring]) }
        }
        if let trigger = rules.mechanics.trigger, draw.trigger != MechanicDraw.off {
            for cell in 0..<cellCount where trigger.by.contains(world.thing(cell)) {
                around(cell, world.thing(cell) == .ball ? [.kick, .push] : [.push])
            }
        }
        return moves
    }
}
