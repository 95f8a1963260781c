import Agents
import Engine
import Foundation
import Fun
import GridWorld
import Records
import ScenarioFiles
import Testing
import TestSupport

@Suite struct PlayMetricsTests {
    /// A world whose agent stands beside a rock (`near`), and the same world with the agent where nothing is in
    /// reach (`far`).
    static func worlds() throws -> (near: World, far: World) {
        let s = try ScenarioFile.parse(text: "name: m\nmap: |\n  ######\n  #Ao..#\n  #...G#\n  ######\ntask: reach-goal\nplay: [push, ring, spin]\n",
                                       file: "m.yaml")
        let near = World(scenario: s, level: try s.sample(seed: 0))
        var far = near
        far.state.body.cell = far.cell(at: GridPoint(x: 3, y: 2))
        return (near, far)
    }

    @Test("play of one kind alone has diversity +0, which prints as 0.000, not -0.000")
    func diversityOfOneKind() throws {
        let (near, _) = try Self.worlds()
        var m = PlayMetrics(funComponents: 0)
        for _ in 0..<3 {
            m.record(action: ActionPair(.stay, .spin), transition: Transition(events: [.spun]), taskReward: 0, fun: [], before: near, world: near)
        }
        #expect(m.playDiversity == 0 && m.playDiversity.sign == .plus && String(format: "%.3f", m.playDiversity) == "0.000")
    }

    @Test("effective play, play by episode index, play per opportunity and discovery steps on a hand-built run")
    func handBuilt() throws {
        let (near, far) = try Self.worlds()
        #expect(near.playIsWithinReach && !far.playIsWithinReach)
        var m = PlayMetrics(funComponents: 0)
        func step(_ play: PlayAction, _ events: Events, _ before: World) {
            m.record(action: ActionPair(play == .none ? .right : .stay, play), transition: Transition(events: events), taskReward: 0,
                     fun: [], before: before, world: before)
        }
        // Trial 1, episode 0: spinning and fumbling change nothing; a push that bridges counts once.
        step(.spin, [.spun], near)
        step(.push, [.fumbled], far)
        step(.push, [.pushed, .bridged], near)
        step(.none, [.moved], near)
        m.endEpisode(index: 0, succeeded: false, length: 4)
        // Episode 1: the signal is found at the trial's sixth step.
        step(.none, [.moved], far)
        step(.ring, [.bellRang, .signalOpened], far)
        m.endEpisode(index: 1, succeeded: false, length: 2)
        m.endTrial()
        // Trial 2: the bridge rule shows at the first step (sinking), and again later (not counted twice).
        step(.push, [.pushed, .rockSankInWater], near)
        step(.push, [.pushed, .bridged], near)
        m.endEpisode(index: 0, succeeded: false, length: 2)
        m.endTrial()

        #expect(m.steps == 8 && m.playSteps == 6 && m.effectivePlaySteps == 4)
        #expect(m.effectivePlayRatio == 0.5)
        #expect(m.playByEpisodeIndex == [5.0 / 6.0, 0.5])
        #expect(m.playStepsByEpisodeIndex == [2.5, 1], "episode 0: three plays, then two; episode 1: one")
        #expect(m.opportunitySteps == 5 && m.playOnOpportunity == 4 && m.playPerOpportunity == 0.8)
        #expect(m.discoveryStepByRule == [2, nil, 6, nil], "bridge at steps 3 and 1, buried never, signal at 6, trigger never")
        #expect(m.playEventCounts["spun"] == 1 && m.playEventCounts["fumbled"] == nil)
        #expect(m.taskReturnByTrial == [[0, 0], [0]], "a row per trial, an entry per finished episode")
        // Episode index 0: effective plays 1 (bridged) + 2 (sank, bridged) over 4 + 2 steps; index 1: one (signal) over 2.
        #expect(m.effectivePlayByEpisodeIndex == [0.5, 0.5])
        // Play events per episode by index: index 0 is two episodes (trial 1's and trial 2's), index 1 one.
        #expect(m.playEventsByEpisodeIndex["pushed"] == [1.5, 0])
        #expect(m.playEventsByEpisodeIndex["rock-sank-in-water"] == [0.5, 0])
        #expect(m.playEventsByEpisodeIndex["bell-rang"] == [0, 1])
        #expect(m.playEventsByEpisodeIndex["fumbled"] == nil && m.playEventsByEpisodeIndex["moved"] == nil)
        #expect(m.playEventsByTrial["pushed"] == [[1, 0], [2]] && m.playEventsByTrial["bell-rang"] == [[0, 1], [0]])
    }

