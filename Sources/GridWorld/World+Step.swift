extension World {
    /// Applies one action pair and the world's own dynamics. O(1) without dynamics; allocates nothing.
    ///
    /// `rng` drives the random parts of the world (lever payouts, drift, goal moves), so a run is a pure
    /// function of its seed and its actions.
    public mutating func step(_ action: ActionPair, rng: inout SplitMix64) -> Transition {
        var t = Transition()
        state.step &+= 1
        switch rules.coupling {
        case .exclusive:
            if action.play != .none {
                play(action.play, &t)
            } else {
                task(action.task, &t, rng: &rng)
            }
        case .simultaneous(let energy, let playCost, let restGain):
            task(action.task, &t, rng: &rng)
            if action.play == .none {
                state.body.energy = min(energy, state.body.energy &+ restGain)
            } else if state.body.energy >= playCost {
                state.body.energy &-= playCost
                play(action.play, &t)
            } else {
                t.events.insert(.tired)
            }
        }
        if state.mechanics.signalClosesAt != 0 && state.step >= state.mechanics.signalClosesAt {
            closeSignalledDoors(&t)
        }
        if !rules.dynamics.isStatic && !t.terminated {
            applyDynamics(&t, rng: &rng)
        }
        if !t.terminated && state.step >= rules.maxSteps {
            t.truncated = true
        }
        return t
    }

    /// The success reward for finishing now: 1 − 0.9·t/T.
    var successReward: Float { 1 - 0.9 * Float(state.step) / Float(rules.maxSteps) }

    @inline(__always) mutating func setThing(_ cell: Int, _ thing: Thing, _ aux: UInt8) {
        state.cells[cell &* 3 &+ 1] = thing.rawValue
        state.cells[cell &* 3 &+ 2] = aux
    }

    @inline(__always) mutating func setTile(_ cell: Int, _ tile: Tile) {
        state.cells[cell &* 3] = tile.rawValue
    }

    // MARK: The task half

    mutating func task(_ action: TaskAction, _ t: inout Transition, rng: inout SplitMix64) {
        if let direction = action.direction {
            state.body.facing = direction
            let target = neighbour(state.body.cell, direction)
            guard isEnterable(target) else {
                t.events.insert(.bumped)
                return
            }
            state.body.cell = target
            t.events.insert(.moved)
            if thing(target) == .goal, case .reachGoal = rules.task {
                t.events.insert(.reachedGoal)
                succeed(&t)
            }
        } else if action == .use {
            use(&t, rng: &rng)
        }
    }

    mutating func succeed(_ t: inout Transition) {
        t.taskReward += successReward
        t.terminated = true
        t.succeeded = true
    }

    mutating func use(_ t: inout Transition, rng: inout SplitMix64) {
        let ahead = neighbour(state.body.cell, state.body.facing)
        let kind = thing(ahead)
        let auxAhead = aux(ahead)
        switch kind {
        case .none:
            guard state.body.carrying != .none, tile(ahead).isPassable else { return }
            setThing(ahead, state.body.carrying, state.body.carryingAux)
            let carried = state.body.carrying
            state.body.carrying = .none
            state.body.carryingAux = 0
            t.events.insert(.putDown)
            if tile(ahead) == .pad, case .deliver(let wanted) = rules.task, wanted == carried {
                t.events.insert(.delivered)
                succeed(&t)
            }
        case .key, .ball, .block:
            guard state.body.carrying == .none else { return }
            let height = Aux.height(auxAhead)
            if kind == .block && height > 1 {
                setThing(ahead, .block, Aux.withCount(auxAhead, height - 1))
            } else {
                setThing(ahead, .none, 0)
                noteTaken(ahead, kind, auxAhead)
            }
            state.body.carrying = kind
            state.body.carryingAux = kind == .block ? Aux.withCount(0, 1) : auxAhead
            t.events.insert(.pickedUp)
            collect(kind, &t)
        case .fruit:
            setThing(ahead, .none, 0)
            noteTaken(ahead, kind, auxAhead)
            t.events.insert(.ate)
            collect(kind, &t)
        case .door:
            guard !Aux.isOn(auxAhead), state.body.carrying == .key,
                  Aux.color(state.body.carryingAux) == Aux.color(auxAhead) else { return }
            setThing(ahead, .door, auxAhead | Aux.onBit)
            t.events.insert(.opened)
            if case .openDoor = rules.task { succeed(&t) }
        case .lever:
            t.events.insert(.pulledLever)
            let index = Aux.count(auxAhead)
            let odds = index < rules.level.leverOdds.count ? rules.level.leverOdds[index] : 0
            let paid = rng.chance(odds)
            if paid {
                t.events.insert(.leverPaid)
                t.taskReward += 1
                t.succeeded = true
            }
            t.luck += (paid ? 1 : 0) - Float(odds)
            if case .pullLevers = rules.task { t.terminated = true }
        case .rock, .goal, .bell, .lightSwitch, .lamp:
            return
        }
    }

    mutating func collect(_ kind: Thing, _ t: inout Transition) {
        guard case .collect(let wanted, let count) = rules.task, wanted == kind else { return }
        state.collected &+= 1
        t.events.insert(.collected)
        t.taskReward += successReward / Float(count)
        if state.collected >= count {
            t.terminated = true
            t.succeeded = true
        }
    }

    mutating func noteTaken(_ cell: Int, _ kind: Thing, _ aux: UInt8) {
        guard let delay = rules.dynamics.respawn[kind] else { return }
        state.respawns.append(WorldState.Respawn(cell: cell, thing: kind, aux: aux, due: state.step &+ delay))
    }

    // MARK: The play half

    mutating func play(_ action: PlayAction, _ t: inout Transition) {
        guard rules.playMask & (1 << action.rawValue) != 0 else {
            t.events.insert(.fumbled)
            return
        }
        let facing = state.body.facing
        let ahead = neighbour(state.body.cell, facing)
        let kind = thing(ahead)
        switch action {
        case .none:
            return
        case .push:
            guard kind == .rock || kind == .ball || kind == .block else { return fumble(&t) }
            let beyond = neighbour(ahead, facing)
            let ground = tile(beyond)
            if kind == .rock && ground == .water && rules.mechanics.bridge != nil && thing(beyond) == .none {
                setThing(ahead, .none, 0)
                t.events.insert(.pushed)
                if state.mechanics.draw.bridges {
                    setTile(beyond, .bridge)
                    t.events.insert(.bridged)
                } else {
                    t.events.insert(.rockSankInWater)
                }
                uncover(ahead, dug: false, &t)
                return
            }
            guard ground.isPassable, thing(beyond) == .none else { return fumble(&t) }
            let moved = aux(ahead)
            setThing(ahead, .none, 0)
            t.events.insert(.pushed)
            if kind == .rock && (ground == .sand || ground == .hole) {
                setTile(beyond, .sunkRock)
                t.events.insert(.rockSank)
            } else {
                setThing(beyond, kind, moved)
                if ground == .plate { press(kind, &t) }
            }
            if kind == .rock { uncover(ahead, dug: false, &t) }
        case .kick:
            guard kind == .ball else { return fumble(&t) }
            t.events.insert(.kicked)
            // Holes and plates catch a rolling ball.
            var at = ahead
            var next = neighbour(at, facing)
            while tile(at) != .hole && tile(at) != .plate && tile(next).isPassable && thing(next) == .none {
                at = next
                next = neighbour(at, facing)
            }
            guard at != ahead else { return }
            let ballAux = aux(ahead)
            setThing(ahead, .none, 0)
            setThing(at, .ball, ballAux)
            t.events.insert(.ballRolled)
            switch tile(at) {
            case .hole: break
            case .plate: press(.ball, &t)
            default: t.events.insert(.ballBounced)
            }
        case .ring:
            if kind == .bell {
                t.events.insert(.bellRang)
            } else if kind == .lightSwitch {
                let lit = !Aux.isOn(aux(ahead))
                setThing(ahead, .lightSwitch, lit ? aux(ahead) | Aux.onBit : aux(ahead) & ~Aux.onBit)
                let lamps = rules.lampCells
                for i in lamps.indices where thing(lamps[i]) == .lamp {
                    setThing(lamps[i], .lamp, lit ? aux(lamps[i]) | Aux.onBit : aux(lamps[i]) & ~Aux.onBit)
                }
                t.events.insert(.lightToggled)
            } else {
                return fumble(&t)
            }
            if rules.signalledBy & 1 << UInt16(kind.rawValue) != 0 { signal(&t) }
        case .dig:
            let ground = tile(ahead)
            guard kind == .none, ground == .sand || ground == .grass else { return fumble(&t) }
            setTile(ahead, .hole)
            t.events.insert(.dug)
            uncover(ahead, dug: true, &t)
        case .build:
            if state.body.carrying == .block && tile(ahead).isPassable && (kind == .none || kind == .block) {
                let height = kind == .block ? Aux.height(aux(ahead)) + 1 : 1
                setThing(ahead, .block, Aux.withCount(0, height))
                state.body.carrying = .none
                state.body.carryingAux = 0
                t.events.insert(.built)
                if height >= 3 { t.events.insert(.towerStood) }
                if tile(ahead) == .plate { press(.block, &t) }
            } else if kind == .none && tile(ahead) == .hole {
                setTile(ahead, .sand)
                t.events.insert(.filled)
            } else {
                fumble(&t)
            }
        case .spin:
            t.events.insert(.spun)
        }
    }

    @inline(__always) func fumble(_ t: inout Transition) { t.events.insert(.fumbled) }

    // MARK: Hidden mechanics

    /// Brings the buried thing to light if this trial hid it under `cell` and it is still hidden: dug up, a thing
    /// that can be carried comes up in the agent's empty hands; otherwise it lies where it was found.
    @inline(__always) mutating func uncover(_ cell: Int, dug: Bool, _ t: inout Transition) {
        let m = state.mechanics
        guard m.draw.buried != MechanicDraw.noCell, !m.buriedFound, rules.buriedCells[Int(m.draw.buried)] == cell,
              let rule = rules.mechanics.buried else { return }
        state.mechanics.buriedFound = true
        t.events.insert(.foundBuried)
        if dug && rule.thing.isPortable && state.body.carrying == .none {
            state.body.carrying = rule.thing
            state.body.carryingAux = rule.thing == .block ? Aux.withCount(0, 1) : rule.aux
            t.events.insert(.pickedUp)
            collect(rule.thing, &t)
        } else {
            setThing(cell, rule.thing, rule.aux)
        }
    }

    /// A bell or switch went off: the signal opens its doors (and, when timed, keeps them open from now on).
    mutating func signal(_ t: inout Transition) {
        let color = state.mechanics.draw.signal
        guard color != MechanicDraw.off else { return }
        if openDoors(color) { t.events.insert(.signalOpened) }
        if let duration = rules.mechanics.signal?.duration { state.mechanics.signalClosesAt = state.step &+ duration }
    }

    /// Something came to rest on a plate by play: the trigger opens its doors if that thing presses it.
    mutating func press(_ kind: Thing, _ t: inout Transition) {
        let color = state.mechanics.draw.trigger
        guard rules.pressedBy & 1 << UInt16(kind.rawValue) != 0, color != MechanicDraw.off else { return }
        if openDoors(color) { t.events.insert(.gateOpened) }
    }

    /// Opens every closed door of a colour. Returns whether any opened.
    ///
    /// The cell lists of the rules are walked by index, here and in every loop a step runs: a debug build (which the
    /// tests and `swift run` use) allocates for each element that an Array's iterator yields.
    mutating func openDoors(_ color: UInt8) -> Bool {
        var opened = false
        let doors = rules.doorCells[Int(color)]
        for i in doors.indices where thing(doors[i]) == .door && !Aux.isOn(aux(doors[i])) {
            setThing(doors[i], .door, aux(doors[i]) | Aux.onBit)
            opened = true
        }
        return opened
    }

    /// A timed signal ran out: its doors close, except one the agent stands in (then it tries again next step).
    mutating func closeSignalledDoors(_ t: inout Transition) {
        var blocked = false, closed = false
        let color = state.mechanics.draw.signal
        if color != MechanicDraw.off {
            let doors = rules.doorCells[Int(color)]
            for i in doors.indices where thing(doors[i]) == .door && Aux.isOn(aux(doors[i])) {
                let cell = doors[i]
                if cell == state.body.cell {
                    blocked = true
                } else {
                    setThing(cell, .door, aux(cell) & ~Aux.onBit)
                    closed = true
                }
            }
        }
        if closed { t.events.insert(.doorsClosed) }
        if !blocked { state.mechanics.signalClosesAt = 0 }
    }
}
