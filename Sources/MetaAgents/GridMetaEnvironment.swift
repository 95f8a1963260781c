import Fun
import GridWorld
import MetaRL
import NeuralCore

/// Gridworld scenarios as a `MetaEnvironment`: a batch of trial worlds (scenarios assigned round-robin), each
/// with its own fun models, observed through `GridFeatures`.
///
/// The reward the learner sees is the task reward plus the weighted fun; both are reported apart.
///
/// With `skills` K > 0 it is DIAYN's world for the recurrent agent: each environment draws a skill z uniformly
/// at the start of every *trial* and keeps it for the trial's episodes; the policy reads z's one-hot after the
/// observation, and every step pays the skill reward log q(z|s′) − log p(z) of `discriminator`, added to the
/// fun reward. Per trial rather than per episode because an RL² agent's memory spans the trial: a skill that
/// changed between episodes would leave the memory holding what the last skill did, and a trial is the unit of
/// one task, as it is when skills become tasks for unsupervised meta-RL. The discriminator is frozen during a
/// rollout segment, so the parts of a split batch score alike, and learns between segments (`endSegment`) from
/// every state of the segment with its skill; one whose SGD step is 0 never learns (EDL's skills, fixed before the
/// policy learns them: `SkillPartition`).
///
/// With a goal `curriculum` it is the world of a goal-conditioned agent: every trial of the one reach-goal scenario
/// starts from the canvas's start with the goal at a cell the curriculum proposes (on a layout drawn as the scenario
/// draws it), the policy reads its goal cell after the observation, and each finished trial's successes go back to
/// the curriculum, which learns between segments (`endSegment`) as the discriminator does.
/// With `tasks` it is unsupervised meta-RL's world instead (`SkillTasks`): a skill is drawn per trial in the same
/// way, but the policy is not told it, the task reward is that skill's r_z(s′) from a frozen discriminator, and
/// nothing learns but the policy.
public struct GridMetaEnvironment: MetaEnvironment {
    public let scenarios: [Scenario]
    public let funSpec: FunSpec
    public private(set) var batchSize: Int
    public let viewSize: Int
    /// Skills the policy is given (0: none).
    public let skills: Int
    public var observationSize: Int { GridFeatures.size(viewSize: viewSize, skills: skills, goals: curriculum != nil) }
    public var taskActionCount: Int { TaskAction.count }
    public var playActionCount: Int { PlayAction.count }
    public var families: [FamilyID] { scenarios.map(FamilyID.init) }
    public func family(ofRow row: Int) -> Int { rowFamily[row] }
    public var observationEncoding: ObservationEncoding { GridFeatures.layout(viewSize: viewSize, skills: skills, goals: curriculum != nil) }
    /// The goal curriculum of a goal-conditioned run (nil: the scenarios' own goals, and no goal input).
    public private(set) var curriculum: GoalCurriculum?
    /// q(z|s) on `features` of the state, nil without skills.
    public private(set) var discriminator: SkillDiscriminator?
    public var skillDiscriminator: SkillDiscriminator? { discriminator }
    public var goalCurriculumState: GoalCurriculumState? { curriculum?.state }
    /// The skills whose rewards are the tasks (nil: the scenarios' own tasks).
    public private(set) var skillTasks: SkillTasks?
    /// The skills each trial draws one of: to be told (DIAYN) or to be found out (skills as tasks); 0: none.
    var drawnSkills: Int { skills > 0 ? skills : skillTasks?.count ?? 0 }
    /// The discriminator's view of a state (with skills, every scenario has the same map size).
    public let features: SkillFeatures

