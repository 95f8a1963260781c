import GridWorld
import ScenarioFiles
import Testing
import TestSupport

/// The mechanics section, legend picks and rule redraws in scenario files: what they parse into, and every
/// problem they can have, reported at its line and column.
@Suite struct MechanicsFileTests {
    /// A map with water, a rock, sand, a bell, a ball, a plate and a red door; extra lines start at line 10.
    static let lab = "name: x\nmap: |\n  #########\n  #A.o~.G.#\n  #:..B.*+#\n  #..R....#\n  #########\ntask: reach-goal\n"
        + "legend: {R: {thing: door, color: red}}\n"
    /// A bare room; extra lines start at line 7.
    static let room = "name: x\nmap: |\n  #####\n  #A.G#\n  #####\ntask: reach-goal\n"

    static func parse(_ text: String) throws(ScenarioFileError) -> Scenario { try ScenarioFile.parse(text: text, file: "bad.yaml") }

    @Test("every rule and its odds parse into the scenario's mechanics")
    func parses() throws {
        let s = try Self.parse(Self.lab + """
        mechanics:
          bridge: {bridge: 0.25, sink: 0.75}
          buried: {thing: key, color: red, under: [sand, rock]}
          signal: {by: bell, opens: [red], for: 9}
          trigger: {by: [ball, rock], opens: {red: 1}}
          decoy: [signal, trigger]
        dynamics: {redraw-rules-every: 12, redraw-rules-between-episodes: true}
        """)
        let m = s.mechanics
        #expect(m.bridge == Odds([1, 0], probabilities: [0.25, 0.75]))
        #expect(m.buried == BuriedRule(thing: .key, aux: 1, under: [.sand, .rock]))
        #expect(m.signal == DoorRule(by: [.bell], opens: Odds([1], probabilities: [1]), duration: 9))
        #expect(m.trigger == DoorRule(by: [.ball, .rock], opens: Odds([1], probabilities: [1])))
        #expect(m.decoy == Odds.uniform([Mechanic.signal.rawValue, Mechanic.trigger.rawValue]))
        #expect(m.declared == [.bridge, .buried, .signal, .trigger])
        #expect(s.dynamics.redrawRulesEvery == 12 && s.dynamics.redrawRulesBetweenEpisodes)
        #expect(try Self.parse(Self.lab + "mechanics: {signal: {opens: red}}").mechanics.signal?.by == [.bell, .lightSwitch])
    }

    @Test("a picked symbol's cells take its look in a drawn number, the rest the else look")
    func picks() throws {
        let s = try Self.parse("name: x\nmap: |\n  #######\n  #a?a?G#\n  #.?.?.#\n  #######\ntask: reach-goal\n"
            + "legend:\n  a: {agent: left, pick: 1, else: floor}\n  '?': {tile: sand, pick: [1, 3], else: grass}\n")
        #expect(s.map.tiles.filter { $0 == .grass }.count == 4, "the template holds the else look")
        #expect(s.distribution.picks.map(\.counts) == [[1], [1, 3]])
        var sands: Set<Int> = [], starts: Set<GridPoint> = []
        for seed in 0..<UInt64(200) {
            let level = try s.sample(seed: seed)
            let sand = level.map.tiles.filter { $0 == .sand }.count
            #expect(sand == 1 || sand == 3)
            #expect(level.map.tiles.filter { $0 == .grass }.count == 4 - sand)
            #expect(level.map.agentFacing == .left)
            sands.insert(sand)
            starts.insert(level.map.agentStart)
        }
        #expect(sands == [1, 3] && starts == [GridPoint(x: 1, y: 1), GridPoint(x: 3, y: 1)])
    }

    @Test("flips mirror a drawn MDP, the agent's start and heading with it, each axis half the time")
    func flips() throws {
        let s = try Self.parse("name: x\nmap: |\n  #####\n  #>.G#\n  #...#\n  #####\ntask: reach-goal\ndistribution: {flip: [horizontal, vertical]}\n")
        var seen: Set<[Thing]> = []
        for seed in 0..<UInt64(100) {
            let level = try s.sample(seed: seed)
            let goal = level.map.things.firstIndex(of: .goal).map { GridPoint(x: $0 % 5, y: $0 / 5) }
            let mirrored = level.map.agentStart.x == 3
            #expect(level.map.agentFacing == (mirrored ? .left : .right))
            #expect(goal?.x == (mirrored ? 1 : 3) && goal?.y == level.map.agentStart.y)
            seen.insert(level.map.things)
        }
        #expect(seen.count == 4)
    }

