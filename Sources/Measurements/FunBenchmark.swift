import Fun
import GridWorld

/// What each fun model costs: time per step of world step + fun reward, relative to the bare world step,
/// both measured in the same run on the same stream of random actions.
public enum FunBenchmark {
    public struct Result: Sendable {
        /// Bare world steps per second (the baseline).
        public var worldStepsPerSecond: Double
        /// Model name → (time per step with the model) ÷ (time per bare step).
        public var costRatio: [String: Double]
    }

    /// Measures every model of `FunCatalog` (or those named) on `scenario`.
    public static func run(_ scenario: Scenario, models: [String]? = nil, seconds: Double = 0.3) throws -> Result {
        let actions = WorldBenchmark.actions(seed: 17)
        let bare = try stepsPerSecond(scenario, actions: actions, model: nil, seconds: seconds)
        var ratios: [String: Double] = [:]
        for entry in FunCatalog.entries where models?.contains(entry.name) ?? true {
            let withModel = try stepsPerSecond(scenario, actions: actions, model: entry.make(scenario, 5), seconds: seconds)
            ratios[entry.name] = bare / withModel
        }
        return Result(worldStepsPerSecond: bare, costRatio: ratios)
    }

    /// Steps per second of one world on random actions, scoring each step with `model` when given.
    static func stepsPerSecond(_ scenario: Scenario, actions: [ActionPair], model: (any FunModel)?, seconds: Double) throws -> Double {
        var env = try TrialWorld(scenario: scenario, seed: 7)
        var model = model
        var next = 0
        var total: Float = 0
        let result = try rate(seconds: seconds) { () throws -> Int in
            let chunk = 256
            for _ in 0..<chunk {
                let action = actions[next & (actions.count - 1)]
                next &+= 1
                let before = env.world
                let t = env.step(action)
                if model != nil {
                    total += model!.reward(FunInput(before: before, action: action, transition: t, after: env.world))
                }
                if t.isLast {
                    try env.beginNextEpisode()
                    model?.startEpisode()
                }
            }
            return chunk
        }
        precondition(!total.isNaN, "a fun model scored NaN")
        return result
    }
}