    var envs: [TrialWorld] = []
    /// The index in `scenarios` of each row's scenario (rows take the scenarios in turn; a split keeps them).
    var rowFamily: [Int] = []
    var fun: [[any FunModel]] = []
    /// Whether any fun model reads the world before the step (otherwise no copy is kept).
    let funReadsBefore: Bool
    /// Each row's world before its step, for fun models that read it: copied in place, so a step allocates nothing
    /// (a copy sharing the world's storage would be copied by the step's first change). Sized at the first step
    /// after a reset, split or join.
    var worldsBefore: [World] = []
    var observation: [UInt8]
    /// Play steps, steps whose play did something, and steps since reset, for the play ratios of what training does.
    public private(set) var playSteps = 0
    public private(set) var effectivePlaySteps = 0
    public private(set) var steps = 0
    /// Play events since reset, by `EventKind.rawValue`.
    public private(set) var playEvents = [Int](repeating: 0, count: EventKind.allCases.count)
    /// Per environment: the skill of its trial, and the generator that draws the next.
    var skill: [Int] = []
    var skillDraws: [SplitMix64] = []
    /// The states of this segment, step-major (`features.activeCount` indices each), and their skills.
    var recordedStates: ContiguousArray<Int32> = []
    var recordedSkills: ContiguousArray<Int32> = []
    /// The order `endSegment` learns a segment's states in (every part holds the same).
    var segmentDraws = SplitMix64(seed: 0)
    var active: ContiguousArray<Int32>
    /// With goals, per environment: its trial's goal, the episodes of the trial that reached it so far, and the
    /// generators of its goals and layouts; per part: its first row in the whole batch, the step of the segment, and
    /// the outcomes of the trials that ended in it.
    var goalOf: [Int32] = []
    var goalSuccesses: [Int32] = []
    var goalDraws: [SplitMix64] = []
    var layoutDraws: [SplitMix64] = []
    var rowStart = 0
    var segmentStep: Int32 = 0
    var outcomes: [GoalOutcome] = []
    /// The yoked control's fun: per step, what a partner's row received at the same step (`FunTape`); nil otherwise.
    /// Read at [step · width + row], step counted from reset, rows of the whole batch.
    public var yoke: FunTape?
    var yokeStep = 0
    /// Records the fun each row receives, for a yoked partner to replay (`recordedFun`).
    public var recordsFun = false
    /// This part's fun of the segment so far, step-major over its rows.
    var segmentFun: ContiguousArray<Float> = []
    /// After `endSegment`: the last segment's fun, step-major over the whole batch's rows, whatever the split.
    public private(set) var recordedFun: ContiguousArray<Float> = []

    /// The discriminator's SGD step. It takes a step on every state of a segment (64 × 256 of them with the default
    /// recipe), so a fifth of the `skill` fun model's, which takes three per step: at 0.05 its guesses on the next
    /// segment were overconfident, and the mean skill reward fell to −0.17 a step after 49k steps.
    public static let discriminatorRate: Float = 0.01

    /// What the discriminator reads in `scenario`: the agent's position (`FeatureSpace.writePosition`) in
    /// `layout`. DIAYN's skills in a room are places. Reading the agent's 7×7 view as well (103 features instead of
    /// 2) cost 50 times more per state and learned no faster in 2M-step probes; reading where it faces let the skills
    /// tell themselves apart by turning on the spot near the start (K = 4 after 6M steps: accuracy 0.62 with every
    /// skill's busiest cell within a step of the centre).
    public static func skillFeatures(_ scenario: Scenario, layout: PositionLayout = SkillFeatures.defaultLayout) -> SkillFeatures {
        SkillFeatures(scenario: scenario, layout: layout)
    }

