import Agents
import GridWorld
import Engine

/// Random access to a tape's steps as `Frame`s, for replay: any step, forward and back, episode by episode,
/// event by event.
///
/// A seek restores the nearest key frame at or before the step and re-simulates the recorded actions from there
/// (fewer than `chunkSize · keyframeEvery` steps); stepping forward re-simulates one step. Pure: no I/O.
public struct ReplayEngine {
    public private(set) var reader: TapeReader
    /// The current step (numbered from 0 over the tape), nil before the first seek.
    public private(set) var position: Int?
    /// The current frame: the world after step `position`, with its action, rewards and events.
    public private(set) var frame: Frame?

    private var world: TrialWorld
    private var pending = false
    /// The step the simulation takes next.
    private var next = 0
    private var episodeReturn: StepReward
    /// Recently decoded chunks, by chunk index.
    private var decoded: [(chunk: Int, steps: [TapeStep])] = []
    /// Worlds of recently seen MDPs, by level seed, to decode key frames against and share rules with.
    private var levels: [(seed: UInt64, world: World)] = []

    /// An engine over a reader (keep it or pass a longer one later with `update`).
    public init(reader: TapeReader) throws(TapeError) {
        self.reader = reader
        world = try TapePass.startingWorld(reader)
        episodeReturn = StepReward(task: 0, fun: [Float](repeating: 0, count: reader.header.funComponents.count))
    }

    /// Opens a tape file.
    public init(path: String) throws(TapeError) {
        try self.init(reader: try TapeReader(path: path))
    }

    /// Steps on the tape.
    public var count: Int { reader.stepCount }

    /// Takes a reader of the same tape that has read more (a followed tape grew). Keeps the position.
    public mutating func update(_ newer: TapeReader) {
        reader = newer
    }

    // MARK: Moving

    /// Goes to step `index` (from 0) and returns its frame. O(key-frame interval) at worst; O(1) from the step before.
    @discardableResult
    public mutating func seek(to index: Int) throws(TapeError) -> Frame {
        guard index >= 0, index < count else {
            throw TapeError(.misuse, path: reader.path, "step \(index) is not on the tape; it has steps 0 to \(count - 1)", step: index)
        }
        let keyframe = reader.keyframeIndex(atOrBefore: index)
        let keyframeStep = keyframe.map { reader.keyframes[$0].head.index } ?? 0
        // Carry on from where the simulation is when that is no further than the nearest key frame would be.
        let carryOn = position != nil && next <= index && next >= keyframeStep
        if !carryOn {
            if let keyframe { try restore(keyframe) } else { try restart() }
        }
        var last: Frame?
        while next <= index { last = try advance() }
        return last!
    }

    /// The next step's frame, or nil at the end of the tape.
    public mutating func forward() throws(TapeError) -> Frame? {
        let target = (position ?? -1) + 1
        return target < count ? try seek(to: target) : nil
    }

    /// The previous step's frame, or nil at the start.
    public mutating func backward() throws(TapeError) -> Frame? {
        guard let p = position, p > 0 else { return nil }
        return try seek(to: p - 1)
    }

    /// The first step of the next episode, or nil in the last one.
    public mutating func nextEpisode() throws(TapeError) -> Frame? {
        let p = position ?? -1
        let starts = reader.episodeStarts
        guard let i = firstIndex(in: starts, greaterThan: p) else { return nil }
        return try seek(to: starts[i])
    }

    /// The first step of the episode before the current one, or nil in the first.
    public mutating func previousEpisode() throws(TapeError) -> Frame? {
        guard let p = position else { return nil }
        let starts = reader.episodeStarts
        guard let current = firstIndex(in: starts, greaterThan: p).map({ $0 - 1 }) ?? (starts.isEmpty ? nil : starts.count - 1),
              current >= 1 else { return nil }
        return try seek(to: starts[current - 1])
    }

