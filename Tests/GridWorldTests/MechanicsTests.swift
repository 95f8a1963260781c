import Agents
import Engine
import GridWorld
import Testing
import TestSupport

/// A world of a scenario's first MDP, with its hidden rules set as a test needs them rather than as drawn.
func world(_ s: Scenario, rules: (inout MechanicDraw) -> Void) throws -> World {
    var level = try s.sample(seed: 0)
    rules(&level.mechanics)
    return World(scenario: s, level: level)
}

extension World {
    func at(_ x: Int, _ y: Int) -> Int { cell(at: GridPoint(x: x, y: y)) }
}

@Suite struct MechanicsTests {
    // MARK: bridge

    static let river = """
    #######
    #>o~.G#
    #.....#
    #######
    """

    @Test("a rock pushed into water bridges it where rocks bridge: the water is walkable only after")
    func bridges() throws {
        var w = try world(try scenario(Self.river, extra: "play: [push]\nmechanics:\n  bridge: bridge"), rules: { $0.bridges = true })
        #expect(!w.isEnterable(w.at(3, 1)))
        let t = w.act(.stay, .push)
        #expect(t.events == [.pushed, .bridged])
        #expect(w[3, 1].tile == .bridge && w.count(.rock) == 0)
        #expect(w.isEnterable(w.at(3, 1)))
        _ = w.act(.right)
        _ = w.act(.right)
        #expect(w.agentPosition == GridPoint(x: 3, y: 1), "walked onto the bridge")
    }

    @Test("where rocks sink, a rock pushed into water is gone and the water stays water")
    func sinks() throws {
        var w = try world(try scenario(Self.river, extra: "play: [push]\nmechanics:\n  bridge: {bridge: 0.5, sink: 0.5}"),
                          rules: { $0.bridges = false })
        let t = w.act(.stay, .push)
        #expect(t.events == [.pushed, .rockSankInWater])
        #expect(w[3, 1].tile == .water && w.count(.rock) == 0 && !w.isEnterable(w.at(3, 1)))
    }

    @Test("without a bridge rule a rock cannot be pushed into water, as before mechanics")
    func noBridgeRule() throws {
        var w = try world(try scenario(Self.river, extra: "play: [push]"))
        let t = w.act(.stay, .push)
        #expect(t.events == [.fumbled])
        #expect(w[2, 1].thing == .rock && w[3, 1].tile == .water)
    }

    // MARK: buried

    static let patches = """
    ########
    #>:..:.#
    #......#
    #.:..:D#
    ########
    """

    @Test("a buried key comes up only where it was drawn, once, into the digger's hands")
    func buriedWhereDrawn() throws {
        let s = try scenario(Self.patches, task: "open-door", extra: "play: [dig, build]\nmechanics:\n  buried: {thing: key, under: sand}")
        // Candidates in row-major order: (2,1), (5,1), (2,3), (5,3). The key lies under the second.
        var w = try world(s, rules: { $0.buried = 1 })
        #expect(w.rules.buriedCells == [w.at(2, 1), w.at(5, 1), w.at(2, 3), w.at(5, 3)])
        #expect(w.count(.key) == 0)
        var t = w.act(.stay, .dig)
        #expect(t.events == [.dug], "nothing under the first patch")
        #expect(w[2, 1].tile == .hole && w.count(.key) == 0 && w.state.body.carrying == .none)
        _ = w.act(.right)
        _ = w.act(.right)
        _ = w.act(.right)
        #expect(w.agentPosition == GridPoint(x: 4, y: 1))
        t = w.act(.stay, .dig)
        #expect(t.events == [.dug, .foundBuried, .pickedUp])
        #expect(w.state.body.carrying == .key && w.state.mechanics.buriedFound)
        // Filled and dug again, the patch gives nothing more.
        _ = w.act(.stay, .build)
        #expect(w[5, 1].tile == .sand)
        t = w.act(.stay, .dig)
        #expect(t.events == [.dug])
        // A new episode buries it again.
        var rng = SplitMix64(seed: 1)
        w.resetEpisode(episode: 1, rng: &rng)
        #expect(!w.state.mechanics.buriedFound && w.state.body.carrying == .none && w.state.mechanics.draw.buried == 1)
    }