    /// Every scenario must share the view size (the network's input width). With `skills` > 0 the skill reward
    /// comes from `discriminator` (a checkpoint's, to resume: it reads the layout it was made with, and
    /// `skillLayout`, if given, must be that one), or a fresh one drawn from `seed` reading `skillLayout` (nil:
    /// `SkillFeatures.defaultLayout`). With `tasks` the
    /// task reward is theirs (and `skills` must be 0). With `goals`, every trial is a goal task on the one scenario
    /// given, its goal proposed by a fresh curriculum or by the one `curriculumState` describes (to resume; goals
    /// and layouts are then drawn from where its trial count says, not from the run's first draws again).
    public init(scenarios: [Scenario], funSpec: FunSpec, batchSize: Int, skills: Int = 0,
                discriminator: SkillDiscriminator? = nil, skillLayout: PositionLayout? = nil, tasks: SkillTasks? = nil,
                goals: GoalSampling? = nil, curriculumState: GoalCurriculumState? = nil, seed: UInt64 = 0) throws(ScenarioProblem) {
        guard let first = scenarios.first else { throw ScenarioProblem("no scenarios to train on") }
        if let goals {
            guard scenarios.count == 1 else {
                throw ScenarioProblem("goals are cells of one map: --goals trains on one scenario, got \(scenarios.count)")
            }
            if skills > 0 { throw ScenarioProblem("an agent is given a skill or a goal, not both") }
            if tasks != nil { throw ScenarioProblem("an agent is given a goal or skills as tasks, not both") }
            let space = try GoalSpace(scenario: first)
            try Self.checkRoomForGoals(first, space: space, seed: seed)
            curriculum = try curriculumState.map { state throws(ScenarioProblem) in
                try GoalCurriculum(sampling: goals, space: space, restoring: state)
            } ?? GoalCurriculum(sampling: goals, space: space)
        }
        for s in scenarios where s.viewSize != first.viewSize {
            throw ScenarioProblem("scenario \(s.name) has view \(s.viewSize) but \(first.name) has \(first.viewSize); a batch needs one view size")
        }
        // Families are told apart by name (each one's task return in the learning curve and the closing line).
        for (i, s) in scenarios.enumerated() where scenarios[..<i].contains(where: { $0.name == s.name }) {
            throw ScenarioProblem("two scenarios to train on are named \(s.name); give each once (a family's task return is kept by its name)")
        }
        self.scenarios = scenarios
        self.funSpec = funSpec
        self.batchSize = batchSize
        viewSize = first.viewSize
        self.skills = skills
        if skillLayout != nil && skills == 0 { throw ScenarioProblem("a skill feature layout is for training skills (--skills K)") }
        let layout: PositionLayout
        do throws(SkillFeaturesError) {
            if skills > 0, let discriminator {
                layout = try SkillFeatures.layout(of: discriminator)
                if let skillLayout, skillLayout != layout {
                    throw SkillFeaturesError("the saved skill discriminator reads positions as \(layout.name) (\(layout.rawValue)); it cannot go on reading them as \(skillLayout.name)")
                }
            } else if let tasks {
                layout = try SkillFeatures.layout(of: tasks.discriminator)
            } else {
                layout = skillLayout ?? SkillFeatures.defaultLayout
            }
        } catch {
            throw ScenarioProblem(error.message)
        }
        let features = Self.skillFeatures(first, layout: layout)
        self.features = features
        if skills > 0, let other = scenarios.first(where: { Self.skillFeatures($0, layout: layout) != features }) {
            throw ScenarioProblem("scenario \(other.name) is \(other.map.width)×\(other.map.height) but \(first.name) is \(first.map.width)×\(first.map.height); skills are learned on maps of one size (the discriminator reads where the agent is)")
        }
        if let tasks {
            guard skills == 0 else { throw ScenarioProblem("skills are either given to the policy (DIAYN) or made its tasks, not both") }
            for s in scenarios { try tasks.check(s) }
        }
        skillTasks = tasks
        active = ContiguousArray(repeating: 0, count: features.activeCount)
        if skills > 0 {
            var rng = SplitMix64(seed: seed).derived(0xD1A)
            let fresh = SkillDiscriminator(inputs: features.dimension, activeCount: features.activeCount, skills: skills,
                                           rate: Self.discriminatorRate, inputLayout: layout.rawValue, rng: &rng)
            if let discriminator, discriminator.skills != skills || discriminator.network.inputs != features.dimension {
                throw ScenarioProblem("the saved skill discriminator tells \(discriminator.skills) skills from \(discriminator.network.inputs) features; these scenarios need \(skills) skills from \(features.dimension) (\(layout.rawValue))")
            }
            // A discriminator saved before layouts were recorded goes on with its layout written down.
            var resumed = discriminator
            resumed?.inputLayout = layout.rawValue
            self.discriminator = resumed ?? fresh
            segmentDraws = rng.split()
        }
        funReadsBefore = funSpec.terms.contains { $0.model != "delight" }
        observation = [UInt8](repeating: 0, count: ObservationLayout.size(viewSize: viewSize))
        // Fail early if some scenario cannot draw an MDP.
        for s in scenarios { _ = try s.sample(seed: 0) }
    }

