import GridWorld
import Testing
import TestSupport

@Suite struct RuleTests {
    @Test("a rock pushed onto soft ground sinks, and the sand becomes walkable sunk rock")
    func rockSinks() throws {
        var w = try world(try scenario("""
        ######
        #Ao:G#
        #....#
        ######
        """, extra: "play: [push]"))
        _ = w.act(.right)  // bump into the rock: face it
        let t = w.act(.stay, .push)
        #expect(t.events.contains(.pushed) && t.events.contains(.rockSank))
        #expect(w.count(.rock) == 0)
        #expect(w[3, 1].tile == .sunkRock)
        #expect(w.agentPosition == GridPoint(x: 1, y: 1), "exclusive play takes the turn: the agent did not move")
    }

    @Test("a rock pushed onto floor moves one cell and does not sink")
    func rockMoves() throws {
        var w = try world(try scenario("""
        #######
        #Ao..G#
        #.....#
        #######
        """, extra: "play: [push]"))
        _ = w.act(.right)
        let t = w.act(.stay, .push)
        #expect(t.events == [.pushed])
        #expect(w[3, 1].thing == .rock && w[2, 1].thing == .none)
    }

    @Test("a kicked ball rolls until something stops it")
    func ballRolls() throws {
        var w = try world(try scenario("""
        #########
        #A*....o#
        #......G#
        #########
        """, extra: "play: [kick]"))
        _ = w.act(.right)
        let t = w.act(.stay, .kick)
        #expect(t.events.contains(.kicked) && t.events.contains(.ballRolled) && t.events.contains(.ballBounced))
        #expect(w[6, 1].thing == .ball, "stopped by the rock at x=7")
        #expect(w.count(.ball) == 1)
    }

    @Test("a key opens only the door of its own colour")
    func keyMatchesDoor() throws {
        let s = try scenario("""
        #######
        #kAR.G#
        #K.#..#
        #######
        """, extra: """
        legend:
          R: {thing: door, color: red}
          K: {thing: key, color: red}
        """)
        var w = try world(s)
        _ = w.act(.left)  // face the yellow key
        #expect(w.act(.use).events.contains(.pickedUp))
        _ = w.act(.right)  // bump the red door
        let refused = w.act(.use)
        #expect(!refused.events.contains(.opened))
        #expect(!Aux.isOn(w[3, 1].aux), "a yellow key does not open a red door")

        // A matching key opens it, and the door can then be walked through.
        let matching = try scenario("""
        #######
        #KAR.G#
        #######
        """, extra: "legend:\n  K: {thing: key, color: red}\n  R: {thing: door, color: red}")
        var m = try world(matching)
        _ = m.act(.left)
        _ = m.act(.use)
        _ = m.act(.right)
        #expect(m.act(.use).events.contains(.opened))
        #expect(m.act(.right).events.contains(.moved))
    }

    @Test("walls, water and closed doors are never entered, whatever the agent does")
    func wallsHold() throws {
        let s = try shipped("key-door")
        var w = try world(s)
        var rng = SplitMix64(seed: 5)
        for _ in 0..<20_000 {
            let action = ActionPair(TaskAction(rawValue: UInt8(rng.below(6)))!, PlayAction(rawValue: UInt8(rng.below(7)))!)
            let t = w.step(action, rng: &rng)
            let here = w.state.body.cell
            #expect(w.tile(here).isPassable)
            #expect(w.thing(here) == .none || w.thing(here) == .goal || (w.thing(here) == .door && Aux.isOn(w.aux(here))))
            if t.isLast { w.resetEpisode(episode: 0, rng: &rng) }
        }
    }

    @Test("things are conserved unless a rule removes them")
    func conservation() throws {
        for name in ["rock-garden", "playroom", "sandbox"] {
            let s = try shipped(name)
            var w = try world(s)
            var rng = SplitMix64(seed: 11)
            for _ in 0..<3_000 {
                let before = Dictionary(uniqueKeysWithValues: Thing.allCases.dropFirst().map { ($0, w.inventory($0)) })
                let action = ActionPair(TaskAction(rawValue: UInt8(rng.below(6)))!, PlayAction(rawValue: UInt8(rng.below(7)))!)
                let t = w.step(action, rng: &rng)
                for kind in Thing.allCases.dropFirst() {
                    var expected = before[kind]!
                    if kind == .rock && t.events.contains(.rockSank) { expected -= 1 }
                    if kind == .fruit && t.events.contains(.ate) { expected -= 1 }
                    #expect(w.inventory(kind) == expected, "\(name): \(kind.name) after \(t.events.names)")
                }
                if t.isLast { w.resetEpisode(episode: 0, rng: &rng) }
            }
        }
    }

    @Test("reaching the goal ends the episode with 1 − 0.9·t/T")
    func successReward() throws {
        var w = try world(try scenario("""
        #####
        #A.G#
        #####
        """, extra: "episode: {max-steps: 10}"))
        #expect(!w.act(.right).isLast)
        let t = w.act(.right)
        #expect(t.terminated && t.succeeded && t.events.contains(.reachedGoal))
        #expect(abs(t.taskReward - (1 - 0.9 * 2 / 10)) < 1e-6)
    }

    @Test("an episode is truncated after max-steps")
    func truncation() throws {
        var w = try world(try scenario("""
        #####
        #A.G#
        #####
        """, extra: "episode: {max-steps: 3}"))
        #expect(!w.act(.stay).isLast)
        #expect(!w.act(.stay).isLast)
        let t = w.act(.stay)
        #expect(t.truncated && !t.terminated && t.taskReward == 0)
    }

