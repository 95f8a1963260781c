import GridWorld

/// One pass over a whole tape in order: re-simulates every recorded action from the scenario and seed, checks
/// each key frame, event set, outcome, task reward and counter against the re-simulation, and shows each step
/// with the world after it. `tape verify` is this pass; exports ride on it, so they never show a diverged tape.
public enum TapePass {
    /// What a pass checked.
    public struct Report: Hashable, Sendable {
        public var steps: Int
        public var keyframes: Int
        public var chunks: Int
        public var episodes: Int
    }

    /// Runs the pass over every complete record; `visit` sees each step and the world after it.
    ///
    /// Throws `diverged` at the first step (or key frame) where re-simulation disagrees with the tape, naming it;
    /// `damaged` when a record's contents do not decode. Does not throw for a tape that is merely truncated or
    /// damaged after its readable part: look at `reader.problem` for that. O(steps).
    @discardableResult
    public static func run(_ reader: TapeReader, visit: (TapeStep, World, Transition) throws(TapeError) -> Void = { _, _, _ in }) throws(TapeError) -> Report {
        try run(reader, before: { _, _ throws(TapeError) in }, visit: visit)
    }

    /// `run`, where `before` also sees each step with the world it was taken in (what the agent saw as it chose).
    @discardableResult
    public static func run(_ reader: TapeReader, before: (TapeStep, World) throws(TapeError) -> Void,
                           visit: (TapeStep, World, Transition) throws(TapeError) -> Void) throws(TapeError) -> Report {
        let path = reader.path
        var world = try startingWorld(reader)
        var pending = false
        var keyframeCursor = 0
        var report = Report(steps: 0, keyframes: 0, chunks: 0, episodes: 0)
        for c in 0..<reader.chunkCount {
            let firstStep = reader.chunks[c].summary.firstStep
            if reader.snapshotStarts(at: firstStep) {
                // A training snapshot plays the run from the tape's seed again.
                world = try startingWorld(reader)
                pending = false
            }
            while keyframeCursor < reader.keyframeCount && reader.keyframes[keyframeCursor].head.index <= firstStep {
                try check(keyframe: keyframeCursor, reader, world: world, pending: pending)
                keyframeCursor += 1
                report.keyframes += 1
            }
            for step in try reader.steps(inChunk: c) {
                if pending {
                    do { try world.beginNextEpisode() } catch {
                        throw TapeError(.diverged, path: path, "step \(step.index): the scenario cannot draw the next MDP: \(error)", step: step.index)
                    }
                }
                try before(step, world.world)
                let t = world.step(step.action)
                let counters = (world.trial, world.episode, world.world.state.step)
                guard counters == (step.trial, step.episode, step.step) else {
                    throw diverged(path, step, "recorded at trial \(step.trial) episode \(step.episode) step \(step.step), re-simulated at trial \(counters.0) episode \(counters.1) step \(counters.2)")
                }
                guard t.events == step.events else {
                    throw diverged(path, step, "recorded events [\(step.events.names.joined(separator: " "))], re-simulated [\(t.events.names.joined(separator: " "))]")
                }
                guard t.taskReward.bitPattern == step.taskReward.bitPattern else {
                    throw diverged(path, step, "recorded task reward \(step.taskReward), re-simulated \(t.taskReward)")
                }
                guard Outcome(t) == step.outcome else {
                    throw diverged(path, step, "recorded outcome \(describe(step.outcome)), re-simulated \(describe(Outcome(t)))")
                }
                try visit(step, world.world, t)
                pending = t.isLast
                if pending { report.episodes += 1 }
                report.steps += 1
            }
            report.chunks += 1
        }
        return report
    }

    /// The world a tape's run starts in: its scenario from its seed.
    static func startingWorld(_ reader: TapeReader) throws(TapeError) -> TrialWorld {
        do {
            return try TrialWorld(scenario: reader.scenario, seed: reader.header.seed)
        } catch {
            throw TapeError(.badScenario, path: reader.path, "the embedded scenario cannot start: \(error)")
        }
    }