    public mutating func reset(seed: UInt64, into out: inout MetaStep) {
        var seeds = SplitMix64(seed: seed)
        rowFamily = (0..<batchSize).map { $0 % scenarios.count }
        envs = rowFamily.map { f in
            // Scenarios were checked at init; a later seed failing to draw would be a broken generator. The seeds are
            // `rowSeeds(reset:batchSize:)`'s.
            try! TrialWorld(scenario: scenarios[f], seed: seeds.next())
        }
        fun = rowFamily.map { f in funSpec.makeModels(for: scenarios[f], seed: seeds.next()) }
        if drawnSkills > 0 {
            skillDraws = (0..<batchSize).map { SplitMix64(seed: seed).derived(0x5C11_0000 &+ UInt64($0)) }
            skill = skillDraws.indices.map { skillDraws[$0].below(drawnSkills) }
        }
        if curriculum != nil {
            let trials = curriculum?.trials ?? 0
            let draws = trials == 0 ? SplitMix64(seed: seed) : SplitMix64(seed: seed).derived(UInt64(trials))
            goalDraws = (0..<batchSize).map { draws.derived(0x60A1_0000 &+ UInt64($0)) }
            layoutDraws = (0..<batchSize).map { draws.derived(0x1A70_0000 &+ UInt64($0)) }
            goalOf = [Int32](repeating: 0, count: batchSize)
            goalSuccesses = goalOf
            for i in 0..<batchSize { envs[i] = goalTrial(i) }
        }
        yokeStep = 0
        out.clearTransition()
        for i in 0..<batchSize { write(i, into: &out) }
    }

    /// The trial-world seed of each row after `reset(seed:)`: row i plays scenario i mod count, its MDPs drawn by
    /// `TrialWorld(scenario:seed:)` trial after trial (what the experiment's overlap measure draws again).
    public static func rowSeeds(reset seed: UInt64, batchSize: Int) -> [UInt64] {
        var seeds = SplitMix64(seed: seed)
        return (0..<batchSize).map { _ in seeds.next() }
    }

    public mutating func step(task: UnsafeBufferPointer<Int32>, play: UnsafeBufferPointer<Int32>, into out: inout MetaStep) {
        if funReadsBefore && worldsBefore.count != batchSize { worldsBefore = envs.map(\.world) }
        for i in 0..<batchSize {
            let action = ActionPair(TaskAction(rawValue: UInt8(task[i])) ?? .stay, PlayAction(rawValue: UInt8(play[i])) ?? .none)
            steps += 1
            if action.play != .none { playSteps += 1 }
            if funReadsBefore { worldsBefore[i].copyState(of: envs[i].world) }
            let t = envs[i].step(action)
            let played = t.events.play
            if !played.isEmpty {
                if t.events.hasEffectivePlay { effectivePlaySteps += 1 }
                for kind in played { playEvents[Int(kind.rawValue)] += 1 }
            }
            var funReward: Float = 0
            if !fun[i].isEmpty {
                let after = envs[i].world
                let input = FunInput(before: funReadsBefore ? worldsBefore[i] : after, action: action, transition: t, after: after)
                for m in fun[i].indices { funReward += funSpec.terms[m].weight * fun[i][m].reward(input) }
            }
            if skills > 0 { funReward += scoreSkill(i) }
            if let yoke { funReward += yoke.reward(step: yokeStep, row: rowStart + i) }
            if recordsFun { segmentFun.append(funReward) }
            out.taskReward[i] = skillTasks == nil ? t.taskReward
                : skillTasks!.reward(in: envs[i].world, skill: skill[i], features: features, active: &active)
            out.taskLuck[i] = skillTasks == nil ? t.luck : 0
            out.funReward[i] = funReward
            out.episodeDone[i] = t.isLast
            out.trialDone[i] = false
            out.poolDone[i] = false
            if t.isLast {
                let newTrial: Bool
                if curriculum != nil {
                    if t.succeeded { goalSuccesses[i] += 1 }
                    newTrial = envs[i].episode + 1 >= envs[i].scenario.episodesPerTrial
                    if newTrial {
                        outcomes.append(GoalOutcome(goal: goalOf[i], successes: goalSuccesses[i], episodes: Int32(envs[i].scenario.episodesPerTrial),
                                                    step: segmentStep, row: Int32(rowStart + i)))
                        envs[i] = goalTrial(i)
                    } else {
                        try! envs[i].beginNextEpisode()
                    }
                } else {
                    newTrial = try! envs[i].beginNextEpisode()
                }
                out.trialDone[i] = newTrial
                out.poolDone[i] = newTrial && envs[i].beginsPool
                for m in fun[i].indices {
                    fun[i][m].beginNextEpisode(newTrial: newTrial)
                    fun[i][m].startEpisode()
                }
                if newTrial && drawnSkills > 0 { skill[i] = skillDraws[i].below(drawnSkills) }
                // A new MDP gets its own copy now, at the step that drew it, rather than at the next step.
                if newTrial && funReadsBefore { worldsBefore[i].copyState(of: envs[i].world) }
            }
            write(i, into: &out)
        }
        segmentStep += 1
        yokeStep += 1
    }

