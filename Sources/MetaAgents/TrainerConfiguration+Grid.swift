import MetaRL

extension TrainerConfiguration {
    /// The recipe that meta-trains gridworld agents: 128-step segments, a higher learning rate than the
    /// library default, standardised advantages and a stronger entropy bonus (two heads to keep exploring).
    ///
    /// `playgrid train` and `playgrid experiment` both use it, so an experiment's agents are trained the way
    /// a researcher's single runs are.
    public static func gridworld(seed: UInt64, threads: Int) -> TrainerConfiguration {
        var configuration = TrainerConfiguration()
        configuration.seed = seed
        configuration.threads = threads
        configuration.rolloutLength = 128
        configuration.learningRate = 1e-3
        configuration.normalizeAdvantages = true
        configuration.coefficients.entropy = 0.02
        return configuration
    }
}
