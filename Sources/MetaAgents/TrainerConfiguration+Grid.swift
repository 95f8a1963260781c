import GridWorld
import MetaRL
import NeuralCore

extension TrainerConfiguration {
    /// The recipe that meta-trains gridworld agents: 256-step segments (BPTT spans several episodes of a trial,
    /// so what was seen in one can be learnt to matter in the next), a higher learning rate than the library
    /// default, standardised advantages and a weak entropy bonus. A bonus of 0.02 or even 0.005 kept pulling the
    /// play head towards uniform, where six of seven steps are play that takes the turn: four-rooms agents idled
    /// (play ratio 0.3–0.8 after 4–12M steps) and solved a quarter to a half of the episodes; at 0.002, trained on
    /// four-rooms alone, they stopped playing (0.001) and solved 0.94 after 30M steps. (Trained over five scenarios,
    /// where play pays in some, the agent still idles in four-rooms: see the README.)
    ///
    /// `playgrid train` and `playgrid experiment` both use it, so an experiment's agents are trained the way
    /// a researcher's single runs are.
    public static func gridworld(seed: UInt64, threads: Int) -> TrainerConfiguration {
        var configuration = TrainerConfiguration()
        configuration.seed = seed
        configuration.threads = threads
        configuration.rolloutLength = 256
        configuration.learningRate = 1e-3
        configuration.normalizeAdvantages = true
        configuration.coefficients.entropy = 0.002
        return configuration
    }
}

/// A named way to train gridworld agents: the trainer's settings and the plays the policy chooses among. A
/// checkpoint's identity records the name; `playgrid train --recipe` picks one.
public enum GridRecipe: String, CaseIterable, Sendable {
    /// `TrainerConfiguration.gridworld`, every play action: how the bundled explorer and four-rooms agents were trained.
    case gridworld
    /// For worlds whose hidden rules play finds out: the policy chooses only among the plays the world affords
    /// (the scenario's `play:` list, as legal moves), and a five times stronger entropy bonus over what the world
    /// can tell apart (`EntropyMeasure.outcomes`). Trained on task reward alone, the gridworld recipe's play head
    /// drifted to playing on every step in buried-key (by 2.7M steps) and tinker-lab, where nothing pays until a
    /// hidden rule is found: with six plays against one `none`, or even one against one, standardised advantages
    /// turn noise into full Adam steps, and the old bonus pulled towards playing on k of k + 1 steps. Here the bonus
    /// pulls towards a walk that tries every distinct action evenly, so the agent keeps exploring until the rule
    /// pays (see the README for the runs).
    case tinkering
    /// DIAYN for the recurrent agent (`playgrid train --skills K`): the policy chooses only among the plays the world
    /// affords, with an entropy bonus (DIAYN's H(A|S)) of 0.003. At 0.01 the policy stayed near uniform in the
    /// skill room (entropy 1.57 of ln 6 ≈ 1.79 after 1.6M steps, K = 4), so every skill wandered everywhere (visit
    /// maps overlapping 0.45 on average) and the skill reward stayed below zero; at 0.003 the skills settle on
    /// places of their own (K = 4: entropy 0.2 and 0.6 of skill reward a step by 5.5M steps).
    case skills
    /// For bandits in a grid (`lever-bandit`: walk to a lever and pull it, one pull an episode). PPO (8 passes over
    /// 32 environments' segments: see `environments`) over segments that hold whole trials; a tanh trunk, because a pull's payout arrives when the agent already stands at the
    /// start again, so the heads must combine where memory says it was with where it is (5M steps: 6.14 a trial with
    /// the trunk, 5.69 without; random 5.0); the learning rate falling over the run. Each pull is learned from its
    /// lever's odds, not from what it paid (`learnsFromExpectedRewards`; the agent still sees the payout): without the
    /// draw's noise, returns that span the trial can value trying a fresh lever over one that paid once in two, which
    /// returns ending with each episode cannot tell apart (both expect 0.5) at a cost of 0.09 a trial
    /// (`benchmarks/lever_bandit_bayes.py`). 12M steps, 8,000 held-out trials: 6.60 and 6.61 on training seeds 1 and
    /// 2, against 6.51 and 6.49 learning from payouts with returns ending each episode, 6.26 with returns spanning the
    /// trial; odds with returns ending each episode 6.58 and 6.58 (ties then went to the known lever). A strong entropy bonus (0.1)
    /// that falls with the learning rate, and no play: at 0.01 the agents explored one side of the start only (after
    /// the middle lever always left, or always right; the other move's probability below 0.01 in every state), so
    /// they used at most three levers, where Bayes-optimal play earns 6.41 a trial (four levers 6.58, five 6.66).
    /// The bonus keeps the other direction alive while the memory learns what it is for (one thread, seed 1, held-out
    /// seed 99: 6.07 at 0.01 with play, 6.28 at 0.03 still one-sided, 6.37 at 0.1 with both sides and up to four
    /// levers; `benchmarks/lever_bandit_bayes.py` gives the ceilings); a play choice would only spend an episode's
    /// ten steps and soak up the bonus. The gridworld recipe stays at random's level however long it trains (see
    /// the README).
    case bandit
    /// For goal-conditioned agents (`playgrid train --goals`): the gridworld recipe turned into PPO (4 passes over each
    /// 256-step segment, ratio clip 0.2), with an entropy bonus of 0.01 and no play. With the gridworld recipe's A2C every
    /// goal agent collapsed in four-rooms at 2.5–3M steps: task return and held-out coverage fell to near 0 within a few
    /// updates and stayed there for 1–2M steps. Clipping the gradient harder, Adam β₂ 0.99, a floor under the advantages'
    /// spread, 32-step back-propagation spans and a spike guard did not prevent it (the gradient spikes come with a
    /// collapse, not before it); an entropy bonus of 0.01 delayed it by 1–3M steps. PPO's trust region did: coverage
    /// 1.00 from 1.5M to 4M steps, where A2C with the same bonus collapsed at 3.25M (docs/goals.md). The gridworld recipe
    /// keeps A2C and 0.002 because its bundled agents were made with them; a goal agent does not play (free to, it
    /// drifted to playing on most steps).
    case goals