    /// The (goal, layout) draws a goal trial may take before it gives up (`goalTrial`).
    static let goalDrawLimit = 1024

    /// Refuses, with one line, a scenario whose layouts seldom have room for a goal cell: at least a quarter of 256
    /// probe draws (a uniform goal on a fresh layout) must fit, and then `goalDrawLimit` misses in a row have odds
    /// below 10⁻¹²⁷, so a goal trial does not run out of draws in practice.
    static func checkRoomForGoals(_ scenario: Scenario, space: GoalSpace, seed: UInt64) throws(ScenarioProblem) {
        var rng = SplitMix64(seed: seed).derived(0x600D_0000)
        var fits = 0
        for _ in 0..<256 where try scenario.sample(seed: rng.next(), start: space.start, goal: space.cells[rng.below(space.cells.count)]) != nil {
            fits += 1
        }
        guard fits >= 64 else {
            throw ScenarioProblem("\(scenario.name): only \(fits) of 256 goal cells drawn on fresh layouts had room for the goal; --goals needs a map whose layouts keep at least a quarter of them free")
        }
    }

    /// A new trial for environment `i`: the curriculum's next goal on the next layout that has room for it.
    mutating func goalTrial(_ i: Int) -> TrialWorld {
        let curriculum = curriculum!
        let scenario = scenarios[0]
        goalSuccesses[i] = 0
        // Every goal cell is free on the canvas; a layout without room for one (none in four-rooms) is drawn again.
        for _ in 0..<Self.goalDrawLimit {
            let goal = curriculum.propose(rng: &goalDraws[i])
            let seed = layoutDraws[i].next()
            if let level = try! scenario.sample(seed: seed, start: curriculum.space.start, goal: curriculum.space.cells[goal]) {
                goalOf[i] = Int32(goal)
                return TrialWorld(scenario: scenario, level: level, seed: seed)
            }
        }
        fatalError("\(scenario.name): \(Self.goalDrawLimit) layouts in a row had no room for the goal cell drawn, though the start-up probe found room in a quarter")
    }

    /// The skill reward of environment `i`'s state now, recording the state and skill for `endSegment`.
    mutating func scoreSkill(_ i: Int) -> Float {
        discriminator!.classifyPosition(in: envs[i].world, features: features, active: &active)
        if discriminator!.rate > 0 {
            recordedStates += active
            recordedSkills.append(Int32(skill[i]))
        }
        return discriminator!.reward(for: skill[i])
    }