    @Test("play events by episode index add up to the run's play events over whole trials")
    func playEventsByEpisodeIndex() throws {
        let s = try shipped("tinker-lab")
        let r = try Runner.run(scenario: s, agent: RandomAgent(), fun: FunSpec(terms: []), seed: 7, length: .trials(20))
        let byIndex = try #require(r.playEventsByEpisodeIndex)
        #expect(Set(byIndex.keys) == Set(r.playEvents.keys) && !byIndex.isEmpty)
        for (kind, means) in byIndex {
            #expect(means.count == 4)
            #expect(abs(means.reduce(0, +) * 20 - Double(r.playEvents[kind]!)) < 1e-9, "\(kind): 20 episodes at each index")
        }
        let byTrial = try #require(r.playEventsByTrial)
        #expect(Set(byTrial.keys) == Set(r.playEvents.keys))
        for (kind, rows) in byTrial { #expect(rows.count == 20 && rows.joined().reduce(0, +) == r.playEvents[kind], "\(kind)") }
        let json = try JSONSerialization.jsonObject(with: try StableJSON.data(r)) as? [String: Any]
        #expect(json?["play_events_by_episode_index"] is [String: Any] && json?["play_events_by_trial"] is [String: Any])
    }

    @Test("play by episode of the current trial follows the session's episodes, and starts afresh with the next trial")
    func trialPlay() throws {
        let scenario = try shipped("tinker-lab")
        var session = try Session(scenario: scenario, agent: GreedyAgent(), funSpec: .standard, seed: 3)
        var steps = [Int](repeating: 0, count: 4), played = [Int](repeating: 0, count: 4)
        repeat {
            let frame = try session.step()
            steps[frame.episode] += 1
            if frame.decision!.action.play != .none { played[frame.episode] += 1 }
            #expect(session.metrics.trialPlay.steps == Array(steps.prefix(frame.episode + 1)))
        } while !session.trialOver
        #expect(session.metrics.trialPlay.playSteps == played && played.allSatisfy { $0 > 0 })
        #expect(session.metrics.trialPlay.ratios == zip(played, steps).map { Double($0) / Double($1) })
        let next = try session.step()
        #expect(next.trial == 1 && session.metrics.trialPlay.steps == [1])
    }

    @Test("bare ground counts as something to play with only where digging is afforded")
    func reachOfDigging() throws {
        func reach(_ play: String) throws -> Bool {
            let s = try ScenarioFile.parse(text: "name: m\nmap: |\n  #####\n  #A:G#\n  #####\ntask: reach-goal\nplay: [\(play)]\n", file: "m.yaml")
            return World(scenario: s, level: try s.sample(seed: 0)).playIsWithinReach
        }
        #expect(try reach("dig") && !(try reach("push")))
    }

    @Test("run --json reports the new play statistics, null for a rule never discovered")
    func reportJSON() throws {
        let s = try shipped("tinker-lab")
        let greedy = try Runner.run(scenario: s, agent: GreedyAgent(), fun: FunSpec(terms: []), seed: 3, length: .trials(6))
        #expect(Set(greedy.discoveryStepByRule.keys) == ["bridge", "signal", "trigger"])
        #expect(greedy.effectivePlayRatio > 0 && greedy.playByEpisodeIndex.count == 4)
        let spinner = try Runner.run(scenario: s, agent: RandomAgent(), fun: FunSpec(terms: []), seed: 3, length: .episodes(1))
        let json = try JSONSerialization.jsonObject(with: try StableJSON.data(spinner)) as? [String: Any]
        let discovery = try #require(json?["discovery_step_by_rule"] as? [String: Any])
        #expect(discovery.count == 3)
        #expect(discovery.values.contains { $0 is NSNull }, "\(discovery)")
        for key in ["effective_play_ratio", "effective_play_by_episode_index", "play_by_episode_index", "play_per_opportunity", "episode_task_returns"] { #expect(json?[key] != nil, "\(key)") }
    }

    @Test("each trial's play and steps by episode are reported, and play first / last is the first index's play ratio over the last's")
    func playFirstToLast() throws {
        let s = try shipped("buried-key")
        let r = try Runner.run(scenario: s, agent: RandomAgent(), fun: FunSpec(terms: []), seed: 5, length: .trials(30))
        let plays = try #require(r.playStepsByTrial), lengths = try #require(r.lengthByTrial)
        #expect(plays.count == 30 && lengths.count == 30 && plays.allSatisfy { $0.count == 4 })
        #expect(lengths.joined().reduce(0, +) == r.steps)
        #expect(zip(plays.joined(), lengths.joined()).allSatisfy { $0 <= $1 })
        #expect(Double(plays.map { $0[1] }.reduce(0, +)) / Double(lengths.map { $0[1] }.reduce(0, +)) == r.playByEpisodeIndex[1])
        let ratio = try #require(r.playFirstToLast)
        #expect(abs(ratio.estimate - r.playByEpisodeIndex[0] / r.playByEpisodeIndex[3]) < 1e-12)
        #expect(ratio.lower < ratio.estimate && ratio.estimate < ratio.upper)
        // One-episode trials have no first and last to compare; nor does an agent that never plays.
        let sandbox = try Runner.run(scenario: try shipped("sandbox"), agent: RandomAgent(), fun: FunSpec(terms: []), seed: 5, length: .episodes(3))
        #expect(sandbox.playFirstToLast == nil && sandbox.playStepsByTrial?.count == 3)
        let still = try Runner.run(scenario: s, agent: GreedyAgent(), fun: FunSpec(terms: []), seed: 5, length: .trials(3))
        let json = try JSONSerialization.jsonObject(with: try StableJSON.data(still)) as? [String: Any]
        #expect(json?["play_steps_by_trial"] != nil && json?["length_by_trial"] != nil)
        if still.playByEpisodeIndex.last == 0 { #expect(still.playFirstToLast == nil) }
    }

    @Test("recording a step allocates nothing", .enabled(if: HeapAllocations.areCounted, "allocations are counted only with glibc"),
          arguments: ["rock-garden", "tinker-lab", "buried-key"])
    func recordAllocatesNothing(_ name: String) throws {
        var env = try TrialWorld(scenario: try shipped(name), seed: 3)
        var metrics = PlayMetrics(funComponents: 2)
        var rng = SplitMix64(seed: 6)
        let fun: [Float] = [0.25, 0.5]
        var allocations = 0
        for step in 0..<11_000 {
            let action = ActionPair(TaskAction(rawValue: UInt8(rng.below(6)))!, PlayAction(rawValue: UInt8(rng.below(7)))!)
            let before = env.world
            let t = env.step(action)
            let world = env.world
            let count = HeapAllocations.count {
                metrics.record(action: action, transition: t, taskReward: t.taskReward, fun: fun, before: before, world: world)
            }
            if step >= 1000 { allocations += count }
            if t.isLast {
                metrics.endEpisode(index: env.episode, succeeded: t.succeeded, length: world.state.step)
                if try env.beginNextEpisode() { metrics.endTrial() }
            }
        }
        #expect(allocations == 0)
        #expect(metrics.playSteps > 0)
    }
}