    /// The recipe `playgrid train` uses unless told: `bandit` when every scenario is a lever bandit, else `gridworld`.
    public static func suited(to scenarios: [Scenario]) -> GridRecipe {
        !scenarios.isEmpty && scenarios.allSatisfy({ $0.task == .pullLevers }) ? .bandit : .gridworld
    }

    /// Environment steps `playgrid train` runs unless told (goals: six 2M-step runs held coverage ≥ 0.96 from 1.5M on).
    public var defaultSteps: Int {
        switch self {
        case .gridworld, .tinkering: 2_000_000
        case .skills: 28_000_000
        case .bandit: 12_000_000
        case .goals: 2_000_000
        }
    }

    /// The trainer's settings for a run of `seed` on `threads` threads that will last `steps` environment steps.
    public func configuration(seed: UInt64, threads: Int, steps: Int? = nil) -> TrainerConfiguration {
        var configuration = TrainerConfiguration.gridworld(seed: seed, threads: threads)
        switch self {
        case .gridworld: break
        case .tinkering:
            configuration.coefficients.entropy = 0.01
            configuration.coefficients.entropyOver = .outcomes
        case .skills:
            configuration.coefficients.entropy = 0.003
        case .bandit:
            configuration.rolloutLength = 100
            configuration.epochs = 8
            configuration.clipRange = 0.2
            configuration.coefficients.entropy = 0.1
            configuration.entropyFallsWithLearningRate = true
            configuration.learningRateDecaySteps = steps
            configuration.learnsFromExpectedRewards = true
        case .goals:
            configuration.coefficients.entropy = 0.01
            configuration.epochs = 4
            configuration.clipRange = 0.2
        }
        return configuration
    }

    /// Environments stepped together, unless told. The bandit's 32 with 8 PPO passes (four times the optimisation
    /// per environment step) lifted the grid bandit from 6.40 ± 0.03 to 6.51 and 6.49 a trial on two training seeds
    /// (8,000 held-out trials of evaluation seeds 7–14, ± one standard error); either change alone was within noise.
    public var environments: Int {
        switch self {
        case .gridworld, .tinkering, .skills, .goals: 64
        case .bandit: 32
        }
    }

    /// The GRU's size.
    public var hiddenSize: Int {
        switch self {
        case .gridworld, .tinkering, .skills, .goals: 128
        case .bandit: 64
        }
    }

    /// Width of the tanh layer between the GRU and the heads (0: the heads read the GRU directly).
    public var trunkSize: Int {
        switch self {
        case .gridworld, .tinkering, .skills, .goals: 0
        case .bandit: 128
        }
    }

    /// The plays the policy chooses among.
    public var plays: PlayChoices {
        switch self {
        case .gridworld: .all
        case .tinkering, .skills: .afforded
        case .bandit, .goals: .none
        }
    }
}

extension Trainer where Environment == GridMetaEnvironment {
    /// Initial logit of `PlayAction.none` (the others start at 0): a near-uniform play head would spend six
    /// of seven early steps on play, each of which takes the turn, so an untrained agent would barely move.
    public static let initialNoPlayLogit: Float = 3

    /// A fresh gridworld trainer whose play head starts out mostly not playing (p(none) ≈ 0.77).
    public static func gridworld(environment: GridMetaEnvironment, policy: RecurrentPolicy,
                                 configuration: TrainerConfiguration) throws(TrainingError) -> Trainer {
        var rng = SplitMix64(seed: configuration.seed)
        var parameters = policy.initialParameters(rng: &rng)
        parameters[policy.head.linear.bias.offset + policy.head.taskCount + Int(PlayAction.none.rawValue)] = initialNoPlayLogit
        return try Trainer(environment: environment, policy: policy, configuration: configuration, parameters: parameters,
                           optimizer: configuration.freshOptimizer(parameterCount: policy.parameterCount),
                           updateCount: 0, environmentSteps: 0)
    }
}