    /// One SGD pass of the discriminator over the segment's states in a random order (the same whatever the split:
    /// states are numbered step by step and row by row as an unsplit batch records them); every part then scores
    /// with the result. In recorded order the last steps of a segment, which in a batch started together are all the
    /// same few steps into a trial, would have the last word. O(states · active · hidden).
    public static func endSegment(_ parts: inout [GridMetaEnvironment]) {
        if parts.first?.recordsFun == true {
            // Step-major over the whole batch: the parts' rows side by side, so a tape does not depend on the split.
            let steps = parts[0].segmentFun.count / max(1, parts[0].batchSize)
            var all = ContiguousArray<Float>()
            all.reserveCapacity(steps * parts.reduce(0) { $0 + $1.batchSize })
            for t in 0..<steps {
                for p in parts.indices { all += parts[p].segmentFun[(t * parts[p].batchSize)..<((t + 1) * parts[p].batchSize)] }
            }
            for p in parts.indices { parts[p].segmentFun.removeAll(keepingCapacity: true) }
            parts[0].recordedFun = all
        }
        if var curriculum = parts.first?.curriculum {
            curriculum.record(parts.flatMap(\.outcomes))
            for p in parts.indices {
                parts[p].curriculum = curriculum
                parts[p].outcomes.removeAll(keepingCapacity: true)
                parts[p].segmentStep = 0
            }
        }
        guard var discriminator = parts.first?.discriminator else { return }
        let width = parts[0].features.activeCount
        let steps = parts[0].recordedSkills.count / max(1, parts[0].batchSize)
        var order: [(part: Int, index: Int)] = []
        order.reserveCapacity(steps * parts.reduce(0) { $0 + $1.batchSize })
        for t in 0..<steps {
            for p in parts.indices { for row in 0..<parts[p].batchSize { order.append((p, t * parts[p].batchSize + row)) } }
        }
        var draws = parts[0].segmentDraws
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, draws.below(i + 1)) }
        for (p, k) in order {
            parts[p].recordedStates.withUnsafeBufferPointer { states in
                _ = discriminator.learn(UnsafeBufferPointer(rebasing: states[(k * width)..<((k + 1) * width)]),
                                        skill: Int(parts[p].recordedSkills[k]))
            }
        }
        for p in parts.indices {
            parts[p].discriminator = discriminator
            parts[p].segmentDraws = draws
            parts[p].recordedStates.removeAll(keepingCapacity: true)
            parts[p].recordedSkills.removeAll(keepingCapacity: true)
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
            part.rowFamily = Array(rowFamily[start..<(start + sizes[p])])
            part.fun = Array(fun[start..<(start + sizes[p])])
            if drawnSkills > 0 {
                part.skill = Array(skill[start..<(start + sizes[p])])
                part.skillDraws = Array(skillDraws[start..<(start + sizes[p])])
            }
            if curriculum != nil {
                part.goalOf = Array(goalOf[start..<(start + sizes[p])])
                part.goalSuccesses = Array(goalSuccesses[start..<(start + sizes[p])])
                part.goalDraws = Array(goalDraws[start..<(start + sizes[p])])
                part.layoutDraws = Array(layoutDraws[start..<(start + sizes[p])])
                part.outcomes = p == 0 ? outcomes : []
            }
            part.rowStart = rowStart + start
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
        rowFamily = parts.flatMap(\.rowFamily)
        fun = parts.flatMap(\.fun)
        skill = parts.flatMap(\.skill)
        skillDraws = parts.flatMap(\.skillDraws)
        goalOf = parts.flatMap(\.goalOf)
        goalSuccesses = parts.flatMap(\.goalSuccesses)
        goalDraws = parts.flatMap(\.goalDraws)
        layoutDraws = parts.flatMap(\.layoutDraws)
        outcomes = parts.flatMap(\.outcomes)
        // Between segments (when the trainer joins its parts) nothing is recorded; mid-segment records stay apart.
        recordedStates = []
        recordedSkills = []
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
                GridFeatures.encode(envs[i].world, skill: skills > 0 ? skill[i] : 0, of: skills, goals: curriculum != nil, bytes: bytes,
                                    into: o.rows(i, 1, width: size))
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

extension SkillDiscriminator {
    /// Classifies where the agent stands in `world` (what the discriminator reads, in training and in a run alike),
    /// leaving the state's active indices in `active` (`features.activeCount` long). O(active · hidden).
    mutating func classifyPosition(in world: World, features: SkillFeatures, active: inout ContiguousArray<Int32>) {
        active.withUnsafeMutableBufferPointer { features.write(world, into: $0) }
        active.withUnsafeBufferPointer { classify($0) }
    }
}