    @Test("a rock barring the way to the water it bridges is pushed in, not taken for a wall, so its bridge draws")
    func rockBeforeWater() throws {
        let corridor = "name: x\nmap: |\n  #######\n  #A.o~G#\n  #######\ntask: reach-goal\n"
        #expect(try Self.parse(corridor + "mechanics:\n  bridge: bridge\n").sample(seed: 0).mechanics.bridges)
        let s = try Self.parse("name: x\nmap: |\n  #########\n  #A.o~...#\n  #B..#...#\n  #...D..G#\n  #########\n"
            + "task: reach-goal\nmechanics:\n  bridge: bridge\n  signal: {by: bell, opens: yellow}\n  decoy: [bridge, signal]\n")
        let bridging = (0..<UInt64(200)).filter { (try? s.sample(seed: $0).mechanics.bridges) == true }.count
        #expect((70...130).contains(bridging), "the bridge works in about half the trials, as the decoy says: \(bridging) of 200")
        // The search meets this rock from the north first (no water beyond it there), and from the west only later.
        let later = "name: x\nmap: |\n  #######\n  #A..###\n  #..o~G#\n  #######\ntask: reach-goal\nmechanics:\n  bridge: bridge\n"
        #expect(try Self.parse(later).sample(seed: 0).mechanics.bridges)
    }

    @Test("odds hold among solvable MDPs, as the format document says: bridge-builder bridges about two trials in three")
    func oddsAmongSolvable() throws {
        let s = try shipped("bridge-builder")
        let bridging = try (0..<UInt64(300)).filter { try s.sample(seed: $0).mechanics.bridges }.count
        #expect((180...225).contains(bridging), "\(bridging) of 300")
    }

    static let problems: [(String, String, String)] = [
        ("an unknown rule", lab + "mechanics:\n  brige: bridge\n",
         "bad.yaml:11:3: unknown key 'brige' in mechanics; did you mean 'bridge'?"),
        ("probabilities that do not add up to 1", lab + "mechanics:\n  bridge: {bridge: 0.5, sink: 0.3}\n",
         "bad.yaml:11:11: the bridge outcome probabilities add up to 0.8; they must add up to 1"),
        ("an unknown outcome", lab + "mechanics:\n  bridge: {brige: 0.5, sink: 0.5}\n",
         "bad.yaml:11:12: unknown bridge outcome 'brige'; did you mean 'bridge'?"),
        ("an outcome given twice", lab + "mechanics:\n  signal: {by: bell, opens: [red, red]}\n",
         "bad.yaml:11:35: door colour 'red' appears twice"),
        ("no outcome at all", lab + "mechanics:\n  signal: {by: bell, opens: []}\n",
         "bad.yaml:11:29: expected at least one door colour: yellow, red, green, blue, purple, grey, orange, white"),
        ("a probability out of range", lab + "mechanics:\n  bridge: {bridge: 1.5, sink: -0.5}\n",
         "bad.yaml:11:20: the probability of bridge must be from 0.0 to 1.0, found 1.5"),
        ("a bridge without water", room + "mechanics:\n  bridge: bridge\n",
         "bad.yaml:8:3: bridge needs water (~) and a rock (o) in the map, for rocks to be pushed into the water"),
        ("a buried thing nothing can hide", lab + "mechanics:\n  buried: {thing: key, under: grass}\n",
         "bad.yaml:11:31: no cell can hide the key: the map has no bare grass"),
        ("a buried thing that cannot be buried", lab + "mechanics:\n  buried: {thing: door, under: sand}\n",
         "bad.yaml:11:19: unknown buried thing 'door'; expected one of: key, ball, block, goal, fruit"),
        ("a buried thing without a cover", lab + "mechanics:\n  buried: {thing: key}\n",
         "bad.yaml:11:11: buried needs under: what may hide the key (sand, grass, rock)"),
        ("a buried rule without a thing", lab + "mechanics:\n  buried: {under: sand}\n",
         "bad.yaml:11:11: buried needs a thing: key, ball, block, goal, fruit"),
        ("an unknown cover", lab + "mechanics:\n  buried: {thing: key, under: [snad]}\n",
         "bad.yaml:11:32: unknown cover 'snad'; did you mean 'sand'?"),
        ("a signal for a door the map lacks", lab + "mechanics:\n  signal: {by: bell, opens: blue}\n",
         "bad.yaml:11:29: no blue door in the map for the signal to open"),
        ("a signal nothing in the map sets off", lab + "mechanics:\n  signal: {by: switch, opens: red}\n",
         "bad.yaml:11:16: nothing in the map sets the signal off: it has no switch"),
        ("a signal set off by what cannot ring", lab + "mechanics:\n  signal: {by: ball, opens: red}\n",
         "bad.yaml:11:16: unknown signal thing 'ball'; did you mean 'bell'?"),
        ("a signal that opens nothing", lab + "mechanics:\n  signal: {by: bell}\n",
         "bad.yaml:11:11: signal needs opens: the colour of the doors it opens (a list or probabilities: one drawn per trial)"),
        ("a signal open for no time", lab + "mechanics:\n  signal: {opens: red, for: 0}\n",
         "bad.yaml:11:29: for (steps the doors stay open) must be from 1 to 100000, found 0"),
        ("a trigger without a plate", room + "mechanics:\n  trigger: {opens: red}\n",
         "bad.yaml:8:3: trigger needs a plate (+) in the map, for things to be brought onto"),
        ("a trigger set off by a bell", lab + "mechanics:\n  trigger: {by: bell, opens: red}\n",
         "bad.yaml:11:17: unknown trigger thing 'bell'; did you mean 'ball'?"),
        ("a trigger with a time", lab + "mechanics:\n  trigger: {opens: red, for: 3}\n",
         "bad.yaml:11:25: unknown key 'for' in trigger; expected one of: by, opens"),
        ("a decoy group naming a rule not declared", lab + "mechanics:\n  signal: {opens: red}\n  decoy: [signal, trigger]\n",
         "bad.yaml:12:19: decoy names trigger, which this mechanics section does not declare"),
        ("a decoy group of one", lab + "mechanics:\n  signal: {opens: red}\n  decoy: [signal]\n",
         "bad.yaml:12:10: a decoy group needs at least two rules: one works each trial, the others are decoys"),
        ("an unknown decoy rule", lab + "mechanics:\n  signal: {opens: red}\n  decoy: [signal, triger]\n",
         "bad.yaml:12:19: unknown decoy rule 'triger'; did you mean 'trigger'?"),
        ("rules redrawn without rules", room + "dynamics: {redraw-rules-every: 5}\n",
         "bad.yaml:7:12: redraw-rules-every needs hidden rules to draw anew; declare them in a mechanics section"),
        ("more cells picked than marked", "name: x\nmap: |\n  #####\n  #A??#\n  #####\ntask: none\nlegend:\n  '?': {tile: sand, pick: 3, else: floor}\n",
         "bad.yaml:8:27: pick 3 of the cells marked '?', but the map marks 2"),
        ("an agent picked twice", "name: x\nmap: |\n  #####\n  #aa.#\n  #####\ntask: none\nlegend:\n  a: {agent: up, pick: 2, else: floor}\n",
         "bad.yaml:8:24: an agent symbol picks exactly 1 cell (the start), found pick 2"),
        ("an agent beside a picked agent", "name: x\nmap: |\n  #####\n  #aA.#\n  #####\ntask: none\nlegend:\n  a: {agent: up, pick: 1, else: floor}\n",
         "bad.yaml:4:5: a second agent; a map has exactly one"),
        ("an else without a pick", "name: x\nmap: |\n  #####\n  #A?.#\n  #####\ntask: none\nlegend:\n  '?': {tile: sand, else: floor}\n",
         "bad.yaml:8:27: else needs pick: how many of the marked cells take this look"),
        ("an agent for else", "name: x\nmap: |\n  #####\n  #A?.#\n  #####\ntask: none\nlegend:\n  '?': {tile: sand, pick: 1, else: agent}\n",
         "bad.yaml:8:36: else cannot be the agent: the cells not picked need a tile or thing"),
        ("an unknown flip", room + "distribution: {flip: [diagonal]}\n",
         "bad.yaml:7:23: unknown flip 'diagonal'; expected one of: horizontal, vertical"),
        ("no MDP can be drawn that works", "name: x\nmap: |\n  #######\n  #Ao~.G#\n  #######\ntask: reach-goal\nmechanics:\n  bridge: sink\n",
         "bad.yaml:2:6: no solvable layout in 64 draws from seed 0 (the last: the goal cannot be reached from the agent's start)"),
    ]

