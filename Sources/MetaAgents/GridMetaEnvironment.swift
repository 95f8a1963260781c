import Fun
import GridWorld
import MetaRL
import NeuralCore

/// Gridworld scenarios as a `MetaEnvironment`: a batch of trial worlds (scenarios assigned round-robin), each
/// with its own fun models, observed through `GridFeatures`.
///
/// The reward the learner sees is the task reward plus the weighted fun; both are reported apart.
public struct GridMetaEnvironment: MetaEnvironment {
    public let scenarios: [Scenario]
    public let funSpec: FunSpec
    public private(set) var batchSize: Int
    public let viewSize: Int
    public var observationSize: Int { GridFeatures.size(viewSize: viewSize) }
    public var taskActionCount: Int { TaskAction.count }
    public var playActionCount: Int { PlayAction.count }
    public var families: [FamilyID] { scenarios.map(FamilyID.init) }
    public var observationEncoding: ObservationEncoding { GridFeatures.layout(viewSize: viewSize) }

    var envs: [TrialWorld] = []
    var fun: [[any FunModel]] = []
    /// Whether any fun model reads the world before the step (otherwise no copy is kept).
    let funReadsBefore: Bool
    var observation: [UInt8]
    /// Play steps, steps whose play did something, and steps since reset, for the play ratios of what training does.
    public private(set) var playSteps = 0
    public private(set) var effectivePlaySteps = 0
    public private(set) var steps = 0
    /// Play events since reset, by `EventKind.rawValue`.
    public private(set) var playEvents = [Int](repeating: 0, count: EventKind.allCases.count)

    /// Every scenario must share the view size (the network's input width).
    public init(scenarios: [Scenario], funSpec: FunSpec, batchSize: Int) throws(ScenarioProblem) {
        guard let first = scenarios.first else { throw ScenarioProblem("no scenarios to train on") }
        for s in scenarios where s.viewSize != first.viewSize {
            throw ScenarioProblem("scenario \(s.name) has view \(s.viewSize) but \(first.name) has \(first.viewSize); a batch needs one view size")
        }
        self.scenarios = scenarios
        self.funSpec = funSpec
        self.batchSize = batchSize
        viewSize = first.viewSize
        funReadsBefore = funSpec.terms.contains { $0.model != "delight" }
        observation = [UInt8](repeating: 0, count: ObservationLayout.size(viewSize: viewSize))
        // Fail early if some scenario cannot draw an MDP.
        for s in scenarios { _ = try s.sample(seed: 0) }
    }

    public mutating func reset(seed: UInt64, into out: inout MetaStep) {
        var seeds = SplitMix64(seed: seed)
        envs = (0..<batchSize).map { i in
            // Scenarios were checked at init; a later seed failing to draw would be a broken generator.
            try! TrialWorld(scenario: scenarios[i % scenarios.count], seed: seeds.next())
        }
        fun = (0..<batchSize).map { i in funSpec.makeModels(for: scenarios[i % scenarios.count], seed: seeds.next()) }
        out.clearTransition()
        for i in 0..<batchSize { write(i, into: &out) }
    }

    public mutating func step(task: UnsafeBufferPointer<Int32>, play: UnsafeBufferPointer<Int32>, into out: inout MetaStep) {
        for i in 0..<batchSize {
            let action = ActionPair(TaskAction(rawValue: UInt8(task[i])) ?? .stay, PlayAction(rawValue: UInt8(play[i])) ?? .none)
            steps += 1
            if action.play != .none { playSteps += 1 }
            let before = funReadsBefore ? envs[i].world : nil
            let t = envs[i].step(action)
            let played = t.events.play
            if !played.isEmpty {
                if t.events.hasEffectivePlay { effectivePlaySteps += 1 }
                for kind in played { playEvents[Int(kind.rawValue)] += 1 }
            }
            var funReward: Float = 0
            if !fun[i].isEmpty {
                let after = envs[i].world
                let input = FunInput(before: before ?? after, action: action, transition: t, after: after)
                for m in fun[i].indices { funReward += funSpec.terms[m].weight * fun[i][m].reward(input) }
            }
            out.taskReward[i] = t.taskReward
            out.funReward[i] = funReward
            out.episodeDone[i] = t.isLast
            out.trialDone[i] = false
            if t.isLast {
                let newTrial = try! envs[i].beginNextEpisode()
                out.trialDone[i] = newTrial
                for m in fun[i].indices {
                    fun[i][m].beginNextEpisode(newTrial: newTrial)
                    fun[i][m].startEpisode()
                }
            }
            write(i, into: &out)
        }
    }

    /// Each part keeps its rows' worlds and fun models; the first part carries the counts so far.
    public func split(sizes: [Int]) -> [GridMetaEnvironment] {
        var start = 0
        return sizes.indices.map { p in
            defer { start += sizes[p] }
            var part = self
            part.batchSize = sizes[p]
            part.envs = Array(envs[start..<(start + sizes[p])])
            part.fun = Array(fun[start..<(start + sizes[p])])
            if p > 0 {
                (part.playSteps, part.effectivePlaySteps, part.steps) = (0, 0, 0)
                part.playEvents = part.playEvents.map { _ in 0 }
            }
            return part
        }
    }

    public init(joining parts: [GridMetaEnvironment]) {
        self = parts[0]
        batchSize = parts.reduce(0) { $0 + $1.batchSize }
        envs = parts.flatMap(\.envs)
        fun = parts.flatMap(\.fun)
        playSteps = parts.reduce(0) { $0 + $1.playSteps }
        effectivePlaySteps = parts.reduce(0) { $0 + $1.effectivePlaySteps }
        playEvents = parts.dropFirst().reduce(parts[0].playEvents) { sum, part in zip(sum, part.playEvents).map { $0 + $1 } }
        steps = parts.reduce(0) { $0 + $1.steps }
    }

    mutating func write(_ i: Int, into out: inout MetaStep) {
        out.playAfforded[i] = UInt32(envs[i].world.rules.playMask)
        let size = observationSize
        observation.withUnsafeMutableBufferPointer { bytes in
            out.observations.withUnsafeMutableBufferPointer { o in
                GridFeatures.encode(envs[i].world, bytes: bytes, into: o.rows(i, 1, width: size))
            }
        }
    }
}

extension FamilyID {
    /// A scenario as a training record names it: its name and the fingerprint of its file.
    public init(_ scenario: Scenario) {
        self.init(name: scenario.name, fingerprint: String(scenario.fingerprint, radix: 16))
    }
}
