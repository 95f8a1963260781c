import Agents
import GridWorld
import MetaRL
import NeuralCore

/// A meta-trained RL² policy acting in one world: its GRU memory persists across the episodes of a trial.
///
/// Each decision exposes both heads' probabilities and the value estimate, so the screen can show them.
public struct RecurrentAgent: Agent {
    public let name: String
    let viewSize: Int
    var runner: PolicyRunner
    let parameters: ContiguousArray<Float>
    var step: MetaStep
    var bytes: [UInt8]

    public init(name: String, policy: RecurrentPolicy, parameters: ContiguousArray<Float>, viewSize: Int) {
        self.name = name
        self.viewSize = viewSize
        self.parameters = parameters
        runner = PolicyRunner(policy: policy, batchSize: 1)
        step = MetaStep(batchSize: 1, observationSize: policy.configuration.observationSize)
        bytes = [UInt8](repeating: 0, count: ObservationLayout.size(viewSize: viewSize))
    }

    /// The agent stored in a checkpoint, to act in `scenario`: refused with one line when it was not trained on
    /// gridworlds or cannot see that scenario's observations (another encoding, version or view size).
    ///
    /// The controls of emergence claims change the agent it acts as: `noPlay` fixes its play head to not playing
    /// (as a checkpoint trained with `--no-play` is), and `memory` overrides how long its memory lasts (`.episode`:
    /// the same agent without memory across the episodes of a trial).
    public init(checkpoint: Checkpoint, name: String, scenario: Scenario, noPlay: Bool = false,
                memory: MemorySpan? = nil) throws(AgentLoadError) {
        let c = checkpoint.policy
        guard c.taskActionCount == TaskAction.count, c.playActionCount == PlayAction.count else {
            throw AgentLoadError("\(name): the checkpoint's policy (actions \(c.taskActionCount)×\(c.playActionCount)) was not trained on gridworlds")
        }
        let needed = GridFeatures.layout(viewSize: scenario.viewSize)
        if let identity = checkpoint.identity, identity.version >= 2 {
            guard identity.observation == needed else {
                throw AgentLoadError("\(name): sees \(identity.observation), but \(scenario.name) gives \(needed); run it on a scenario it can see, or retrain it with playgrid train")
            }
        } else if c.observationSize != needed.size {
            // Checkpoints from before identities name only their input size.
            throw AgentLoadError("\(name): the checkpoint sees \(c.observationSize) inputs per step, but \(scenario.name) gives \(needed); it was trained by an older playgrid or on another view: retrain it with playgrid train")
        }
        var configuration = c
        if noPlay { configuration.plays = .none }
        if let memory { configuration.memory = memory }
        // Reports and comparisons name the control, so a run without play or memory is never read as the agent's own.
        let controls = (noPlay && c.plays != .none ? ["no play"] : []) + (configuration.memory != c.memory ? ["memory per \(configuration.memory.rawValue)"] : [])
        self.init(name: controls.isEmpty ? name : "\(name) (\(controls.joined(separator: ", ")))", policy: RecurrentPolicy(configuration),
                  parameters: checkpoint.parameters, viewSize: scenario.viewSize)
    }

    public mutating func beginTrial(_ world: World) {
        runner.resetAll()
    }

    public mutating func decide(_ world: World, rng: inout SplitMix64) -> Decision {
        precondition(world.rules.viewSize == viewSize, "a recurrent agent acts only in worlds with the view it was loaded for")
        bytes.withUnsafeMutableBufferPointer { b in
            step.observations.withUnsafeMutableBufferPointer { o in GridFeatures.encode(world, bytes: b, into: o) }
        }
        step.playAfforded[0] = UInt32(world.rules.playMask)
        var policyRNG = SplitMix64(seed: rng.next())
        runner.act(on: step, parameters: parameters, rng: &policyRNG)
        let task = TaskAction(rawValue: UInt8(runner.taskActions[0])) ?? .stay
        let play = PlayAction(rawValue: UInt8(runner.playActions[0])) ?? .none
        return Decision(ActionPair(task, play), taskProbabilities: Array(runner.taskProbabilities),
                        playProbabilities: Array(runner.playProbabilities), value: runner.values[0])
    }

    public mutating func observe(_ transition: Transition, reward: StepReward, world: World) {
        step.taskReward[0] = reward.task
        step.funReward[0] = reward.funTotal
        step.episodeDone[0] = transition.isLast
        step.trialDone[0] = false
        runner.observe(step)
    }
}

public struct AgentLoadError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