    /// The first step of the next training snapshot, or nil in the last (or on a tape without snapshots).
    public mutating func nextSnapshot() throws(TapeError) -> Frame? {
        let snapshots = reader.snapshots
        let p = position ?? -1
        guard let next = snapshots.first(where: { $0.firstStep > p }), next.firstStep < count else { return nil }
        return try seek(to: next.firstStep)
    }

    /// The first step of the snapshot before the current one, or nil in the first (or on a tape without snapshots).
    public mutating func previousSnapshot() throws(TapeError) -> Frame? {
        guard let p = position, let current = reader.snapshotIndex(containing: p), current >= 1 else { return nil }
        return try seek(to: reader.snapshots[current - 1].firstStep)
    }

    /// The next step (after the current one) where an event of this kind happened, or nil if none follows.
    public mutating func nextEvent(_ kind: EventKind) throws(TapeError) -> Frame? {
        let from = (position ?? -1) + 1
        guard from < count else { return nil }
        let bit: UInt64 = 1 << UInt64(kind.rawValue)
        for c in reader.chunkIndex(containing: from)..<reader.chunkCount where reader.chunks[c].summary.eventsUnion & bit != 0 {
            for step in try steps(inChunk: c) where step.index >= from && step.events.contains(kind) {
                return try seek(to: step.index)
            }
        }
        return nil
    }

    /// The last step before the current one where an event of this kind happened, or nil if none precedes.
    public mutating func previousEvent(_ kind: EventKind) throws(TapeError) -> Frame? {
        guard let p = position, p > 0 else { return nil }
        let bit: UInt64 = 1 << UInt64(kind.rawValue)
        for c in stride(from: reader.chunkIndex(containing: p - 1), through: 0, by: -1) where reader.chunks[c].summary.eventsUnion & bit != 0 {
            for step in try steps(inChunk: c).reversed() where step.index < p && step.events.contains(kind) {
                return try seek(to: step.index)
            }
        }
        return nil
    }

    /// What the tape recorded for step `index`, without moving.
    public mutating func recorded(_ index: Int) throws(TapeError) -> TapeStep {
        guard index >= 0, index < count else {
            throw TapeError(.misuse, path: reader.path, "step \(index) is not on the tape; it has steps 0 to \(count - 1)", step: index)
        }
        let c = reader.chunkIndex(containing: index)
        return try steps(inChunk: c)[index - reader.chunks[c].summary.firstStep]
    }

    // MARK: Simulation

    /// Starts the run again from the tape's seed, before step `index` (0, or a training snapshot's first step).
    private mutating func restart(at index: Int = 0) throws(TapeError) {
        world = try TapePass.startingWorld(reader)
        pending = false
        next = index
    }

    private mutating func restore(_ k: Int) throws(TapeError) {
        let head = reader.keyframes[k].head
        let level = try levelWorld(seed: head.levelSeed)
        let frame = try reader.keyframe(k, initialCells: level.rules.initialCells)
        let cell = frame.snapshot.state.body.cell
        let p = level.point(ofCell: cell)
        guard p.x >= 0, p.y >= 0, p.x < level.width, p.y < level.height else {
            throw TapeError(.damaged, path: reader.path, "damaged record \(reader.keyframes[k].record) (key frame): the agent is off the map", record: reader.keyframes[k].record)
        }
        guard level.rules.admits(frame.snapshot.state.mechanics) else {
            throw TapeError(.damaged, path: reader.path, "damaged record \(reader.keyframes[k].record) (key frame): its hidden rules name a buried cell or a door colour the level does not have", record: reader.keyframes[k].record)
        }
        do {
            world = try TrialWorld(scenario: reader.scenario, snapshot: frame.snapshot, sameMDP: level)
        } catch {
            throw TapeError(.badScenario, path: reader.path, "the embedded scenario cannot draw an MDP: \(error)")
        }
        pending = frame.pendingEpisode
        next = frame.index
    }

