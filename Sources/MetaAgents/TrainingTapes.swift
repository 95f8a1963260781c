import Dispatch
import Engine
import Foundation
import Fun
import GridWorld
import MetaRL
import Records
import Synchronization
import Tapes

/// Evaluation tapes written while training, to watch behaviour change as the agent learns: each snapshot is the
/// policy of one training step playing one held-out trial of every training scenario, appended to one growing tape
/// per scenario (`DIR/<scenario>.tape`, format version 3: docs/tape-format.md).
///
/// Every snapshot plays the same trial — trial 0 of the evaluation seed, whose MDP training never draws, with the
/// agent's sampling seeded the same way — so two snapshots differ only by the parameters, and the last one is what
/// `playgrid run SCENARIO --agent CKPT --seed SEED --trials 1` records. Snapshots are played on a queue of their
/// own, off the training thread, from a copy of the parameters: training does exactly what it does without them.
public final class TrainingTapes: @unchecked Sendable {
    /// Where and how often.
    public struct Plan: Sendable {
        /// The folder the tapes go in (made if missing).
        public var directory: String
        /// A snapshot every this many updates (and before the first and after the last).
        public var every: Int
        /// The evaluation seed: snapshots play trial 0 of it.
        public var seed: UInt64
        /// The agent's name in the tapes' headers.
        public var agent: String
        /// Overwrite tapes that exist.
        public var force: Bool
        /// Append to the tapes that exist (a resumed run's), after their last snapshot up to the update it resumes at.
        public var continuing: Bool

        /// About once a minute: an update of the default batch (64 environments × 128 steps) takes 40–80 ms on one
        /// or two threads (100–200k environment steps a second), so 1,000 updates are 40–80 s.
        public static let defaultEvery = 1000
        /// The seed `playgrid run` defaults to, so the last snapshot can be checked against a run of the checkpoint.
        public static let defaultSeed: UInt64 = 1

        public init(directory: String, every: Int = Plan.defaultEvery, seed: UInt64 = Plan.defaultSeed, agent: String,
                    force: Bool = false, continuing: Bool = false) {
            self.directory = directory
            self.every = max(1, every)
            self.seed = seed
            self.agent = agent
            self.force = force
            self.continuing = continuing
        }
    }

    struct Shared {
        var newest: [PlayedSnapshot] = []
        var snapshots = 0
        /// What stopped the tapes (a write that failed), in one line.
        var failure: String?
    }

    public let plan: Plan
    let scenarios: [Scenario]
    let fun: FunSpec
    let policy: RecurrentPolicy
    let writers: [TapeWriter]
    /// The tapes' paths, in the order of the scenarios.
    public let paths: [String]
    let queue = DispatchQueue(label: "playgrid.training-tapes", qos: .utility)
    let shared = Mutex(Shared())
    /// The update of the last snapshot handed to `record` (read and written by the training thread only).
    public private(set) var lastUpdate: Int?

    /// Opens one tape per scenario in `plan.directory`; refuses tapes that exist unless `plan.force` (overwrite them)
    /// or `plan.continuing` (append to them: a run resumed at update `resumingAt`).
    public init(_ plan: Plan, scenarios: [Scenario], fun: FunSpec, policy: RecurrentPolicy, resumingAt: Int = 0) throws(TrainingTapesError) {
        self.plan = plan
        self.scenarios = scenarios
        self.fun = fun
        self.policy = policy
        let names = scenarios.map(\.name)
        if let twice = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
            throw TrainingTapesError("two training scenarios are called \(twice); --tapes writes one tape per scenario name")
        }
        do {
            try OutputFolder.create(plan.directory)
        } catch {
            throw TrainingTapesError("cannot make the folder for the tapes: \(error)")  // the error names the folder in the way
        }
        paths = names.map { URL(fileURLWithPath: plan.directory).appendingPathComponent($0 + ".tape").path }
        var writers: [TapeWriter] = []
        for (scenario, path) in zip(scenarios, paths) {
            let header = TapeHeader(scenarioText: scenario.sourceText, scenarioOrigin: scenario.name, seed: plan.seed,
                                    agent: plan.agent, funSpec: fun.description, funComponents: fun.terms.map(\.model))
            do {
                if plan.continuing && FileManager.default.fileExists(atPath: path) {
                    writers.append(try TapeWriter(continuing: path, header: header, resumingAt: resumingAt))
                } else {
                    writers.append(try TapeWriter(path: path, header: header, scenario: scenario, force: plan.force, snapshots: true))
                }
            } catch {
                throw TrainingTapesError(error.kind == .exists ? "\(path) exists; pass --force to overwrite it, or give another --tapes folder"
                                                               : error.description)
            }
        }
        self.writers = writers
        // A continued tape has the snapshot of the update the resumed run starts at already.
        lastUpdate = writers.first?.lastSnapshotUpdate
    }

    /// Plays a snapshot of `parameters` (the policy after `update` updates, `trainingStep` environment steps) on
    /// every scenario and appends it to their tapes, on the tapes' queue. Returns at once; snapshots are played in
    /// the order they are handed over.
    public func record(parameters: ContiguousArray<Float>, update: Int, trainingStep: Int) {
        lastUpdate = update
        queue.async { [self] in
            guard shared.withLock({ $0.failure == nil }) else { return }
            do {
                try play(parameters: parameters, update: update, trainingStep: trainingStep)
            } catch {
                let line = "\(error)"
                shared.withLock { $0.failure = line }
            }
        }
    }

    func play(parameters: ContiguousArray<Float>, update: Int, trainingStep: Int) throws {
        var newest: [PlayedSnapshot] = []
        for (scenario, writer) in zip(scenarios, writers) {
            let agent = RecurrentAgent(name: plan.agent, policy: policy, parameters: parameters, viewSize: scenario.viewSize)
            try writer.beginSnapshot(update: update, trainingStep: trainingStep)
            var frames: [Frame] = []
            let report = try Runner.run(scenario: scenario, agent: agent, fun: fun, seed: plan.seed, length: .trials(1)) { frame in
                try writer.append(frame)
                frames.append(frame)
            }
            try writer.flush()
            newest.append(PlayedSnapshot(scenario: scenario.name, update: update, trainingStep: trainingStep, report: report, frames: frames))
        }
        shared.withLock {
            $0.newest = newest
            $0.snapshots += 1
        }
    }

    /// The newest snapshot of every scenario (empty until the first is played).
    public var newest: [PlayedSnapshot] { shared.withLock { $0.newest } }
    /// Snapshots played so far.
    public var snapshotCount: Int { shared.withLock { $0.snapshots } }
    /// Why the tapes stopped recording, if they did.
    public var failure: String? { shared.withLock { $0.failure } }

    /// Waits for the snapshots handed over to be played and finishes the tapes (they are then complete); throws
    /// what stopped them, if anything did.
    public func finish() throws {
        queue.sync {}
        if let failure { throw TrainingTapesError("the training tapes stopped: \(failure)") }
        for writer in writers { try writer.finish() }
    }
}

/// Why the training tapes could not be opened.
public struct TrainingTapesError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