    @Test("digging, filling, stacking a tower, ringing a bell and flipping the lights")
    func playActions() throws {
        var w = try world(try scenario("""
        #########
        #:.A=BSL#
        #...=...#
        #......G#
        #########
        """))
        _ = w.act(.left)
        #expect(w.act(.stay, .dig).events.contains(.dug))
        #expect(w[1, 1].tile == .hole)
        #expect(w.act(.stay, .build).events.contains(.filled))
        #expect(w.act(.stay, .build).events.contains(.fumbled), "nothing to fill, nothing carried")
        _ = w.act(.right)
        _ = w.act(.right)  // bump the block
        #expect(w.act(.use).events.contains(.pickedUp))
        #expect(w.state.body.carrying == .block)
        _ = w.act(.down)
        _ = w.act(.right)  // bump the block below the first
        #expect(w.act(.stay, .build).events.contains(.built))
        #expect(Aux.count(w[4, 2].aux) == 2, "stacked on the block below")
        #expect(w.act(.stay, .spin).events == [.spun])
    }

    @Test("the light switch turns every lamp on and off")
    func lights() throws {
        var w = try world(try scenario("""
        #######
        #L.AS.#
        #....G#
        #######
        """))
        _ = w.act(.right)
        #expect(w.act(.stay, .ring).events.contains(.lightToggled))
        #expect(Aux.isOn(w[1, 1].aux) && Aux.isOn(w[4, 1].aux))
        _ = w.act(.stay, .ring)
        #expect(!Aux.isOn(w[1, 1].aux))
    }

    @Test("a play action the scenario does not afford does nothing but take the turn")
    func unaffordedPlay() throws {
        var w = try world(try scenario("""
        ######
        #Ao:G#
        #....#
        ######
        """, extra: "play: [spin]"))
        _ = w.act(.right)
        let t = w.act(.right, .push)
        #expect(t.events == [.fumbled])
        #expect(w.count(.rock) == 1)
    }

    @Test("simultaneous coupling: both halves act, play costs energy, rest restores it")
    func simultaneous() throws {
        var w = try world(try scenario("""
        #######
        #A....#
        #....G#
        #######
        """, extra: "coupling: {simultaneous: {energy: 3, play-cost: 2, rest-gain: 1}}"))
        let t = w.act(.right, .spin)
        #expect(t.events.contains(.moved) && t.events.contains(.spun))
        #expect(w.state.body.energy == 1)
        #expect(w.act(.right, .spin).events.contains(.tired))
        _ = w.act(.stay)
        #expect(w.state.body.energy == 2)
    }

    @Test("collecting eats fruit and pays each its share; delivering needs a pad")
    func collectAndDeliver() throws {
        var w = try world(try scenario("""
        ######
        #fAf.#
        ######
        """, task: "{collect: {thing: fruit, count: 2}}"))
        _ = w.act(.left)
        let first = w.act(.use)
        #expect(first.events.contains(.ate) && !first.isLast && first.taskReward > 0)
        _ = w.act(.right)
        let second = w.act(.use)
        #expect(second.terminated && second.succeeded)

        var d = try world(try scenario("""
        ######
        #*A._#
        ######
        """, task: "{deliver: ball}"))
        _ = d.act(.left)
        _ = d.act(.use)
        _ = d.act(.right)
        let done = d.act(.use)
        #expect(done.events.contains(.delivered) && done.succeeded)
    }

    @Test("a lever pays with its odds and ends the episode; its luck is the payout less the odds")
    func levers() throws {
        let s = try scenario("""
        ####
        #l.#
        #A.#
        ####
        """, task: "pull-levers")
        var w = try world(s)
        let odds = w.rules.level.leverOdds[0]
        var rng = SplitMix64(seed: 1)
        var paid = 0
        for _ in 0..<4000 {
            let t = w.step(ActionPair(.use), rng: &rng)
            #expect(t.terminated && t.events.contains(.pulledLever))
            if t.events.contains(.leverPaid) { paid += 1 }
            #expect(abs(t.taskReward - t.luck - Float(odds)) < 1e-6)
            w.resetEpisode(episode: 0, rng: &rng)
        }
        #expect(abs(Double(paid) / 4000 - odds) < 0.04)
        #expect(w.step(ActionPair(.right), rng: &rng).luck == 0)
    }

    @Test("the observation is the egocentric window, the map's edge reads as void")
    func observation() throws {
        let w = try world(try scenario("""
        #####
        #A.G#
        #####
        """, extra: "view: 3"))
        let o = w.observation
        #expect(o.count == ObservationLayout.size(viewSize: 3))
        #expect(o[0] == Tile.wall.rawValue && o[3 * 4] == Tile.floor.rawValue)
        let w2 = try world(try scenario("""
        #####
        #..G#
        #A..#
        #####
        """, extra: "view: 7"))
        let o2 = w2.observation
        #expect(o2[0] == Tile.void.rawValue, "three cells up and left of (1,2) is beyond the map")
        #expect(o2[(3 * 7 + 3) * 3] == Tile.floor.rawValue, "the centre is the agent's own cell")
        #expect(o2[(3 * 7 + 2) * 3] == Tile.wall.rawValue)
    }
}