    private mutating func levelWorld(seed: UInt64) throws(TapeError) -> World {
        if let found = levels.first(where: { $0.seed == seed }) { return found.world }
        let level: Level
        do { level = try reader.scenario.sample(seed: seed) } catch {
            throw TapeError(.badScenario, path: reader.path, "the embedded scenario cannot draw the MDP of seed \(seed): \(error)")
        }
        let world = World(scenario: reader.scenario, level: level)
        if levels.count >= 4 { levels.removeFirst() }
        levels.append((seed, world))
        return world
    }

    /// Re-simulates step `next` and makes it the current frame.
    private mutating func advance() throws(TapeError) -> Frame {
        let index = next
        let recorded = try recorded(index)
        if index > 0 && reader.snapshotStarts(at: index) { try restart(at: index) }
        if pending {
            do { try world.beginNextEpisode() } catch {
                throw TapeError(.diverged, path: reader.path, "step \(index): the scenario cannot draw the next MDP: \(error)", step: index)
            }
        }
        let rulesInEffect = world.world.state.mechanics.draw
        let t = world.step(recorded.action)
        guard t.events == recorded.events, t.taskReward.bitPattern == recorded.taskReward.bitPattern, Outcome(t) == recorded.outcome else {
            throw TapePass.diverged(reader.path, recorded, "re-simulation gives events [\(t.events.names.joined(separator: " "))] and task reward \(t.taskReward); run tape verify")
        }
        // The episode's return so far, summed in the same order a session sums it.
        if position == index - 1 && !pending && recorded.step > 1 {
            episodeReturn.task += recorded.taskReward
            for i in recorded.fun.indices { episodeReturn.fun[i] += recorded.fun[i] }
        } else {
            episodeReturn = try returnOfEpisode(through: recorded)
        }
        pending = t.isLast
        next = index + 1
        position = index
        let o = recorded.outputs
        let decision = Decision(recorded.action, taskProbabilities: o?.taskProbabilities, playProbabilities: o?.playProbabilities, value: o?.value,
                                recall: o?.recall.map { Decision.Recall(similarity: $0.similarity, gate: $0.gate) },
                                memory: o?.memory.map { Decision.Memory(taskValues: $0.taskValues, size: $0.size, nearest: $0.nearest) },
                                skill: o?.skill.map { Decision.Skill(given: $0.given, recognised: $0.recognised, reward: $0.reward) })
        let f = Frame(trial: world.trial, episode: world.episode, step: world.world.state.step, world: world.world,
                      generators: world.generators, rulesInEffect: rulesInEffect, decision: decision, transition: t, reward: StepReward(task: recorded.taskReward, fun: recorded.fun), episodeReturn: episodeReturn,
                      manual: recorded.manual)
        frame = f
        return f
    }

    /// Task and fun returns from the start of a step's episode through the step.
    private mutating func returnOfEpisode(through step: TapeStep) throws(TapeError) -> StepReward {
        let start = step.index - (step.step - 1)
        var total = StepReward(task: 0, fun: [Float](repeating: 0, count: reader.header.funComponents.count))
        var i = max(0, start)
        while i <= step.index {
            let c = reader.chunkIndex(containing: i)
            let first = reader.chunks[c].summary.firstStep
            let steps = try steps(inChunk: c)
            while i <= step.index && i - first < steps.count {
                let s = steps[i - first]
                total.task += s.taskReward
                for k in s.fun.indices { total.fun[k] += s.fun[k] }
                i += 1
            }
        }
        return total
    }

    private mutating func steps(inChunk c: Int) throws(TapeError) -> [TapeStep] {
        if let found = decoded.first(where: { $0.chunk == c }) { return found.steps }
        let steps = try reader.steps(inChunk: c)
        if decoded.count >= 8 { decoded.removeFirst() }
        decoded.append((c, steps))
        return steps
    }

    private func firstIndex(in sorted: [Int], greaterThan value: Int) -> Int? {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] > value { hi = mid } else { lo = mid + 1 }
        }
        return lo < sorted.count ? lo : nil
    }
}
