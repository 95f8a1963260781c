import GridWorld

/// Uniform over task actions and over the afforded play actions (with none): the baseline of every table.
public struct RandomAgent: Agent {
    public let name = "random"
    public init() {}

    public mutating func decide(_ world: World, rng: inout SplitMix64) -> Decision {
        let task = TaskAction(rawValue: UInt8(rng.below(TaskAction.count)))!
        let mask = world.rules.playMask
        let choices = mask.nonzeroBitCount
        var pick = rng.below(choices)
        var play = PlayAction.none
        for action in PlayAction.allCases where mask & (1 << action.rawValue) != 0 {
            if pick == 0 { play = action; break }
            pick -= 1
        }
        return Decision(ActionPair(task, play))
    }
}