    @Test("a thing buried under a rock comes to light where the rock was when the rock is pushed away")
    func buriedUnderRock() throws {
        let s = try scenario("""
        #######
        #>o.o.#
        #....G#
        #######
        """, extra: "play: [push]\nmechanics:\n  buried: {thing: fruit, under: rock}")
        var w = try world(s, rules: { $0.buried = 0 })
        let t = w.act(.stay, .push)
        #expect(t.events == [.pushed, .foundBuried])
        #expect(w[2, 1].thing == .fruit && w[3, 1].thing == .rock, "found on the ground: it was not dug up")
    }

    // MARK: signal

    static let doors = """
    #######
    #B>...#
    ##R#U##
    #..G..#
    #######
    """
    static let doorLegend = "legend:\n  R: {thing: door, color: red}\n  U: {thing: door, color: blue}\n"

    @Test("ringing the bell opens only the doors of the drawn colour")
    func signalOpensItsDoor() throws {
        let s = try scenario(Self.doors, extra: Self.doorLegend + "play: [ring]\nmechanics:\n  signal: {by: bell, opens: [red, blue]}")
        for color in [UInt8(1), 3] {
            var w = try world(s, rules: { $0.signal = color })
            _ = w.act(.left)  // bump into the bell: face it
            let t = w.act(.stay, .ring)
            #expect(t.events == [.bellRang, .signalOpened])
            #expect(Aux.isOn(w[2, 2].aux) == (color == 1) && Aux.isOn(w[4, 2].aux) == (color == 3))
            #expect(w.act(.stay, .ring).events == [.bellRang], "already open: nothing more opens")
        }
    }

    @Test("a timed signal's door closes after its steps, but never on the agent")
    func timedSignal() throws {
        let s = try scenario("""
        ######
        #B>..#
        #.R..#
        #...G#
        ######
        """, extra: Self.doorLegend + "play: [ring]\nmechanics:\n  signal: {by: bell, opens: red, for: 3}")
        var w = try world(s, rules: { $0.signal = 1 })
        _ = w.act(.left)  // bump into the bell: face it
        _ = w.act(.stay, .ring)
        #expect(w.state.mechanics.signalClosesAt == 5 && Aux.isOn(w[2, 2].aux))
        _ = w.act(.stay)
        _ = w.act(.stay)
        let closing = w.act(.down)  // step 5: the agent steps into the doorway as the time runs out
        #expect(w.agentPosition == GridPoint(x: 2, y: 2) && Aux.isOn(w[2, 2].aux) && !closing.events.contains(.doorsClosed))
        #expect(w.state.mechanics.signalClosesAt == 5, "still due")
        let t = w.act(.down)
        #expect(t.events.contains(.doorsClosed) && !Aux.isOn(w[2, 2].aux) && w.state.mechanics.signalClosesAt == 0)
    }

    // MARK: trigger

    static let lab = """
    ########
    #>*.+.##
    #.....DG
    ########
    """

    @Test("a ball kicked onto a plate stops there and opens the trigger's gate")
    func triggerOpensGate() throws {
        let s = try scenario(Self.lab, extra: "legend:\n  D: {thing: door, color: green}\nplay: [kick, push]\nmechanics:\n  trigger: {by: ball, opens: green}")
        var w = try world(s, rules: { $0.trigger = 2 })
        let t = w.act(.stay, .kick)
        #expect(t.events == [.kicked, .ballRolled, .gateOpened])
        #expect(w[4, 1].thing == .ball, "the plate caught the ball before the free cell beyond it")
        #expect(Aux.isOn(w[6, 2].aux))
    }

