extension World {
    /// The world's own changes after the agent acts: moving goals, drifting and regrowing things, scheduled doors,
    /// hidden rules drawn anew.
    mutating func applyDynamics(_ t: inout Transition, rng: inout SplitMix64) {
        let dynamics = rules.dynamics
        if dynamics.goalMovesEvery > 0 && state.step % dynamics.goalMovesEvery == 0 {
            if moveGoal(rng: &rng) { t.events.insert(.goalMoved) }
        }
        if !dynamics.drift.isEmpty {
            drift(dynamics.drift, &t, rng: &rng)
        }
        if !state.respawns.isEmpty {
            var i = 0
            while i < state.respawns.count {
                let r = state.respawns[i]
                if state.step >= r.due && thing(r.cell) == .none && r.cell != state.body.cell {
                    setThing(r.cell, r.thing, r.aux)
                    state.respawns.remove(at: i)
                    t.events.insert(.thingRespawned)
                } else {
                    i += 1
                }
            }
        }
        if let schedule = dynamics.doorSchedule {
            let phase = state.step % (schedule.open + schedule.closed)
            if phase == 0 || phase == schedule.open {
                setScheduledDoors(open: phase == 0, &t)
            }
        }
        if dynamics.redrawRulesEvery > 0 && state.step % dynamics.redrawRulesEvery == 0 {
            redrawRules(rng: &rng)
        }
    }

    /// Draws how the hidden rules go anew. What they already did stays done: bridges stand, open doors stay open,
    /// and a thing already found is not buried again this episode.
    mutating func redrawRules(rng: inout SplitMix64) {
        state.mechanics.draw = rules.mechanics.draw(buriedCandidates: rules.buriedCells.count, rng: &rng)
    }

    /// Moves the goal to a random free cell reachable from the start. Returns whether it moved.
    @discardableResult
    mutating func moveGoal(rng: inout SplitMix64) -> Bool {
        let candidates = rules.goalCandidates
        guard !candidates.isEmpty else { return false }
        // A goal's own cell counts as free, as it will be once the goals are lifted. Lifting them only once a target
        // is found, rather than first and putting them back on failure, needs no list of where they were: no allocation.
        func isFree(_ cell: Int) -> Bool { (thing(cell) == .none || thing(cell) == .goal) && cell != state.body.cell }
        var target = candidates[rng.below(candidates.count)]
        var tries = 0
        while !isFree(target) && tries < 16 {
            target = candidates[rng.below(candidates.count)]
            tries += 1
        }
        guard isFree(target) else { return false }
        for cell in 0..<state.cells.count / 3 where thing(cell) == .goal { setThing(cell, .none, 0) }
        setThing(target, .goal, 0)
        return true
    }

    mutating func drift(_ drift: [Thing: Double], _ t: inout Transition, rng: inout SplitMix64) {
        // Collect first, so a thing that drifts forward is not moved twice in one step.
        let movers = stride(from: 0, to: state.cells.count / 3, by: 1).filter {
            guard let kind = Thing(rawValue: state.cells[$0 * 3 + 1]) else { return false }
            return drift[kind] != nil
        }
        for cell in movers {
            let kind = thing(cell)
            guard let p = drift[kind], rng.chance(p) else { continue }
            let target = neighbour(cell, Direction(rawValue: UInt8(rng.below(4)))!)
            guard tile(target).isPassable, thing(target) == .none, target != state.body.cell else { continue }
            setThing(target, kind, aux(cell))
            setThing(cell, .none, 0)
            t.events.insert(.thingDrifted)
        }
    }

    /// Opens or closes every scheduled door (doors drawn open in the map), never shutting one on the agent.
    mutating func setScheduledDoors(open: Bool, _ t: inout Transition) {
        var changed = false
        let doors = rules.scheduledDoorCells
        for i in doors.indices where doors[i] != state.body.cell && thing(doors[i]) == .door {
            let cell = doors[i], a = aux(cell)
            guard Aux.isOn(a) != open else { continue }
            setThing(cell, .door, open ? a | Aux.onBit : a & ~Aux.onBit)
            changed = true
        }
        if changed { t.events.insert(open ? .doorsOpened : .doorsClosed) }
    }
}
