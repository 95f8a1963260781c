import Clocks
import Fun
import GridWorld
import MetaRL
import NeuralCore

/// Meta-training of SiMPL's high level (`playgrid train SCENARIOS --skills-from SKILLS`): the RL² agent of the gridworld
/// recipe choosing among a skill model's skills every H steps (`SkillLevelEnvironment`), with the KL penalty to the
/// skill prior. Budgets are counted in gridworld steps, so it compares with a flat agent at equal environment steps.
public final class SkillLevelTraining {
    public struct Plan: Sendable {
        public var scenarios: [Scenario]
        public var fun: FunSpec
        public var skills: PlaySkills
        /// The skill file's name, which the checkpoint records with the model's fingerprint.
        public var skillsName: String
        public var seed: UInt64
        public var envs = Self.defaultEnvs
        public var threads = 1
        public var hidden = 128
        /// α of the KL penalty: the trainer's entropy bonus and the prior term's weight alike.
        public var priorWeight: Float
        public var configuration: TrainerConfiguration
        public var tool = ""

        /// The gridworld recipe's settings with 32 decisions a segment (32·H gridworld steps) and α as entropy bonus.
        public init(scenarios: [Scenario], fun: FunSpec, skills: PlaySkills, skillsName: String, seed: UInt64,
                    priorWeight: Float = Self.defaultPriorWeight) {
            self.scenarios = scenarios
            self.fun = fun
            self.skills = skills
            self.skillsName = skillsName
            self.seed = seed
            self.priorWeight = priorWeight
            configuration = .gridworld(seed: seed, threads: 1)
            configuration.rolloutLength = Self.decisionsPerSegment
        }

        /// Environments stepped together unless told: the most threads a training can split them across.
        public static let defaultEnvs = 64

        /// α: 0.01, five times the flat recipe's entropy bonus, since a decision is H steps' worth of choice.
        public static let defaultPriorWeight: Float = 0.01
        /// Decisions per rollout segment: with H = 10 about the flat recipe's 256 gridworld steps.
        public static let decisionsPerSegment = 32
    }

    public let run: TrainingRun<SkillLevelEnvironment>
    public var trainer: Trainer<SkillLevelEnvironment> { run.trainer }

    /// A fresh run.
    public init(_ plan: Plan) throws {
        var configuration = plan.configuration
        configuration.seed = plan.seed
        configuration.threads = plan.threads
        configuration.coefficients.entropy = plan.priorWeight
        let environment = try SkillLevelEnvironment(scenarios: plan.scenarios, funSpec: plan.fun, batchSize: plan.envs,
                                                    skills: plan.skills, priorWeight: plan.priorWeight)
        let policy = RecurrentPolicy(PolicyConfiguration(for: environment, hiddenSize: plan.hidden))
        var rng = SplitMix64(seed: configuration.seed)
        let parameters = policy.initialParameters(rng: &rng)
        let trainer = try Trainer(environment: environment, policy: policy, configuration: configuration, parameters: parameters,
                                  optimizer: Adam(parameterCount: policy.parameterCount, learningRate: configuration.learningRate),
                                  updateCount: 0, environmentSteps: 0)
        var identity = TrainingIdentity(environment: environment, configuration: configuration, fun: plan.fun.description,
                                        recipe: Self.recipe, tool: plan.tool)
        identity.skillsFrom = FamilyID(name: plan.skillsName, fingerprint: plan.skills.fingerprint)
        identity.skillPriorWeight = plan.priorWeight
        run = TrainingRun(trainer: trainer, identity: identity)
    }

    /// The name the identity records for this way of training.
    public static let recipe = "skill-level"

    /// Gridworld steps taken so far.
    public var lowLevelSteps: Int { trainer.environment.lowLevelSteps }

    /// Trains until `steps` gridworld steps have been taken in all (or `progress` returns false), saving as `saving`
    /// says; `progress` sees each update's metrics and the gridworld steps so far.
    public func train(steps: Int, saving: TrainingRun<SkillLevelEnvironment>.Saving? = nil,
                      clock: any MonotonicClock = SystemClock(),
                      progress: (TrainingMetrics, Int) throws -> Bool = { _, _ in true }) throws {
        var lastSave = clock.now
        var done = lowLevelSteps
        while done < steps {
            let m: TrainingMetrics
            do {
                m = try trainer.step()
            } catch {
                if let saving { try run.save(to: saving.path) }
                throw error
            }
            done = lowLevelSteps
            let goOn = try progress(m, done)
            if let saving, let every = saving.everySeconds, clock.seconds(since: lastSave) >= every {
                try run.save(to: saving.path)
                lastSave = clock.now
            }
            if !goOn { break }
        }
        if let saving { try run.save(to: saving.path) }
    }
}