    @Test("a plate opens nothing for what does not press it, nor when the trigger is a decoy")
    func triggerIgnores() throws {
        let s = try scenario(Self.lab.replacingOccurrences(of: "*", with: "o").replacingOccurrences(of: "#.....DG", with: "#...*.DG"),
                             extra: "legend:\n  D: {thing: door, color: green}\nplay: [push]\nmechanics:\n  trigger: {by: ball, opens: green}")
        var w = try world(s, rules: { $0.trigger = 2 })
        _ = w.act(.stay, .push)
        _ = w.act(.right)
        let t = w.act(.stay, .push)
        #expect(t.events == [.pushed] && w[4, 1].thing == .rock && !Aux.isOn(w[6, 2].aux), "a rock does not press this plate")
        let ball = try scenario(Self.lab, extra: "legend:\n  D: {thing: door, color: green}\nplay: [kick]\nmechanics:\n  trigger: {by: ball, opens: green}")
        var decoy = try world(ball, rules: { $0.trigger = MechanicDraw.off })
        #expect(decoy.act(.stay, .kick).events == [.kicked, .ballRolled])
        #expect(!Aux.isOn(decoy[6, 2].aux))
    }

    @Test("a block built onto a plate presses it")
    func towerOnPlate() throws {
        let s = try scenario("""
        #######
        #>=.+D#
        #....G#
        #######
        """, extra: "play: [build]\nmechanics:\n  trigger: {by: block, opens: yellow}")
        var w = try world(s, rules: { $0.trigger = 0 })
        _ = w.act(.use)
        _ = w.act(.right)
        _ = w.act(.right)
        let t = w.act(.stay, .build)
        #expect(t.events == [.built, .gateOpened] && Aux.isOn(w[5, 1].aux))
    }

    // MARK: decoy

    static let decoyLab = """
    #########
    #>B.*.+.#
    #......D#
    #......G#
    #########
    """

    @Test("each trial one rule of a decoy group works; a decoy's object changes nothing the task needs")
    func decoy() throws {
        let s = try scenario(Self.decoyLab, extra: "play: [ring, kick]\nmechanics:\n  signal: {by: bell, opens: yellow}\n"
            + "  trigger: {by: ball, opens: yellow}\n  decoy: [signal, trigger]")
        var live = [0, 0]
        for seed in 0..<UInt64(400) {
            let draw = try s.sample(seed: seed).mechanics
            #expect((draw.signal == 0) != (draw.trigger == 0), "exactly one works")
            live[draw.signal == 0 ? 0 : 1] += 1
        }
        #expect(live.allSatisfy { $0 > 150 }, "\(live)")
        var w = try world(s, rules: { $0.signal = MechanicDraw.off; $0.trigger = 0 })
        let before = w.state.cells
        #expect(w.act(.stay, .ring).events == [.bellRang])
        #expect(w.state.cells == before && !Aux.isOn(w[7, 2].aux), "ringing the decoy bell changed nothing")
    }

    // MARK: draws