    @Test("each problem in a mechanics section or a pick is one line at its place", arguments: problems)
    func problem(_ what: String, _ text: String, _ expected: String) {
        do {
            _ = try Self.parse(text)
            Issue.record("\(what): parsed")
        } catch {
            #expect(error.description == expected, "\(what)")
        }
    }

    @Test("the play-first variants: bridge-builder with a ford in every trial and its own bridge odds, buried-key with five patches")
    func playFirstVariants() throws {
        let builder = try shipped("bridge-builder")
        for p in [0.1, 0.3, 0.5, 0.7, 0.9] {
            let variant = try ScenarioFile.load(path: Repository.path("docs/results/play-first/bridge-ford-\(p).yaml"))
            #expect(variant.mechanics.bridge == Odds([1, 0], probabilities: [p, (10 - p * 10) / 10]), "\(p)")
            #expect(variant.task == builder.task && variant.episodesPerTrial == builder.episodesPerTrial)
            let bridged = (0..<200).filter { (try? variant.sample(seed: UInt64($0)).mechanics.bridges) == true }.count
            #expect(abs(Double(bridged) / 200 - p) < 0.12, "\(p): \(bridged) of 200")
            for seed in 0..<50 {
                let map = try variant.sample(seed: UInt64(seed)).map
                let water = (0..<map.height).flatMap { y in (0..<map.width).filter { map[$0, y].tile == .water } }.count
                #expect(water == 4, "the river's five cells, one of them a ford: seed \(seed)")
            }
        }
        let five = try ScenarioFile.load(path: Repository.path("docs/results/play-first/buried-key-5.yaml"))
        #expect(five.mechanics.buried == (try shipped("buried-key")).mechanics.buried)
        for seed in 0..<50 {
            let map = try five.sample(seed: UInt64(seed)).map
            let sand = (0..<map.height).flatMap { y in (0..<map.width).filter { map[$0, y].tile == .sand } }.count
            #expect(sand == 5, "five patches to dig: seed \(seed)")
        }
    }
}