    static func diverged(_ path: String, _ step: TapeStep, _ detail: String) -> TapeError {
        TapeError(.diverged, path: path, "diverged at step \(step.index) (trial \(step.trial), episode \(step.episode), step \(step.step), action \(step.action)): \(detail)", step: step.index)
    }

    static func describe(_ o: Outcome) -> String {
        var parts: [String] = []
        if o.contains(.terminated) { parts.append("terminated") }
        if o.contains(.truncated) { parts.append("truncated") }
        if o.contains(.succeeded) { parts.append("succeeded") }
        return parts.isEmpty ? "going on" : parts.joined(separator: "+")
    }

    /// Compares key frame `k` with the re-simulated world, naming the first part that differs.
    static func check(keyframe k: Int, _ reader: TapeReader, world: TrialWorld, pending: Bool) throws(TapeError) {
        let head = reader.keyframes[k].head
        let path = reader.path
        let index = head.index
        func fail(_ what: String) -> TapeError {
            TapeError(.diverged, path: path, "diverged at the key frame before step \(index) (record \(reader.keyframes[k].record)): \(what)", step: index)
        }
        guard head.levelSeed == world.levelSeed else {
            throw fail("recorded MDP seed \(head.levelSeed), re-simulated \(world.levelSeed)")
        }
        let frame = try reader.keyframe(k, initialCells: world.world.rules.initialCells)
        let mine = world.snapshot
        let theirs = frame.snapshot
        guard frame.pendingEpisode == pending else { throw fail("recorded that an episode \(frame.pendingEpisode ? "had" : "had not") just ended") }
        guard theirs.trial == mine.trial else { throw fail("recorded trial \(theirs.trial), re-simulated \(mine.trial)") }
        guard theirs.rng == mine.rng else { throw fail("the world's random generator differs") }
        guard theirs.levelSeeds == mine.levelSeeds else { throw fail("the MDP seed generator differs") }
        let (a, b) = (theirs.state, mine.state)
        guard a.body == b.body else { throw fail("the agent differs (recorded \(describe(a.body, world.world)), re-simulated \(describe(b.body, world.world)))") }
        guard (a.step, a.episode, a.collected) == (b.step, b.episode, b.collected) else {
            throw fail("recorded episode \(a.episode) step \(a.step) collected \(a.collected), re-simulated episode \(b.episode) step \(b.step) collected \(b.collected)")
        }
        if a.cells != b.cells {
            let i = zip(a.cells, b.cells).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? 0
            throw fail("the map differs first at \(world.world.point(ofCell: i / 3))")
        }
        guard a.respawns == b.respawns else { throw fail("the things waiting to grow back differ") }
        guard a.mechanics == b.mechanics else {
            throw fail("the hidden rules differ (recorded \(describe(a.mechanics)), re-simulated \(describe(b.mechanics)))")
        }
    }

    /// The hidden rules' state in brief: "bridges, buried 2, signal red, trigger off, found, doors close at 30".
    static func describe(_ m: MechanicState) -> String {
        let d = m.draw
        func color(_ c: UInt8) -> String {
            c == MechanicDraw.off ? "off" : Int(c) < Aux.colorNames.count ? Aux.colorNames[Int(c)] : "colour \(c)"
        }
        var parts = [d.bridges ? "bridges" : "sinks", "buried " + (d.buried == MechanicDraw.noCell ? "nowhere" : "\(d.buried)"),
                     "signal \(color(d.signal))", "trigger \(color(d.trigger))"]
        if m.buriedFound { parts.append("found") }
        if m.signalClosesAt != 0 { parts.append("doors close at \(m.signalClosesAt)") }
        return parts.joined(separator: ", ")
    }

    static func describe(_ body: Body, _ world: World) -> String {
        "at \(world.point(ofCell: body.cell)) facing \(body.facing.name)"
    }
}