    @Test("the rules are drawn from the trial's seed: the same seed, the same draw; over seeds, the declared odds")
    func drawsPerSeed() throws {
        let s = try scenario(Self.doors, extra: Self.doorLegend + "play: [ring]\nmechanics:\n  signal: {by: bell, opens: {red: 0.2, blue: 0.8}}")
        var red = 0
        for seed in 0..<UInt64(2000) {
            let draw = try s.sample(seed: seed).mechanics
            #expect(draw == (try s.sample(seed: seed)).mechanics)
            if draw.signal == 1 { red += 1 } else { #expect(draw.signal == 3) }
        }
        #expect(abs(Double(red) / 2000 - 0.2) < 0.03, "\(red)")
        // Trials of one run draw one MDP each, and a run from the same seed draws the same ones.
        func draws(_ seed: UInt64) throws -> [MechanicDraw] {
            var env = try TrialWorld(scenario: s, seed: seed)
            var out: [MechanicDraw] = []
            for _ in 0..<40 {
                out.append(env.world.state.mechanics.draw)
                try env.beginNextEpisode()
            }
            return out
        }
        #expect(try draws(5) == (try draws(5)))
        #expect(Set(try draws(5).map(\.signal)).count == 2, "a family with hidden rules is not a fixed one")
    }

    @Test("redraw-rules-every draws the rules anew within an episode, deterministically")
    func redrawEvery() throws {
        let s = try scenario(Self.doors, extra: Self.doorLegend
            + "play: [ring]\nmechanics:\n  signal: {by: bell, opens: [red, blue]}\ndynamics: {redraw-rules-every: 5}\nepisode: {max-steps: 200}")
        func run() throws -> [UInt8] {
            var env = try TrialWorld(scenario: s, seed: 9)
            return (0..<100).map { _ in
                _ = env.step(ActionPair(.stay))
                return env.world.state.mechanics.draw.signal
            }
        }
        let signals = try run()
        #expect(signals == (try run()))
        #expect(Set(signals).count == 2)
        for i in signals.indices where (i + 1) % 5 != 0 && i > 0 { #expect(signals[i] == signals[i - 1], "step \(i + 1)") }
    }

    @Test("redraw-rules-between-episodes keeps the rules within an episode and draws them anew at the next")
    func redrawBetweenEpisodes() throws {
        let s = try scenario(Self.river, extra: "play: [push]\nmechanics:\n  bridge: {bridge: 0.5, sink: 0.5}\n"
            + "dynamics: {redraw-rules-between-episodes: true}\nepisode: {max-steps: 3}\ntrial: {episodes: 40}")
        var env = try TrialWorld(scenario: s, seed: 3)
        #expect(env.world.state.mechanics.draw == env.world.rules.level.mechanics)
        var outcomes: [Bool] = []
        for _ in 0..<40 {
            let draw = env.world.state.mechanics.draw
            for _ in 0..<3 {
                _ = env.step(ActionPair(.stay))
                #expect(env.world.state.mechanics.draw == draw)
            }
            outcomes.append(draw.bridges)
            try env.beginNextEpisode()
        }
        #expect(outcomes.contains(true) && outcomes.contains(false))
    }

    @Test("a snapshot carries rules drawn anew during the trial, and the resumed world goes on exactly")
    func snapshotCarriesDraws() throws {
        let s = try scenario(Self.doors, extra: Self.doorLegend
            + "play: [ring]\nmechanics:\n  signal: {by: bell, opens: [red, blue], for: 4}\ndynamics: {redraw-rules-every: 7}\n"
            + "episode: {max-steps: 30}\ntrial: {episodes: 3}")
        var original = try TrialWorld(scenario: s, seed: 11)
        var actions = SplitMix64(seed: 2)
        func next() -> ActionPair { ActionPair(TaskAction(rawValue: UInt8(actions.below(6)))!, actions.below(3) == 0 ? .ring : .none) }
        for _ in 0..<50 {
            if original.step(next()).isLast { try original.beginNextEpisode() }
        }
        let snapshot = original.snapshot
        var resumed = try TrialWorld(scenario: s, snapshot: snapshot)
        #expect(resumed.world.state.mechanics == original.world.state.mechanics)
        let saved = actions
        var a: [Transition] = [], b: [Transition] = []
        var redrawn = false
        for _ in 0..<200 {
            let t = original.step(next())
            a.append(t)
            redrawn = redrawn || original.world.state.mechanics.draw != original.world.rules.level.mechanics
            if t.isLast { try original.beginNextEpisode() }
        }
        #expect(redrawn, "the rules were drawn anew during the run")
        actions = saved
        for _ in 0..<200 {
            let t = resumed.step(next())
            b.append(t)
            if t.isLast { try resumed.beginNextEpisode() }
        }
        #expect(a == b && resumed.snapshot == original.snapshot)
    }

    @Test("the mechanics state packs into one word and back")
    func packed() {
        let states = [MechanicState(), MechanicState(draw: MechanicDraw(bridges: true, buried: 513, signal: 6, trigger: 2),
                                                     buriedFound: true, signalClosesAt: 100_123)]
        for state in states { #expect(MechanicState(packed: state.packed) == state) }
        #expect(MechanicState(packed: 2) == nil, "a bridge outcome other than 0 or 1")
    }
}
