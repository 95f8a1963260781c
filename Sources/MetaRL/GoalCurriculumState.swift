/// What a goal curriculum has learned, as a checkpoint keeps it so that `train --resume` goes on proposing goals where
/// the run stopped instead of labelling every goal afresh from the start's neighbourhood.
public struct GoalCurriculumState: Codable, Sendable, Equatable {
    /// Decayed successes and episodes per goal cell.
    public var successes: [Float]
    public var episodes: [Float]
    /// Goals ever labelled of intermediate difficulty, in the order first labelled.
    public var replay: [Int32]
    /// The generator's logits over the goal cells.
    public var generatorLogits: [Float]
    /// Trials recorded.
    public var trials: Int

    public init(successes: [Float], episodes: [Float], replay: [Int32], generatorLogits: [Float], trials: Int) {
        self.successes = successes
        self.episodes = episodes
        self.replay = replay
        self.generatorLogits = generatorLogits
        self.trials = trials
    }
}
