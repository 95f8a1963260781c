import Agents
import Engine
import Foundation
import GridWorld
import Tapes
import Terminal
import TestSupport
import Testing
@testable import Views

/// Worlds with hidden rules on screen: the reveal overlay (`r`), the HUD's play by episode, and the event log's
/// first-discovery lines.
@Suite struct RevealGoldenTests {
    /// tinker-lab with the oracle (greedy) paused after `steps` steps.
    func tinkerLab(steps: Int, seed: UInt64 = 1) throws -> WatchApp {
        var app = WatchApp(session: try Fixtures.session("tinker-lab", agent: GreedyAgent(), seed: seed), mode: .paused)
        for _ in 0..<steps { app.handle(.stepForward, now: .zero) }
        return app
    }

    @Test("tinker-lab without the overlay: the rules stay hidden; the HUD shows play by episode, the log the discovery (100x32)")
    func hidden100() throws {
        let screen = Fixtures.render(try tinkerLab(steps: 14), width: 100, height: 32)
        #expect(screen.text == """
            ┌─ tinker-lab ─────────────────────────────────────────────┐┌─ Agent: greedy ──────────────────────┐
            │                                                          ││ tinker-lab                    seed 1 │
            │                                                          ││ trial 1  episode 1/4  step 14/60     │
            │                                                          ││                                      │
            │                                                          ││ action ⟨left, none⟩                  │
            │                                                          ││ scripted: no probabilities           │
            │                                                          ││ task left   play none                │
            │                 █ █ █ █ █ █ █ █ █ █ █ █                  ││                                      │
            │                 █ ★ ≈ · · · █ ♪ · · ▪ █                  ││ reward                step   episode │
            │                 █ · █ · · · · █ · ○ ▪ █                  ││ task                  0.00      0.00 │
            │                 █ · █ · · · · · · · ▪ █                  ││   delight             0.00      0.00 │
            │                 █ · ▯ · · · · ◀ · · ▪ █                  ││ fun                   0.00      0.00 │
            │                 █ · ≈ ● · · · █ · · ▪ █                  ││                                      │
            │                 █ █ █ █ █ █ █ █ █ █ █ █                  ││ recent: ▇ task  • fun                │
            │                                                          ││                                      │
            │                                                          ││                                      │
            │                                                          ││                                      │
            │                                                          ││                                      │
            │                                                          ││                                      │
            │                                                          ││ ••••••••••••••                       │
            │                                                          ││ play ratio 7%  last 50: 7%           │
            └──────────────────────────────────────────────────────────┘│ play by episode: 7% – – –            │
            ┌─ Events ─────────────────────────────────────────────────┐│                                      │
            │ e1 s9   bumped into something                            ││                                      │
            │ e1 s10  discovery: the bell opened the yellow door       ││                                      │
            │                                                          ││                                      │
            │                                                          ││                                      │
            │                                                          ││                                      │
            │                                                          ││                                      │
            │                                                          ││                                      │
            └──────────────────────────────────────────────────────────┘└──────────────────────────────────────┘
             PAUSED  8 steps/s │ space resume  ? help  q quit  r reveal rules  . → step  , ← back  t take over
            """)
    }

    @Test("tinker-lab with r: the drawn rule in words and on the map (100x32)")
    func revealed100() throws {
        var app = try tinkerLab(steps: 14)
        app.handle(key: .character("r"), now: .zero)
        let screen = Fixtures.render(app, width: 100, height: 32)
        #expect(screen.text == """
            ┌─ tinker-lab · rules revealed ────────────────────────────┐┌─ Agent: greedy ──────────────────────┐
            │ rules: rocks sink in water (decoy) · bell opens the      ││ tinker-lab                    seed 1 │
            │ yellow door · plates open nothing (decoy)                ││ trial 1  episode 1/4  step 14/60     │
            │                                                          ││                                      │
            │                                                          ││ action ⟨left, none⟩                  │
            │                                                          ││ scripted: no probabilities           │
            │                                                          ││ task left   play none                │
            │                                                          ││                                      │
            │                 █ █ █ █ █ █ █ █ █ █ █ █                  ││ reward                step   episode │
            │                 █ ★ ≈ · · · █ ♪ · · ▪ █                  ││ task                  0.00      0.00 │
            │                 █ · █ · · · · █ · ○ ▪ █                  ││   delight             0.00      0.00 │
            │                 █ · █ · · · · · · · ▪ █                  ││ fun                   0.00      0.00 │
            │                 █ · ▯ · · · · ◀ · · ▪ █                  ││                                      │
            │                 █ · ≈ ● · · · █ · · ▪ █                  ││ recent: ▇ task  • fun                │
            │                 █ █ █ █ █ █ █ █ █ █ █ █                  ││                                      │
            │                                                          ││                                      │
            │                                                          ││                                      │
            │                                                          ││                                      │
            │                                                          ││                                      │
            │                                                          ││ ••••••••••••••                       │
            │                                                          ││ play ratio 7%  last 50: 7%           │
            └──────────────────────────────────────────────────────────┘│ play by episode: 7% – – –            │
            ┌─ Events ─────────────────────────────────────────────────┐│                                      │
            │ e1 s9   bumped into something                            ││                                      │
            │ e1 s10  discovery: the bell opened the yellow door       ││                                      │
            │                                                          ││                                      │
            │                                                          ││                                      │
            │                                                          ││                                      │
            │                                                          ││                                      │
            │                                                          ││                                      │
            └──────────────────────────────────────────────────────────┘└──────────────────────────────────────┘
             PAUSED  8 steps/s │ space resume  ? help  q quit  r hide rules  . → step  , ← back  t take over
            """)
    }

    @Test("tinker-lab with r at 80x24")
    func revealed80() throws {
        var app = try tinkerLab(steps: 14)
        app.handle(key: .character("r"), now: .zero)
        let screen = Fixtures.render(app, width: 80, height: 24)
        #expect(screen.text == """
            ┌─ tinker-lab · rules revealed ────────────┐┌─ Agent: greedy ──────────────────┐
            │ rules: rocks sink in water (decoy) ·     ││ tinker-lab                seed 1 │
            │ bell opens the yellow door · plates open ││ trial 1  episode 1/4  step 14/60 │
            │ nothing (decoy)                          ││ action ⟨left, none⟩              │
            │                                          ││ scripted: no probabilities       │
            │                                          ││ task left   play none            │
            │         █ █ █ █ █ █ █ █ █ █ █ █          ││ reward            step   episode │
            │         █ ★ ≈ · · · █ ♪ · · ▪ █          ││ task              0.00      0.00 │
            │         █ · █ · · · · █ · ○ ▪ █          ││   delight         0.00      0.00 │
            │         █ · █ · · · · · · · ▪ █          ││ fun               0.00      0.00 │
            │         █ · ▯ · · · · ◀ · · ▪ █          ││ recent: ▇ task  • fun            │
            │         █ · ≈ ● · · · █ · · ▪ █          ││                                  │
            │         █ █ █ █ █ █ █ █ █ █ █ █          ││                                  │
            │                                          ││                                  │
            │                                          ││                                  │
            └──────────────────────────────────────────┘│                                  │
            ┌─ Events ─────────────────────────────────┐│ ••••••••••••••                   │
            │ e1 s9   bumped into something            ││ play ratio 7%  last 50: 7%       │
            │ e1 s10  discovery: the bell opened the   ││ play by episode: 7% – – –        │
            │         yellow door                      ││                                  │
            │                                          ││                                  │
            │                                          ││                                  │
            └──────────────────────────────────────────┘└──────────────────────────────────┘
             PAUSED  8 steps/s │ space resume  ? help  q quit  r hide rules  . → step
            """)
    }

    /// The attributes of every screen cell showing `glyph` inside the map panel.
    func marks(_ screen: Screen, _ glyph: Character, in panel: Rect) -> [Attributes] {
        var found: [Attributes] = []
        for y in panel.y..<panel.maxY {
            for x in panel.x..<panel.maxX where screen[x, y].glyph == Glyph(glyph) { found.append(screen[x, y].attributes) }
        }
        return found
    }

    @Test("r marks what works in reverse video (the bell and the door it opens) and dims the decoys (plates, the rock); r again clears it")
    func revealMarksTheMap() throws {
        var app = try tinkerLab(steps: 14)
        let panel = DashboardLayout(size: Size(width: 100, height: 32)).map
        let before = Fixtures.render(app, width: 100, height: 32)
        app.handle(key: .character("r"), now: .zero)
        #expect(app.overlay == .reveal)
        let shown = Fixtures.render(app, width: 100, height: 32)
        #expect(marks(shown, "♪", in: panel).allSatisfy { $0.contains(.reverse) } && !marks(shown, "♪", in: panel).isEmpty)
        #expect(marks(shown, "▯", in: panel).allSatisfy { $0.contains(.reverse) } && !marks(shown, "▯", in: panel).isEmpty)
        #expect(marks(shown, "▪", in: panel).count == 5 && marks(shown, "▪", in: panel).allSatisfy { $0.contains(.dim) })
        #expect(marks(shown, "●", in: panel).allSatisfy { $0.contains(.dim) })
        #expect(marks(shown, "○", in: panel).allSatisfy { !$0.contains(.reverse) && !$0.contains(.dim) }, "the ball is not a rule's object")
        app.handle(key: .character("r"), now: .zero)
        #expect(app.overlay == nil)
        #expect(Fixtures.render(app, width: 100, height: 32) == before)
    }

    @Test("buried-key with r: the key drawn, selected, on the sand that hides it, and where it is in words (80x24)")
    func buriedKeyRevealed80() throws {
        var app = WatchApp(session: try Fixtures.session("buried-key", agent: GreedyAgent(), seed: 4), mode: .paused)
        app.handle(.toggleOverlay(.reveal), now: .zero)
        let screen = Fixtures.render(app, width: 80, height: 24)
        #expect(screen.text == """
            ┌─ buried-key · rules revealed ────────────┐┌─ Agent: greedy ──────────────────┐
            │ rules: key under sand at 4,1             ││ buried-key                seed 4 │
            │                                          ││ trial 1  episode 1/4  step 0/60  │
            │                                          ││ action none yet                  │
            │                                          ││ reward            step   episode │
            │              █ █ █ █ █ █ █               ││ task              0.00      0.00 │
            │              █ █ · · ⚷ █ █               ││   delight         0.00      0.00 │
            │              █ · █ ░ · · █               ││ fun               0.00      0.00 │
            │              █ · ▶ · · · ▮               ││ recent: ▇ task  • fun            │
            │              █ · █ · · · █               ││                                  │
            │              █ █ · ░ · █ █               ││                                  │
            │              █ █ █ █ █ █ █               ││                                  │
            │                                          ││                                  │
            │                                          ││                                  │
            │                                          ││                                  │
            └──────────────────────────────────────────┘│ play ratio 0%                    │
            ┌─ Events ─────────────────────────────────┐│ play by episode: – – – –         │
            │ nothing yet                              ││                                  │
            │                                          ││                                  │
            │                                          ││                                  │
            │                                          ││                                  │
            │                                          ││                                  │
            └──────────────────────────────────────────┘└──────────────────────────────────┘
             PAUSED  8 steps/s │ space resume  ? help  q quit  r hide rules  . → step
            """)
        let keys = marks(screen, "⚷", in: DashboardLayout(size: Size(width: 80, height: 24)).map)
        #expect(keys.count == 1 && keys[0].contains(.reverse))
    }

    /// Frames of `steps` steps of a session of `scenario`, pushed into a trace as the watch screen does.
    func discoveries(_ scenario: String, agent: any Agent, seed: UInt64, steps: Int) throws -> [(frame: Frame, record: StepRecord)] {
        var session = try Fixtures.session(scenario, agent: agent, seed: seed)
        var trace = Trace(components: 1, mapWidth: 1, mapHeight: 1)
        var out: [(Frame, StepRecord)] = []
        for _ in 0..<steps {
            let frame = try session.step()
            trace.push(frame)
            out.append((frame, trace.last!))
        }
        return out
    }

    @Test("The first time each hidden rule works in a trial is said in words; later times are ordinary events")
    func discoveryWords() throws {
        let cases: [(String, any Agent, [String])] = [
            ("bridge-builder", PlayerAgent(), ["rock made a bridge", "rock sank in the water: no bridge"]),
            ("buried-key", GreedyAgent(), ["key found under sand"]),
            ("signal-doors", GreedyAgent(), ["the bell opened the red door", "the bell opened the green door", "the bell opened the blue door"]),
            ("tinker-lab", GreedyAgent(), ["rock made a bridge", "the bell opened the yellow door", "the ball on the plate opened the yellow door"]),
        ]
        for (name, agent, phrases) in cases {
            let steps = try discoveries(name, agent: agent, seed: 2, steps: 3_000)
            #expect(Set(steps.compactMap(\.record.discovery)) == Set(phrases), "\(name)")
            var seen: [Int: UInt8] = [:]
            for (frame, record) in steps {
                let rules = frame.transition!.events.mechanics
                let first = rules & ~(seen[frame.trial] ?? 0)
                #expect(record.discovered == first, "\(name): trial \(frame.trial) step \(frame.step)")
                #expect((record.discovery != nil) == (first != 0))
                seen[frame.trial, default: 0] |= rules
            }
        }
    }

    @Test("A replay says the same discoveries and play by episode as the live run, after jumps, steps back and a short trace")
    func replayAgreesWithWatch() throws {
        let path = Scratch.path("reveal.tape")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var session = try Fixtures.session("tinker-lab", agent: GreedyAgent(), seed: 6)
        let tape = try TapeWriter(path: path, scenario: session.scenario, origin: "tinker-lab", seed: 6, agent: "greedy", fun: .standard)
        var live = WatchApp(session: session, mode: .paused)
        var records: [StepRecord] = [], byEpisode: [[Double]] = []
        for _ in 0..<400 {
            try tape.append(try session.step())
            live.handle(.stepForward, now: .zero)
            records.append(live.trace.last!)
            byEpisode.append(live.dashboard.playByEpisode)
        }
        try tape.finish()
        #expect(records.contains { $0.discovery != nil } && records.contains { $0.discovered == 0 && $0.events.mechanics != 0 })

        var replay = try ReplayApp(engine: try ReplayEngine(path: path), at: 200, traceDepth: 4)
        func check() {
            let i = replay.position
            #expect(replay.trace.last == records[i], "step \(i)")
            #expect(replay.dashboard.playByEpisode == byEpisode[i], "step \(i)")
        }
        check()
        let keys: [Character] = [".", ".", ",", ",", ",", ",", ",", ",", "]", ",", ",", "}", "}", "{", "[", "[", "."]
        for key in keys {
            replay.handle(key: .character(key), now: .zero)
            check()
        }
        replay.handle(.toggleOverlay(.reveal), now: .zero)
        live.handle(.toggleOverlay(.reveal), now: .zero)
        let liveMap = Fixtures.render(live, width: 100, height: 32).text.split(separator: "\n").prefix(3).map { $0.prefix(60) }
        var replayAtEnd = try ReplayApp(engine: try ReplayEngine(path: path), at: 399)
        replayAtEnd.handle(key: .character("r"), now: .zero)
        #expect(Fixtures.render(replayAtEnd, width: 100, height: 32).text.split(separator: "\n").prefix(3).map { $0.prefix(60) } == liveMap,
                "replay reveals the rules the run had")
    }
}
