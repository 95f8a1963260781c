import Agents
import Foundation
import GridWorld
import MetaRL
import NeuralCore

/// A SiMPL high-level agent acting in one world: its RL² policy picks one of the skill model's skills, the skill's
/// decoder acts for H steps (or to the episode's end), then the policy picks again, having read the summed rewards,
/// as in training (`SkillLevelEnvironment`).
///
/// Each decision shows the decoder's probabilities of the step's action pair and the high-level value; the skill in
/// use and the steps left of it are public for views and reports.
public struct SkillLevelAgent: Agent {
    public let name: String
    let viewSize: Int
    var runner: PolicyRunner
    let parameters: ContiguousArray<Float>
    public let model: SkillVAE
    let priorWeight: Float
    var step: MetaStep
    var bytes: [UInt8]
    var logProbs: ContiguousArray<Float>
    var scratch: ContiguousArray<Float>
    /// The skill running, the gridworld steps it has left, and what it has gathered so far.
    public private(set) var skill = 0
    public private(set) var stepsLeft = 0
    var taskSum: Float = 0
    var funSum: Float = 0
    var priorTerm: Float = 0
    var value: Float = 0
    var trials = 0

    /// The agent of a checkpoint trained with `playgrid train --skills-from`, to act in `scenario`; refused in one line
    /// when it holds no skill model or cannot see the scenario.
    public init(checkpoint: Checkpoint, name: String, scenario: Scenario) throws(AgentLoadError) {
        guard let model = checkpoint.skillModel else {
            throw AgentLoadError("\(name): holds no skill model; it is not a high-level agent over skills")
        }
        guard checkpoint.policy.taskActionCount == model.shape.skills, checkpoint.policy.playActionCount == 1 else {
            throw AgentLoadError("\(name): its policy chooses among \(checkpoint.policy.taskActionCount) actions, its skill model has \(model.shape.skills) skills")
        }
        let needed = GridFeatures.layout(viewSize: scenario.viewSize)
        if let identity = checkpoint.identity, identity.observation != needed {
            throw AgentLoadError("\(name): sees \(identity.observation), but \(scenario.name) gives \(needed); run it on a scenario it can see")
        }
        guard model.shape.observationSize == needed.size else {
            throw AgentLoadError("\(name): its skill decoder reads \(model.shape.observationSize) inputs, \(scenario.name) gives \(needed.size)")
        }
        self.name = name
        viewSize = scenario.viewSize
        self.model = model
        priorWeight = checkpoint.identity?.skillPriorWeight ?? 0
        parameters = checkpoint.parameters
        let policy = RecurrentPolicy(checkpoint.policy)
        runner = PolicyRunner(policy: policy, batchSize: 1)
        step = MetaStep(batchSize: 1, observationSize: policy.configuration.observationSize)
        bytes = [UInt8](repeating: 0, count: ObservationLayout.size(viewSize: viewSize))
        logProbs = ContiguousArray(repeating: 0, count: max(model.shape.actionWidth, model.shape.skills))
        scratch = ContiguousArray(repeating: 0, count: model.scratchSize)
    }

    public mutating func beginTrial(_ world: World) {
        if trials == 0 { runner.resetAll() } else { runner.endTrial(environment: 0, poolDone: false) }
        trials += 1
        stepsLeft = 0
    }

    public mutating func decide(_ world: World, rng: inout SplitMix64) -> Decision {
        precondition(world.rules.viewSize == viewSize, "a skill agent acts only in worlds with the view it was loaded for")
        bytes.withUnsafeMutableBufferPointer { b in
            step.observations.withUnsafeMutableBufferPointer { GridFeatures.encode(world, bytes: b, into: $0) }
        }
        if stepsLeft == 0 {
            var policyRNG = SplitMix64(seed: rng.next())
            runner.act(on: step, parameters: parameters, rng: &policyRNG)
            skill = Int(runner.taskActions[0])
            value = runner.values[0]
            stepsLeft = model.shape.horizon
            (taskSum, funSum) = (0, 0)
            step.observations.withUnsafeBufferPointer { o in
                logProbs.withUnsafeMutableBufferPointer { lp in
                    scratch.withUnsafeMutableBufferPointer { model.prior(observation: o, logProbs: lp, scratch: $0) }
                }
            }
            priorTerm = priorWeight * logProbs[skill]
        }
        var decoderRNG = SplitMix64(seed: rng.next())
        let (task, play) = step.observations.withUnsafeBufferPointer { o in
            logProbs.withUnsafeMutableBufferPointer { lp in
                scratch.withUnsafeMutableBufferPointer { model.act(observation: o, skill: skill, logProbs: lp, scratch: $0, rng: &decoderRNG) }
            }
        }
        let nt = model.shape.taskActions
        return Decision(ActionPair(TaskAction(rawValue: UInt8(task)) ?? .stay, PlayAction(rawValue: UInt8(play)) ?? .none),
                        taskProbabilities: logProbs[0..<nt].map { Foundation.exp($0) },
                        playProbabilities: logProbs[nt..<model.shape.actionWidth].map { Foundation.exp($0) }, value: value)
    }

    /// Gathers the step's rewards; where the skill ends (its H steps or the episode), the policy reads their sums.
    public mutating func observe(_ transition: Transition, reward: StepReward, world: World) {
        taskSum += reward.task
        funSum += reward.funTotal
        stepsLeft -= 1
        guard stepsLeft == 0 || transition.isLast else { return }
        stepsLeft = 0
        step.taskReward[0] = taskSum
        step.funReward[0] = funSum + priorTerm
        step.episodeDone[0] = transition.isLast
        step.trialDone[0] = false
        runner.observe(step)
    }
}
