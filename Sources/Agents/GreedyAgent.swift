import GridWorld

/// The scripted task solver (`greedy`): plans the shortest way to finish the task.
///
/// It never plays, except in worlds with hidden rules (`Scenario.mechanics`), where it is an oracle: it reads
/// how this trial's rules were drawn and plays where that makes the way shorter or opens it (pushes the rock
/// that bridges, digs where the key lies, rings the bell that opens a door), as the upper reference for agents
/// that have to find the rules out.
public struct GreedyAgent: Agent {
    public let name = "greedy"
    /// Pulls and payouts per lever this trial, for the bandit task.
    var pulls: [Int] = []
    var wins: [Int] = []
    var lastLever: Int?
    /// The play chosen for the grid and hidden rules as they were (keyed by `situation`), nil for none: it stays
    /// the best while the agent walks to it, so it is chosen again only when something changes.
    var chosen: (situation: UInt64, play: PlayMove?)?

    public init() {}

    public mutating func beginTrial(_ world: World) {
        pulls = Array(repeating: 0, count: world.rules.level.leverOdds.count)
        wins = pulls
        chosen = nil
    }

    public mutating func beginEpisode(_ world: World) { chosen = nil }

    public mutating func decide(_ world: World, rng: inout SplitMix64) -> Decision {
        Decision(nextAction(world))
    }

    public mutating func observe(_ transition: Transition, reward: StepReward, world: World) {
        guard transition.events.contains(.pulledLever), let lever = lastLever, lever < pulls.count else { return }
        pulls[lever] += 1
        if transition.events.contains(.leverPaid) { wins[lever] += 1 }
    }

    /// The next task action toward finishing the task, `.stay` when nothing helps.
    mutating func nextTaskAction(_ world: World) -> TaskAction {
        let planner = Planner(world: world)
        let body = world.state.body
        switch world.rules.task {
        case .reachGoal:
            if let move = planner.walk(to: Set(world.cells(holding: .goal))) { return move }
            return unlockWay(world, planner) ?? .stay
        case .openDoor:
            return unlockWay(world, planner) ?? .stay
        case .collect(let kind, _):
            if kind.isPortable && body.carrying != .none { return putDown(world, planner) }
            return interact(with: Set(world.cells(holding: kind)), planner) ?? .stay
        case .deliver(let kind):
            if body.carrying == kind {
                let pads = Set(world.cells(holding: .none).filter { world.tile($0) == .pad })
                return interact(with: pads, planner) ?? .stay
            }
            if body.carrying != .none { return putDown(world, planner) }
            return interact(with: Set(world.cells(holding: kind)), planner) ?? .stay
        case .pullLevers:
            let levers = world.cells(holding: .lever)
            guard !levers.isEmpty else { return .stay }
            let choice = bestLever(count: levers.count)
            let target = levers.first { Aux.count(world.aux($0)) == choice } ?? levers[0]
            lastLever = Aux.count(world.aux(target))
            return interact(with: [target], planner) ?? .stay
        case .none:
            return .stay
        }
    }

    /// Try every lever once, then the one with the best payout rate so far (ties to the lowest index).
    func bestLever(count: Int) -> Int {
        if let untried = (0..<min(count, pulls.count)).first(where: { pulls[$0] == 0 }) { return untried }
        guard !pulls.isEmpty else { return 0 }
        func rate(_ i: Int) -> Double { Double(wins[i]) / Double(pulls[i]) }
        return (0..<pulls.count).max { rate($0) < rate($1) } ?? 0
    }

    /// Face a target and use it.
    func interact(with targets: Set<Int>, _ planner: Planner) -> TaskAction? {
        guard let (action, arrived) = planner.approach(targets) else { return nil }
        return arrived ? .use : action
    }

    /// Put down what is carried on a free cell ahead (turning to one if needed).
    func putDown(_ world: World, _ planner: Planner) -> TaskAction {
        let free = Set(world.cells(holding: .none).filter { world.tile($0).isPassable && world.tile($0) != .pad && $0 != world.state.body.cell })
        return interact(with: free, planner) ?? .stay
    }

    /// Fetch the key of a locked door and open it.
    func unlockWay(_ world: World, _ planner: Planner) -> TaskAction? {
        let body = world.state.body
        let locked = world.cells(holding: .door).filter { !Aux.isOn(world.aux($0)) }
        guard !locked.isEmpty else { return nil }
        if body.carrying == .key {
            let mine = locked.filter { Aux.color(world.aux($0)) == Aux.color(body.carryingAux) }
            if let action = interact(with: Set(mine), planner) { return action }
        }
        if body.carrying != .none { return putDown(world, planner) }
        let colors = Set(locked.map { Aux.color(world.aux($0)) })
        let keys = world.cells(holding: .key).filter { colors.contains(Aux.color(world.aux($0))) }
        return interact(with: Set(keys), planner)
    }
}
