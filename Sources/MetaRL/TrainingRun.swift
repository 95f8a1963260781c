import Clocks

/// One training run of the meta-learner, from a fresh start or a checkpoint, saved as it goes: the one loop that
/// `playgrid train`, experiment cells and the meta-learning checks run.
///
/// A run saves its checkpoint atomically on the schedule it is given and at the end; when an update diverges it
/// saves the last good parameters before it reports the error, so a long run never loses what it learned.
public final class TrainingRun<Environment: MetaEnvironment> {
    public let trainer: Trainer<Environment>
    public let identity: TrainingIdentity
    /// What time-based saving reads.
    let clock: any MonotonicClock

    /// When a run writes its checkpoint.
    public struct Saving: Sendable {
        public var path: String
        /// Every this many updates (nil: only by time and at the end).
        public var everyUpdates: Int?
        /// Whenever this much time has passed since the last save (nil: only by updates and at the end).
        public var everySeconds: Double?

        public init(path: String, everyUpdates: Int? = nil, everySeconds: Double? = nil) {
            self.path = path
            self.everyUpdates = everyUpdates.map { max($0, 1) }
            self.everySeconds = everySeconds
        }
    }

    /// A fresh run's identity is the environment's families and observation layout with the caller's account
    /// of the rest; a resumed run keeps the identity its checkpoint was trained under.
    public init(trainer: Trainer<Environment>, identity: TrainingIdentity, clock: any MonotonicClock = SystemClock()) {
        self.trainer = trainer
        self.identity = identity
        self.clock = clock
    }

    /// The run's current state as a checkpoint.
    public var checkpoint: Checkpoint { Checkpoint(trainer: trainer, identity: identity) }

    /// Trains until `steps` more environment steps have been taken (or `progress` returns false), saving as
    /// `saving` says. Returns the last update's metrics (nil if none ran).
    @discardableResult
    public func run(steps: Int, saving: Saving? = nil,
                    progress: (TrainingMetrics) throws -> Bool = { _ in true }) throws -> TrainingMetrics? {
        var lastSave = clock.now
        let target = trainer.environmentSteps + steps
        var last: TrainingMetrics?
        while trainer.environmentSteps < target {
            let m: TrainingMetrics
            do {
                m = try trainer.step()
            } catch {
                if let saving { try save(to: saving.path) }
                throw error
            }
            last = m
            let goOn = try progress(m)
            if let saving {
                let byUpdates = saving.everyUpdates.map { m.update % $0 == 0 } ?? false
                let byTime = saving.everySeconds.map { clock.seconds(since: lastSave) >= $0 } ?? false
                if byUpdates || byTime {
                    try save(to: saving.path)
                    lastSave = clock.now
                }
            }
            if !goOn { break }
        }
        if let saving { try save(to: saving.path) }
        return last
    }

    /// Writes the checkpoint atomically.
    public func save(to path: String) throws(CheckpointError) {
        try checkpoint.write(to: path)
    }
}

extension TrainingIdentity {
    /// The identity of a fresh run on `environment` with `configuration`.
    public init<E: MetaEnvironment>(environment: E, configuration: TrainerConfiguration, fun: String, recipe: String,
                                    tool: String) {
        self.init(families: environment.families, fun: fun, seed: configuration.seed, recipe: recipe,
                  envs: environment.batchSize, threads: configuration.threads,
                  observation: environment.observationEncoding, tool: tool)
    }
}
