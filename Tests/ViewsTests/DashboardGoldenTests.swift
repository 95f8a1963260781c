import Agents
import Engine
import Foundation
import Fun
import Terminal
import Testing
import Views

/// Every panel and mode drawn into a `Screen` and compared as text, at 100x32 and 80x24, with fixed seeds.
///
/// The screen is a pure function of the session, so these pin down exactly what a user sees.
@Suite struct DashboardGoldenTests {
    func liveApp() throws -> WatchApp {
        var app = WatchApp(session: try Fixtures.session("rock-garden"))
        for _ in 0..<30 { app.handle(.stepForward, now: .zero) }
        app.handle(.togglePause, now: .zero)
        return app
    }

    func pausedApp() throws -> WatchApp {
        var app = WatchApp(session: try Fixtures.session("rock-garden", agent: PolicyAgent()), mode: .paused)
        for _ in 0..<12 { app.handle(.stepForward, now: .zero) }
        return app
    }

    /// A person's right, down and 1 (push) in rock-garden; `simultaneous` makes both halves act together, where the
    /// digit waits for the next move.
    func manualApp(simultaneous: Bool = false) throws -> WatchApp {
        let session = simultaneous ? try Fixtures.simultaneousSession("rock-garden", agent: PolicyAgent())
            : try Fixtures.session("rock-garden", agent: PolicyAgent())
        var app = WatchApp(session: session, mode: .manual)
        app.handle(.move(.right), now: .zero)
        app.handle(.move(.down), now: .zero)
        app.handle(.play(1), now: .zero)
        return app
    }

    func helpApp() throws -> WatchApp {
        var app = try liveApp()
        app.handle(.help, now: .zero)
        return app
    }

    func heatApp() throws -> WatchApp {
        var app = try liveApp()
        app.handle(.toggleOverlay(.heatmap), now: .zero)
        return app
    }

    func roomsApp() throws -> WatchApp {
        var app = WatchApp(session: try Fixtures.session("four-rooms", seed: 3), mode: .paused)
        for _ in 0..<25 { app.handle(.stepForward, now: .zero) }
        app.handle(.toggleOverlay(.egocentric), now: .zero)
        return app
    }

    func energyApp() throws -> WatchApp {
        var app = WatchApp(session: try Session(scenario: Fixtures.energyScenario(), agent: PlayerAgent(), funSpec: .standard, seed: 2),
                           mode: .paused)
        for _ in 0..<4 { app.handle(.stepForward, now: .zero) }
        return app
    }

    func asciiApp() throws -> WatchApp {
        var app = WatchApp(session: try Fixtures.session("rock-garden"), mode: .paused)
        for _ in 0..<9 { app.handle(.stepForward, now: .zero) }
        return app
    }

    @Test("the live screen: map, HUD with task and fun, event log, status line (100x32)")
    func screenLive100() throws {
        let screen = Fixtures.render(try liveApp(), width: 100, height: 32, theme: Fixtures.unicode)
        #expect(screen.text == """
            ┌─ rock-garden ────────────────────────────────────────────┐┌─ Agent: player ──────────────────────┐
            │                                                          ││ rock-garden                   seed 1 │
            │                                                          ││ trial 1  episode 1/4  step 30/120    │
            │                                                          ││                                      │
            │                                                          ││ action ⟨right, none⟩                 │
            │                                                          ││ scripted: no probabilities           │
            │                 █ █ █ █ █ █ █ █ █ █ █ █                  ││ task right  play none                │
            │                 █ · · · · · · · · · · █                  ││                                      │
            │                 █ · · · · · · ◌ ░ · · █                  ││ reward                step   episode │
            │                 █ · · · · · · ░ ▶ · ★ █                  ││ task                  0.00      0.00 │
            │                 █ · ● · · · · · · · · █                  ││   delight             0.00     +1.75 │
            │                 █ · · ░ ░ · · · · · · █                  ││ fun                   0.00     +1.75 │
            │                 █ · · ░ ◌ · · · · · · █                  ││                                      │
            │                 █ · · · · · · · ◌ ░ ░ █                  ││ recent: ▇ task  • fun                │
            │                 █ · · ● · · · · · · · █                  ││         •                            │
            │                 █ █ █ █ █ █ █ █ █ █ █ █                  ││                                      │
            │                                                          ││                  •                   │
            │                                                          ││                                      │
            │                                                          ││                         •            │
            │                                                          ││ •••••••• •••••••• •••••• •••••       │
            │                                                          ││ play ratio 33%  last 50: 33%         │
            └──────────────────────────────────────────────────────────┘│                                      │
            ┌─ Events ─────────────────────────────────────────────────┐│                                      │
            │ e1 s14  pushed something                                 ││                                      │
            │ e1 s16  pushed something                                 ││                                      │
            │ e1 s18  pushed a rock into soft ground: +0.50 delight    ││                                      │
            │ e1 s20  bumped into something                            ││                                      │
            │ e1 s21  pushed something                                 ││                                      │
            │ e1 s23  pushed something                                 ││                                      │
            │ e1 s25  pushed a rock into soft ground: +0.25 delight    ││                                      │
            └──────────────────────────────────────────────────────────┘└──────────────────────────────────────┘
             LIVE  8 steps/s │ space pause  ? help  q quit  +/- speed  t take over  h f v overlays
            """)
    }

    @Test("the live screen at 80x24")
    func screenLive80() throws {
        let screen = Fixtures.render(try liveApp(), width: 80, height: 24, theme: Fixtures.unicode)
        #expect(screen.text == """
            ┌─ rock-garden ────────────────────────────┐┌─ Agent: player ──────────────────┐
            │                                          ││ rock-garden               seed 1 │
            │                                          ││ trial 1 ep 1/4 step 30/120       │
            │         █ █ █ █ █ █ █ █ █ █ █ █          ││ action ⟨right, none⟩             │
            │         █ · · · · · · · · · · █          ││ scripted: no probabilities       │
            │         █ · · · · · · ◌ ░ · · █          ││ task right  play none            │
            │         █ · · · · · · ░ ▶ · ★ █          ││ reward            step   episode │
            │         █ · ● · · · · · · · · █          ││ task              0.00      0.00 │
            │         █ · · ░ ░ · · · · · · █          ││   delight         0.00     +1.75 │
            │         █ · · ░ ◌ · · · · · · █          ││ fun               0.00     +1.75 │
            │         █ · · · · · · · ◌ ░ ░ █          ││ recent: ▇ task  • fun            │
            │         █ · · ● · · · · · · · █          ││         •                        │
            │         █ █ █ █ █ █ █ █ █ █ █ █          ││                                  │
            │                                          ││                  •               │
            │                                          ││                                  │
            └──────────────────────────────────────────┘│                         •        │
            ┌─ Events ─────────────────────────────────┐│ •••••••• •••••••• •••••• •••••   │
            │ e1 s20  bumped into something            ││ play ratio 33%  last 50: 33%     │
            │ e1 s21  pushed something                 ││                                  │
            │ e1 s23  pushed something                 ││                                  │
            │ e1 s25  pushed a rock into soft ground:  ││                                  │
            │         +0.25 delight                    ││                                  │
            └──────────────────────────────────────────┘└──────────────────────────────────┘
             LIVE  8 steps/s │ space pause  ? help  q quit  +/- speed  t take over
            """)
    }

    @Test("paused with a policy agent: both heads' probability bars and the value (100x32)")
    func screenPaused100() throws {
        let screen = Fixtures.render(try pausedApp(), width: 100, height: 32, theme: Fixtures.unicode)
        #expect(screen.text == """
            ┌─ rock-garden ────────────────────────────────────────────┐┌─ Agent: policy ──────────────────────┐
            │                                                          ││ rock-garden                   seed 1 │
            │                                                          ││ trial 1  episode 1/4  step 12/120    │
            │                                                          ││                                      │
            │                                                          ││ action ⟨right, none⟩                 │
            │                                                          ││ value +0.36                          │
            │                 █ █ █ █ █ █ █ █ █ █ █ █                  ││ task head         play head          │
            │                 █ · · · · · · · · · · █                  ││ stay  ▋····· .10  none  ██▍··· .40   │
            │                 █ · · · · · · ◌ ▶ · · █                  ││ up    ▋····· .10  push  ▋····· .10   │
            │                 █ · · · · · · ░ ░ · ★ █                  ││ down  ▋····· .10  kick  ▋····· .10   │
            │                 █ · ● · · · · · ● · · █                  ││ left  ▋····· .10  ring  ▋····· .10   │
            │                 █ · · ░ ░ · · · · · · █                  ││ right ███··· .50  dig   ▋····· .10   │
            │                 █ · · ░ ░ · · ● · · · █                  ││ use   ▋····· .10  build ▋····· .10   │
            │                 █ · · · · · · · ░ ░ ░ █                  ││                   spin  ▋····· .10   │
            │                 █ · · ● · · · · · · · █                  ││                                      │
            │                 █ █ █ █ █ █ █ █ █ █ █ █                  ││ reward                step   episode │
            │                                                          ││ task                  0.00      0.00 │
            │                                                          ││   delight             0.00     +1.00 │
            │                                                          ││ fun                   0.00     +1.00 │
            │                                                          ││                                      │
            │                                                          ││ recent: ▇ task  • fun                │
            └──────────────────────────────────────────────────────────┘│         •                            │
            ┌─ Events ─────────────────────────────────────────────────┐│                                      │
            │ e1 s3   pushed something                                 ││                                      │
            │ e1 s5   pushed something                                 ││                                      │
            │ e1 s7   pushed something                                 ││                                      │
            │ e1 s9   pushed a rock into soft ground: +1.00 delight    ││ •••••••• •••                         │
            │                                                          ││ play ratio 33%  last 50: 33%         │
            │                                                          ││                                      │
            │                                                          ││                                      │
            └──────────────────────────────────────────────────────────┘└──────────────────────────────────────┘
             PAUSED  8 steps/s │ space resume  ? help  q quit  . → step  , ← back  t take over
            """)
    }

    @Test("the tabular q agent, which has values and no probabilities, is not called scripted, watching or driving")
    func valueLearnerIsNotScripted() throws {
        let agent = QAgent(funWeight: 1)
        var app = WatchApp(session: try Fixtures.session("rock-garden", agent: agent), mode: .paused)
        app.handle(.stepForward, now: .zero)
        #expect(Fixtures.render(app, width: 80, height: 24).text.contains("│ by value: no probabilities"))
        app.handle(.takeOver, now: .zero)
        #expect(Fixtures.render(app, width: 80, height: 24).text.contains("│ agent by value: no probabilities │"))
    }

    @Test("in a new trial the event log puts the trial's name under what happened in the one before")
    func logNamesTheTrial() throws {
        var app = WatchApp(session: try Fixtures.session("rock-garden"), mode: .paused)
        while app.frame.trial == 0 { app.handle(.stepForward, now: .zero) }
        let log = Fixtures.render(app, width: 100, height: 32).text.split(separator: "\n").suffix(9).map(String.init)
        let trialLine = try #require(log.firstIndex { $0.hasPrefix("│ trial 2 ") })
        #expect(log[..<trialLine].last { $0.hasPrefix("│ e") }?.hasPrefix("│ e4 s") == true, "the previous trial's last episode above it")
    }

    @Test("the event log keeps a space between a long episode and step ('e10 s100') and what happened")
    func longLogLabel() throws {
        var app = WatchApp(session: try Fixtures.session("room-9", agent: RandomAgent()), mode: .paused)
        while !(app.frame.episode >= 9 && app.frame.step == 100) && app.stepsTaken < 5_000 { app.handle(.stepForward, now: .zero) }
        let label = "e\(app.frame.episode + 1) s100 "
        #expect(app.frame.step == 100)
        #expect(Fixtures.render(app, width: 100, height: 32).text.contains("│ \(label)"))
    }

    @Test("the event log leaves out rewards that read 0.00, and steps with nothing else to say (80x24)")
    func logLeavesOutZeroRewards() throws {
        // Novelty at this weight never reads above 0.00; random play gives events to list beside it.
        let session = try Session(scenario: try Fixtures.scenario("rock-garden"), agent: RandomAgent(),
                                  funSpec: try FunSpec(parsing: "delight=1,novelty=0.001"), seed: 1)
        var app = WatchApp(session: session, mode: .paused)
        for _ in 0..<40 { app.handle(.stepForward, now: .zero) }
        let log = Fixtures.render(app, width: 80, height: 24).text.split(separator: "\n").dropLast().suffix(6)
        #expect(log.contains { $0.hasPrefix("│ e") }, "something is listed")
        for line in log {
            #expect(!line.contains("0.00") && !line.contains(":  "), "\(line)")
            #expect(line.range(of: #"^│ e\d+ s\d+ +│"#, options: .regularExpression) == nil, "a label with nothing after it: \(line)")
        }
    }

    @Test("a long scenario name and a long seed share the HUD's first line with a space between them (80x24)")
    func longNameAndSeed() throws {
        let app = WatchApp(session: try Fixtures.session("bridge-builder-fixed", seed: 123_456_789_012), mode: .paused)
        #expect(Fixtures.render(app, width: 80, height: 24).text.contains("│ bridge-builder seed 123456789012 │"))
    }

    @Test("at 80x24 an episodic-control agent's memory line keeps the nearest distance whole, the size shortened")
    func memoryLineFits80() throws {
        var app = WatchApp(session: try Fixtures.session("rock-garden", agent: AnnotatedPolicyAgent.remembering), mode: .paused)
        for _ in 0..<12 { app.handle(.stepForward, now: .zero) }
        #expect(Fixtures.render(app, width: 80, height: 24).text.contains("│ memory 1k  nearest 0.37          │"))
    }

    @Test("paused with an episodic-control agent: the memories' size, the nearest situation and each task action's value (100x32)")
    func screenMemory100() throws {
        var app = WatchApp(session: try Fixtures.session("rock-garden", agent: AnnotatedPolicyAgent.remembering), mode: .paused)
        for _ in 0..<12 { app.handle(.stepForward, now: .zero) }
        let screen = Fixtures.render(app, width: 100, height: 32, theme: Fixtures.unicode)
        #expect(screen.text == """
            ┌─ rock-garden ────────────────────────────────────────────┐┌─ Agent: mfec ────────────────────────┐
            │                                                          ││ rock-garden                   seed 1 │
            │                                                          ││ trial 1  episode 1/4  step 12/120    │
            │                                                          ││                                      │
            │                                                          ││ action ⟨right, none⟩                 │
            │                                                          ││ value +0.36                          │
            │                 █ █ █ █ █ █ █ █ █ █ █ █                  ││ memory 1245 situations  nearest 0.37 │
            │                 █ · · · · · · · · · · █                  ││ task value by action                 │
            │                 █ · · · · · · ◌ ▶ · · █                  ││ stay  ████▌··················  +0.12 │
            │                 █ · · · · · · ░ ░ · ★ █                  ││ up    ██████████████▉········  +0.40 │
            │                 █ · ● · · · · · ● · · █                  ││ down  ·······················  -0.05 │
            │                 █ · · ░ ░ · · · · · · █                  ││ left  ███████████▌···········  +0.31 │
            │                 █ · · ░ ░ · · ● · · · █                  ││ right ███████████████████████  +0.62 │
            │                 █ · · · · · · · ░ ░ ░ █                  ││ use   ·······················   0.00 │
            │                 █ · · ● · · · · · · · █                  ││                                      │
            │                 █ █ █ █ █ █ █ █ █ █ █ █                  ││                                      │
            │                                                          ││ reward                step   episode │
            │                                                          ││ task                  0.00      0.00 │
            │                                                          ││   delight             0.00     +1.00 │
            │                                                          ││ fun                   0.00     +1.00 │
            │                                                          ││                                      │
            └──────────────────────────────────────────────────────────┘│ recent: ▇ task  • fun                │
            ┌─ Events ─────────────────────────────────────────────────┐│         •                            │
            │ e1 s3   pushed something                                 ││                                      │
            │ e1 s5   pushed something                                 ││                                      │
            │ e1 s7   pushed something                                 ││                                      │
            │ e1 s9   pushed a rock into soft ground: +1.00 delight    ││                                      │
            │                                                          ││ •••••••• •••                         │
            │                                                          ││ play ratio 33%  last 50: 33%         │
            │                                                          ││                                      │
            └──────────────────────────────────────────────────────────┘└──────────────────────────────────────┘
             PAUSED  8 steps/s │ space resume  ? help  q quit  . → step  , ← back  t take over
            """)
    }

    @Test("paused with a recall agent: the recalled memory's similarity and the reinstatement gate under the heads (100x32)")
    func screenRecall100() throws {
        var app = WatchApp(session: try Fixtures.session("rock-garden", agent: AnnotatedPolicyAgent.recall), mode: .paused)
        for _ in 0..<12 { app.handle(.stepForward, now: .zero) }
        let screen = Fixtures.render(app, width: 100, height: 32, theme: Fixtures.unicode)
        #expect(screen.text == """
            ┌─ rock-garden ────────────────────────────────────────────┐┌─ Agent: recall ──────────────────────┐
            │                                                          ││ rock-garden                   seed 1 │
            │                                                          ││ trial 1  episode 1/4  step 12/120    │
            │                                                          ││                                      │
            │                                                          ││ action ⟨right, none⟩                 │
            │                                                          ││ value +0.36                          │
            │                 █ █ █ █ █ █ █ █ █ █ █ █                  ││ task head         play head          │
            │                 █ · · · · · · · · · · █                  ││ stay  ▋····· .10  none  ██▍··· .40   │
            │                 █ · · · · · · ◌ ▶ · · █                  ││ up    ▋····· .10  push  ▋····· .10   │
            │                 █ · · · · · · ░ ░ · ★ █                  ││ down  ▋····· .10  kick  ▋····· .10   │
            │                 █ · ● · · · · · ● · · █                  ││ left  ▋····· .10  ring  ▋····· .10   │
            │                 █ · · ░ ░ · · · · · · █                  ││ right ███··· .50  dig   ▋····· .10   │
            │                 █ · · ░ ░ · · ● · · · █                  ││ use   ▋····· .10  build ▋····· .10   │
            │                 █ · · · · · · · ░ ░ ░ █                  ││                   spin  ▋····· .10   │
            │                 █ · · ● · · · · · · · █                  ││ recall similarity 0.97               │
            │                 █ █ █ █ █ █ █ █ █ █ █ █                  ││ gate   ████████████▋··········· 0.52 │
            │                                                          ││                                      │
            │                                                          ││ reward                step   episode │
            │                                                          ││ task                  0.00      0.00 │
            │                                                          ││   delight             0.00     +1.00 │
            │                                                          ││ fun                   0.00     +1.00 │
            └──────────────────────────────────────────────────────────┘│                                      │
            ┌─ Events ─────────────────────────────────────────────────┐│ recent: ▇ task  • fun                │
            │ e1 s3   pushed something                                 ││         •                            │
            │ e1 s5   pushed something                                 ││                                      │
            │ e1 s7   pushed something                                 ││                                      │
            │ e1 s9   pushed a rock into soft ground: +1.00 delight    ││                                      │
            │                                                          ││                                      │
            │                                                          ││ •••••••• •••                         │
            │                                                          ││ play ratio 33%  last 50: 33%         │
            └──────────────────────────────────────────────────────────┘└──────────────────────────────────────┘
             PAUSED  8 steps/s │ space resume  ? help  q quit  . → step  , ← back  t take over
            """)
    }

    @Test("paused with a skill agent: the skill given, the skill its discriminator judges the place to be, and that place's skill reward (80x24)")
    func screenSkill80() throws {
        var app = WatchApp(session: try Fixtures.session("rock-garden", agent: AnnotatedPolicyAgent.skilled), mode: .paused)
        for _ in 0..<12 { app.handle(.stepForward, now: .zero) }
        let screen = Fixtures.render(app, width: 80, height: 24, theme: Fixtures.unicode)
        #expect(screen.text == """
            ┌─ rock-garden ────────────────────────────┐┌─ Agent: skills-8 (skill 5) ──────┐
            │                                          ││ rock-garden               seed 1 │
            │                                          ││ trial 1 ep 1/4 step 12/120       │
            │         █ █ █ █ █ █ █ █ █ █ █ █          ││ action ⟨right, none⟩             │
            │         █ · · · · · · · · · · █          ││ value +0.36                      │
            │         █ · · · · · · ◌ ▶ · · █          ││ task head       play head        │
            │         █ · · · · · · ░ ░ · ★ █          ││ stay  ▍··· .10  none  █▋·· .40   │
            │         █ · ● · · · · · ● · · █          ││ up    ▍··· .10  push  ▍··· .10   │
            │         █ · · ░ ░ · · · · · · █          ││ down  ▍··· .10  kick  ▍··· .10   │
            │         █ · · ░ ░ · · ● · · · █          ││ left  ▍··· .10  ring  ▍··· .10   │
            │         █ · · · · · · · ░ ░ ░ █          ││ right ██·· .50  dig   ▍··· .10   │
            │         █ · · ● · · · · · · · █          ││ use   ▍··· .10  build ▍··· .10   │
            │         █ █ █ █ █ █ █ █ █ █ █ █          ││                 spin  ▍··· .10   │
            │                                          ││ skill 5  judged 5  reward +1.97  │
            │                                          ││ reward            step   episode │
            └──────────────────────────────────────────┘│ task              0.00      0.00 │
            ┌─ Events ─────────────────────────────────┐│   delight         0.00     +1.00 │
            │ e1 s3   pushed something                 ││ fun               0.00     +1.00 │
            │ e1 s5   pushed something                 ││ recent: ▇ task  • fun            │
            │ e1 s7   pushed something                 ││         •                        │
            │ e1 s9   pushed a rock into soft ground:  ││ •••••••• •••                     │
            │         +1.00 delight                    ││ play ratio 33%  last 50: 33%     │
            └──────────────────────────────────────────┘└──────────────────────────────────┘
             PAUSED  8 steps/s │ space resume  ? help  q quit  . → step  , ← back
            """)
        // A step on, the place is taken for another skill's: that skill is drawn in the warning colour.
        app.handle(.stepForward, now: .zero)
        let strayed = Fixtures.render(app, width: 80, height: 24, theme: Fixtures.unicode)
        let row = strayed.text.split(separator: "\n", omittingEmptySubsequences: false)[13]
        let judged = try #require(row.range(of: "judged 3"))
        let x = row.distance(from: row.startIndex, to: judged.upperBound) - 1
        #expect(row.contains("reward -1.25"))
        #expect(strayed[x, 13].foreground == Fixtures.unicode.style("warning").foreground)
        #expect(screen[x, 13].foreground == Fixtures.unicode.style("text").foreground)
    }

    @Test("paused with a policy agent at 80x24")
    func screenPaused80() throws {
        let screen = Fixtures.render(try pausedApp(), width: 80, height: 24, theme: Fixtures.unicode)
        #expect(screen.text == """
            ┌─ rock-garden ────────────────────────────┐┌─ Agent: policy ──────────────────┐
            │                                          ││ rock-garden               seed 1 │
            │                                          ││ trial 1 ep 1/4 step 12/120       │
            │         █ █ █ █ █ █ █ █ █ █ █ █          ││ action ⟨right, none⟩             │
            │         █ · · · · · · · · · · █          ││ value +0.36                      │
            │         █ · · · · · · ◌ ▶ · · █          ││ task head       play head        │
            │         █ · · · · · · ░ ░ · ★ █          ││ stay  ▍··· .10  none  █▋·· .40   │
            │         █ · ● · · · · · ● · · █          ││ up    ▍··· .10  push  ▍··· .10   │
            │         █ · · ░ ░ · · · · · · █          ││ down  ▍··· .10  kick  ▍··· .10   │
            │         █ · · ░ ░ · · ● · · · █          ││ left  ▍··· .10  ring  ▍··· .10   │
            │         █ · · · · · · · ░ ░ ░ █          ││ right ██·· .50  dig   ▍··· .10   │
            │         █ · · ● · · · · · · · █          ││ use   ▍··· .10  build ▍··· .10   │
            │         █ █ █ █ █ █ █ █ █ █ █ █          ││                 spin  ▍··· .10   │
            │                                          ││ reward            step   episode │
            │                                          ││ task              0.00      0.00 │
            └──────────────────────────────────────────┘│   delight         0.00     +1.00 │
            ┌─ Events ─────────────────────────────────┐│ fun               0.00     +1.00 │
            │ e1 s3   pushed something                 ││ recent: ▇ task  • fun            │
            │ e1 s5   pushed something                 ││         •                        │
            │ e1 s7   pushed something                 ││                                  │
            │ e1 s9   pushed a rock into soft ground:  ││ •••••••• •••                     │
            │         +1.00 delight                    ││ play ratio 33%  last 50: 33%     │
            └──────────────────────────────────────────┘└──────────────────────────────────┘
             PAUSED  8 steps/s │ space resume  ? help  q quit  . → step  , ← back
            """)
    }

    @Test("manual play: a digit plays at once under exclusive coupling; the play keys, the agent's suggestion (100x32)")
    func screenManual100() throws {
        let screen = Fixtures.render(try manualApp(), width: 100, height: 32, theme: Fixtures.unicode)
        #expect(screen.text == """
            ┌─ rock-garden ────────────────────────────────────────────┐┌─ You drive ──────────────────────────┐
            │                                                          ││ rock-garden                   seed 1 │
            │                                                          ││ trial 1  episode 1/4  step 3/120     │
            │                                                          ││                                      │
            │                                                          ││ play keys: 1 push 2 kick 4 dig       │
            │                                                          ││ 5 build 6 spin                       │
            │                 █ █ █ █ █ █ █ █ █ █ █ █                  ││ agent would ⟨right, none⟩            │
            │                 █ · · · · · · · · · · █                  ││ value +0.28                          │
            │                 █ · ▼ ● · · · ░ ░ · · █                  ││ task head         play head          │
            │                 █ · · · · · · ░ ░ · ★ █                  ││ stay  ▋····· .10  none  ██▍··· .40   │
            │                 █ · ● · · · · · ● · · █                  ││ up    ▋····· .10  push  ▋····· .10   │
            │                 █ · · ░ ░ · · · · · · █                  ││ down  ▋····· .10  kick  ▋····· .10   │
            │                 █ · · ░ ░ · · ● · · · █                  ││ left  ▋····· .10  ring  ▋····· .10   │
            │                 █ · · · · · · · ░ ░ ░ █                  ││ right ███··· .50  dig   ▋····· .10   │
            │                 █ · · ● · · · · · · · █                  ││ use   ▋····· .10  build ▋····· .10   │
            │                 █ █ █ █ █ █ █ █ █ █ █ █                  ││                   spin  ▋····· .10   │
            │                                                          ││                                      │
            │                                                          ││ reward                step   episode │
            │                                                          ││ task                  0.00      0.00 │
            │                                                          ││   delight             0.00      0.00 │
            │                                                          ││ fun                   0.00      0.00 │
            └──────────────────────────────────────────────────────────┘│                                      │
            ┌─ Events ─────────────────────────────────────────────────┐│ recent: ▇ task  • fun                │
            │ e1 s3   you: played at nothing                           ││                                      │
            │                                                          ││                                      │
            │                                                          ││                                      │
            │                                                          ││                                      │
            │                                                          ││                                      │
            │                                                          ││ •••                                  │
            │                                                          ││ play ratio 33%  last 50: 33%         │
            └──────────────────────────────────────────────────────────┘└──────────────────────────────────────┘
             MANUAL  │ ? help  q quit  ↑↓←→ wasd move  e use  1-6 play now  . wait  , undo  t hand back
            """)
    }

    @Test("manual play at 80x24")
    func screenManual80() throws {
        let screen = Fixtures.render(try manualApp(), width: 80, height: 24, theme: Fixtures.unicode)
        #expect(screen.text == """
            ┌─ rock-garden ────────────────────────────┐┌─ You drive ──────────────────────┐
            │                                          ││ rock-garden               seed 1 │
            │                                          ││ trial 1  episode 1/4  step 3/120 │
            │         █ █ █ █ █ █ █ █ █ █ █ █          ││ play keys: 1 push 2 kick 4 dig   │
            │         █ · · · · · · · · · · █          ││ 5 build 6 spin                   │
            │         █ · ▼ ● · · · ░ ░ · · █          ││ agent would ⟨right, none⟩        │
            │         █ · · · · · · ░ ░ · ★ █          ││ value +0.28                      │
            │         █ · ● · · · · · ● · · █          ││ task head       play head        │
            │         █ · · ░ ░ · · · · · · █          ││ stay  ▍··· .10  none  █▋·· .40   │
            │         █ · · ░ ░ · · ● · · · █          ││ up    ▍··· .10  push  ▍··· .10   │
            │         █ · · · · · · · ░ ░ ░ █          ││ down  ▍··· .10  kick  ▍··· .10   │
            │         █ · · ● · · · · · · · █          ││ left  ▍··· .10  ring  ▍··· .10   │
            │         █ █ █ █ █ █ █ █ █ █ █ █          ││ right ██·· .50  dig   ▍··· .10   │
            │                                          ││ use   ▍··· .10  build ▍··· .10   │
            │                                          ││                 spin  ▍··· .10   │
            └──────────────────────────────────────────┘│ reward            step   episode │
            ┌─ Events ─────────────────────────────────┐│ task              0.00      0.00 │
            │ e1 s3   you: played at nothing           ││   delight         0.00      0.00 │
            │                                          ││ fun               0.00      0.00 │
            │                                          ││ recent: ▇ task  • fun            │
            │                                          ││ •••                              │
            │                                          ││ play ratio 33%  last 50: 33%     │
            └──────────────────────────────────────────┘└──────────────────────────────────┘
             MANUAL  │ ? help  q quit  ↑↓←→ wasd move  e use  1-6 play now  . wait  , undo
            """)
    }

    @Test("manual play under simultaneous coupling: the chosen play half waits for the next move (100x32)")
    func screenManualSimultaneous100() throws {
        let screen = Fixtures.render(try manualApp(simultaneous: true), width: 100, height: 32, theme: Fixtures.unicode)
        #expect(screen.text == """
            ┌─ rock-garden ────────────────────────────────────────────┐┌─ You drive ──────────────────────────┐
            │                                                          ││ rock-garden                   seed 1 │
            │                                                          ││ trial 1  episode 1/4  step 2/120     │
            │                                                          ││                                      │
            │                                                          ││ next ⟨move/use/wait, push⟩           │
            │                                                          ││ play keys: 1 push 2 kick 4 dig       │
            │                 █ █ █ █ █ █ █ █ █ █ █ █                  ││ 5 build 6 spin                       │
            │                 █ · · · · · · · · · · █                  ││ agent would ⟨right, none⟩            │
            │                 █ · ▼ ● · · · ░ ░ · · █                  ││ value +0.27  energy 10/10            │
            │                 █ · · · · · · ░ ░ · ★ █                  ││ ████████████████████████████████████ │
            │                 █ · ● · · · · · ● · · █                  ││ task head         play head          │
            │                 █ · · ░ ░ · · · · · · █                  ││ stay  ▋····· .10  none  ██▍··· .40   │
            │                 █ · · ░ ░ · · ● · · · █                  ││ up    ▋····· .10  push  ▋····· .10   │
            │                 █ · · · · · · · ░ ░ ░ █                  ││ down  ▋····· .10  kick  ▋····· .10   │
            │                 █ · · ● · · · · · · · █                  ││ left  ▋····· .10  ring  ▋····· .10   │
            │                 █ █ █ █ █ █ █ █ █ █ █ █                  ││ right ███··· .50  dig   ▋····· .10   │
            │                                                          ││ use   ▋····· .10  build ▋····· .10   │
            │                                                          ││                   spin  ▋····· .10   │
            │                                                          ││                                      │
            │                                                          ││ reward                step   episode │
            │                                                          ││ task                  0.00      0.00 │
            └──────────────────────────────────────────────────────────┘│   delight             0.00      0.00 │
            ┌─ Events ─────────────────────────────────────────────────┐│ fun                   0.00      0.00 │
            │ only moves so far                                        ││                                      │
            │                                                          ││ recent: ▇ task  • fun                │
            │                                                          ││                                      │
            │                                                          ││                                      │
            │                                                          ││                                      │
            │                                                          ││ ••                                   │
            │                                                          ││ play ratio 0%  last 50: 0%           │
            └──────────────────────────────────────────────────────────┘└──────────────────────────────────────┘
             MANUAL  │ ? help  q quit  ↑↓←→ wasd move  e use  0-6 play half  . wait  , undo  t hand back
            """)
    }

    @Test("help lists the watch keys over the screen (100x32)")
    func screenHelp100() throws {
        let screen = Fixtures.render(try helpApp(), width: 100, height: 32, theme: Fixtures.unicode)
        #expect(screen.text == """
            ┌─ rock-garden ────────────────────────────────────────────┐┌─ Agent: player ──────────────────────┐
            │                                                          ││ rock-garden                   seed 1 │
            │                                                          ││ trial 1  episode 1/4  step 30/120    │
            │                                                          ││                                      │
            │                                                          ││ action ⟨right, none⟩                 │
            │                                                          ││ scripted: no probabilities           │
            │                 █ █ █ █ █ █ █ ┌─ Keys: watch ───────────────────┐right  play none                │
            │                 █ · · · · · · │ space  pause / resume           │                                │
            │                 █ · · · · · · │ . →    step forward             │d                step   episode │
            │                 █ · · · · · · │ , ←    step back                │                 0.00      0.00 │
            │                 █ · ● · · · · │ +      faster                   │ight             0.00     +1.75 │
            │                 █ · · ░ ░ · · │ -      slower                   │                 0.00     +1.75 │
            │                 █ · · ░ ◌ · · │ t      take over from the agent │                                │
            │                 █ · · · · · · │ ]      end of this episode      │t: ▇ task  • fun                │
            │                 █ · · ● · · · │ [      start of this episode    │   •                            │
            │                 █ █ █ █ █ █ █ │ }      next event               │                                │
            │                               │ {      previous event           │            •                   │
            │                               │ h      visit heat map           │                                │
            │                               │ f      fun map                  │                   •            │
            │                               │ v      agent's-eye view         │••• •••••••• •••••• •••••       │
            │                               │ r      reveal the hidden rules  │ratio 33%  last 50: 33%         │
            └───────────────────────────────│ ?      help (this list)         │                                │
            ┌─ Events ──────────────────────│ esc    close help               │                                │
            │ e1 s14  pushed something      │ q      quit                     │                                │
            │ e1 s16  pushed something      │     press ? or esc to close     │                                │
            │ e1 s18  pushed a rock into sof└─────────────────────────────────┘                                │
            │ e1 s20  bumped into something                            ││                                      │
            │ e1 s21  pushed something                                 ││                                      │
            │ e1 s23  pushed something                                 ││                                      │
            │ e1 s25  pushed a rock into soft ground: +0.25 delight    ││                                      │
            └──────────────────────────────────────────────────────────┘└──────────────────────────────────────┘
             LIVE  8 steps/s │ space pause  ? help  q quit  +/- speed  t take over  h f v overlays
            """)
    }

    @Test("help at 80x24")
    func screenHelp80() throws {
        let screen = Fixtures.render(try helpApp(), width: 80, height: 24, theme: Fixtures.unicode)
        #expect(screen.text == """
            ┌─ rock-garden ────────────────────────────┐┌─ Agent: player ──────────────────┐
            │                                          ││ rock-garden               seed 1 │
            │                     ┌─ Keys: watch ───────────────────┐1/4 step 30/120       │
            │         █ █ █ █ █ █ │ space  pause / resume           │ht, none⟩             │
            │         █ · · · · · │ . →    step forward             │o probabilities       │
            │         █ · · · · · │ , ←    step back                │ play none            │
            │         █ · · · · · │ +      faster                   │       step   episode │
            │         █ · ● · · · │ -      slower                   │       0.00      0.00 │
            │         █ · · ░ ░ · │ t      take over from the agent │       0.00     +1.75 │
            │         █ · · ░ ◌ · │ ]      end of this episode      │       0.00     +1.75 │
            │         █ · · · · · │ [      start of this episode    │ask  • fun            │
            │         █ · · ● · · │ }      next event               │                      │
            │         █ █ █ █ █ █ │ {      previous event           │                      │
            │                     │ h      visit heat map           │      •               │
            │                     │ f      fun map                  │                      │
            └─────────────────────│ v      agent's-eye view         │             •        │
            ┌─ Events ────────────│ r      reveal the hidden rules  │•••••• •••••• •••••   │
            │ e1 s20  bumped into │ ?      help (this list)         │33%  last 50: 33%     │
            │ e1 s21  pushed somet│ esc    close help               │                      │
            │ e1 s23  pushed somet│ q      quit                     │                      │
            │ e1 s25  pushed a roc│     press ? or esc to close     │                      │
            │         +0.25 deligh└─────────────────────────────────┘                      │
            └──────────────────────────────────────────┘└──────────────────────────────────┘
             LIVE  8 steps/s │ space pause  ? help  q quit  +/- speed  t take over
            """)
    }

    @Test("the visit heat map overlay names itself in the map title (100x32)")
    func screenHeat100() throws {
        let screen = Fixtures.render(try heatApp(), width: 100, height: 32, theme: Fixtures.unicode)
        #expect(screen.text == """
            ┌─ rock-garden · visits this trial ────────────────────────┐┌─ Agent: player ──────────────────────┐
            │                                                          ││ rock-garden                   seed 1 │
            │                                                          ││ trial 1  episode 1/4  step 30/120    │
            │                                                          ││                                      │
            │                                                          ││ action ⟨right, none⟩                 │
            │                                                          ││ scripted: no probabilities           │
            │                 █ █ █ █ █ █ █ █ █ █ █ █                  ││ task right  play none                │
            │                 █ · · · · · · · · · · █                  ││                                      │
            │                 █ · · · · · · ◌ ░ · · █                  ││ reward                step   episode │
            │                 █ · · · · · · ░ ▶ · ★ █                  ││ task                  0.00      0.00 │
            │                 █ · ● · · · · · · · · █                  ││   delight             0.00     +1.75 │
            │                 █ · · ░ ░ · · · · · · █                  ││ fun                   0.00     +1.75 │
            │                 █ · · ░ ◌ · · · · · · █                  ││                                      │
            │                 █ · · · · · · · ◌ ░ ░ █                  ││ recent: ▇ task  • fun                │
            │                 █ · · ● · · · · · · · █                  ││         •                            │
            │                 █ █ █ █ █ █ █ █ █ █ █ █                  ││                                      │
            │                                                          ││                  •                   │
            │                                                          ││                                      │
            │                                                          ││                         •            │
            │                                                          ││ •••••••• •••••••• •••••• •••••       │
            │                                                          ││ play ratio 33%  last 50: 33%         │
            └──────────────────────────────────────────────────────────┘│                                      │
            ┌─ Events ─────────────────────────────────────────────────┐│                                      │
            │ e1 s14  pushed something                                 ││                                      │
            │ e1 s16  pushed something                                 ││                                      │
            │ e1 s18  pushed a rock into soft ground: +0.50 delight    ││                                      │
            │ e1 s20  bumped into something                            ││                                      │
            │ e1 s21  pushed something                                 ││                                      │
            │ e1 s23  pushed something                                 ││                                      │
            │ e1 s25  pushed a rock into soft ground: +0.25 delight    ││                                      │
            └──────────────────────────────────────────────────────────┘└──────────────────────────────────────┘
             LIVE  8 steps/s │ space pause  ? help  q quit  +/- speed  t take over  h f v overlays
            """)
    }

    @Test("the heat map overlay at 80x24")
    func screenHeat80() throws {
        let screen = Fixtures.render(try heatApp(), width: 80, height: 24, theme: Fixtures.unicode)
        #expect(screen.text == """
            ┌─ rock-garden · visits this trial ────────┐┌─ Agent: player ──────────────────┐
            │                                          ││ rock-garden               seed 1 │
            │                                          ││ trial 1 ep 1/4 step 30/120       │
            │         █ █ █ █ █ █ █ █ █ █ █ █          ││ action ⟨right, none⟩             │
            │         █ · · · · · · · · · · █          ││ scripted: no probabilities       │
            │         █ · · · · · · ◌ ░ · · █          ││ task right  play none            │
            │         █ · · · · · · ░ ▶ · ★ █          ││ reward            step   episode │
            │         █ · ● · · · · · · · · █          ││ task              0.00      0.00 │
            │         █ · · ░ ░ · · · · · · █          ││   delight         0.00     +1.75 │
            │         █ · · ░ ◌ · · · · · · █          ││ fun               0.00     +1.75 │
            │         █ · · · · · · · ◌ ░ ░ █          ││ recent: ▇ task  • fun            │
            │         █ · · ● · · · · · · · █          ││         •                        │
            │         █ █ █ █ █ █ █ █ █ █ █ █          ││                                  │
            │                                          ││                  •               │
            │                                          ││                                  │
            └──────────────────────────────────────────┘│                         •        │
            ┌─ Events ─────────────────────────────────┐│ •••••••• •••••••• •••••• •••••   │
            │ e1 s20  bumped into something            ││ play ratio 33%  last 50: 33%     │
            │ e1 s21  pushed something                 ││                                  │
            │ e1 s23  pushed something                 ││                                  │
            │ e1 s25  pushed a rock into soft ground:  ││                                  │
            │         +0.25 delight                    ││                                  │
            └──────────────────────────────────────────┘└──────────────────────────────────┘
             LIVE  8 steps/s │ space pause  ? help  q quit  +/- speed  t take over
            """)
    }

    @Test("a 19x19 map fits at 100x32 with the agent's-view overlay")
    func screenRooms100() throws {
        let screen = Fixtures.render(try roomsApp(), width: 100, height: 32, theme: Fixtures.unicode)
        #expect(screen.text == """
            ┌─ four-rooms · agent's view ──────────────────────────────┐┌─ Agent: player ──────────────────────┐
            │          █ █ █ █ █ █ █ █ █ █ █ █ █ █ █ █ █ █ █           ││ four-rooms                    seed 3 │
            │          █ · · · · · · · · · · · · · · · · · █           ││ trial 2  episode 2/4  step 3/100     │
            │          █ · · · · · · · · █ · · · · · · · · █           ││                                      │
            │          █ · · · · · · · · █ · · · · · · · · █           ││ action ⟨up, none⟩                    │
            │          █ · · · · · · · · █ · · · · · · · · █           ││ scripted: no probabilities           │
            │          █ · · · · · · · · █ · · · · · · · · █           ││ task up     play none                │
            │          █ · · · · · · · · █ · · · · · · · · █           ││                                      │
            │          █ · · · · · · · · █ · · · · · · · · █           ││ reward                step   episode │
            │          █ · · · · · · · · █ · · · · · · · · █           ││ task                  0.00      0.00 │
            │          █ █ █ · █ █ █ █ █ █ █ █ █ · █ █ █ █ █           ││   delight             0.00      0.00 │
            │          █ · · · · ★ · · · · · · ▲ · · · · · █           ││ fun                   0.00      0.00 │
            │          █ · · · · · · · · █ · · · · · · · · █           ││                                      │
            │          █ · · · · · · · · █ · · · · · · · · █           ││ recent: ▇ task  • fun                │
            │          █ · · · · · · · · █ · · · · · · · · █           ││   █  █  █  █         ▄               │
            │          █ · · · · · · · · █ · · · · · · · · █           ││   █  █  █  █         █               │
            │          █ · · · · · · · · █ · · · · · · · · █           ││   █  █  █  █         █               │
            │          █ · · · · · · · · █ · · · · · · · · █           ││   █  █  █  █         █               │
            │          █ · · · · · · · · █ · · · · · · · · █           ││   █  █  █  █         █               │
            │          █ █ █ █ █ █ █ █ █ █ █ █ █ █ █ █ █ █ █           ││ •••••••••••••••••••••••••            │
            │                                                          ││ play ratio 0%  last 50: 0%           │
            └──────────────────────────────────────────────────────────┘│                                      │
            ┌─ Events ─────────────────────────────────────────────────┐│                                      │
            │ e3 s3   reached the goal: +0.97 task · episode done:     ││                                      │
            │         success                                          ││                                      │
            │ e4 s3   reached the goal: +0.97 task · episode done:     ││                                      │
            │         success                                          ││                                      │
            │ trial 2                                                  ││                                      │
            │ e1 s10  reached the goal: +0.91 task · episode done:     ││                                      │
            │         success                                          ││                                      │
            └──────────────────────────────────────────────────────────┘└──────────────────────────────────────┘
             PAUSED  8 steps/s │ space resume  ? help  q quit  . → step  , ← back  t take over
            """)
    }

    @Test("a 19x19 map scrolls with the agent at 80x24 and says which part is shown")
    func screenRooms80() throws {
        let screen = Fixtures.render(try roomsApp(), width: 80, height: 24, theme: Fixtures.unicode)
        #expect(screen.text == """
            ┌─ four-rooms · agent's view ──────────────┐┌─ Agent: player ──────────────────┐
            │  █ · · · · · · · · █ · · · · · · · · █   ││ four-rooms                seed 3 │
            │  █ · · · · · · · · █ · · · · · · · · █   ││ trial 2  episode 2/4  step 3/100 │
            │  █ · · · · · · · · █ · · · · · · · · █   ││ action ⟨up, none⟩                │
            │  █ · · · · · · · · █ · · · · · · · · █   ││ scripted: no probabilities       │
            │  █ · · · · · · · · █ · · · · · · · · █   ││ task up     play none            │
            │  █ · · · · · · · · █ · · · · · · · · █   ││ reward            step   episode │
            │  █ █ █ · █ █ █ █ █ █ █ █ █ · █ █ █ █ █   ││ task              0.00      0.00 │
            │  █ · · · · ★ · · · · · · ▲ · · · · · █   ││   delight         0.00      0.00 │
            │  █ · · · · · · · · █ · · · · · · · · █   ││ fun               0.00      0.00 │
            │  █ · · · · · · · · █ · · · · · · · · █   ││ recent: ▇ task  • fun            │
            │  █ · · · · · · · · █ · · · · · · · · █   ││   █  █  █  █         ▄           │
            │  █ · · · · · · · · █ · · · · · · · · █   ││   █  █  █  █         █           │
            │  █ · · · · · · · · █ · · · · · · · · █   ││   █  █  █  █         █           │
            │  █ · · · · · · · · █ · · · · · · · · █   ││   █  █  █  █         █           │
            └──────────────────────────── 0,3 of 19×19 ┘│   █  █  █  █         █           │
            ┌─ Events ─────────────────────────────────┐│ •••••••••••••••••••••••••        │
            │ e4 s3   reached the goal: +0.97 task ·   ││ play ratio 0%  last 50: 0%       │
            │         episode done: success            ││                                  │
            │ trial 2                                  ││                                  │
            │ e1 s10  reached the goal: +0.91 task ·   ││                                  │
            │         episode done: success            ││                                  │
            └──────────────────────────────────────────┘└──────────────────────────────────┘
             PAUSED  8 steps/s │ space resume  ? help  q quit  . → step  , ← back
            """)
    }

    @Test("simultaneous coupling shows energy; pads and levers have glyphs (100x32)")
    func screenEnergy100() throws {
        let screen = Fixtures.render(try energyApp(), width: 100, height: 32, theme: Fixtures.unicode)
        #expect(screen.text == """
            ┌─ energy-room ────────────────────────────────────────────┐┌─ Agent: player ──────────────────────┐
            │                                                          ││ energy-room                   seed 2 │
            │                                                          ││ trial 1  episode 1/1  step 4/50      │
            │                                                          ││                                      │
            │                                                          ││ action ⟨right, none⟩                 │
            │                                                          ││ energy 8/10                          │
            │                                                          ││ ████████████████████████████▊······· │
            │                                                          ││ scripted: no probabilities           │
            │                     █ █ █ █ █ █ █ █                      ││ task right  play none                │
            │                     █ · · · · · · █                      ││                                      │
            │                     █ · · ▶ ◌ · · █                      ││ reward                step   episode │
            │                     █ · · · · ▫ · █                      ││ task                  0.00      0.00 │
            │                     █ ⊥ · · · · ★ █                      ││   delight             0.00     +1.00 │
            │                     █ █ █ █ █ █ █ █                      ││ fun                   0.00     +1.00 │
            │                                                          ││                                      │
            │                                                          ││ recent: ▇ task  • fun                │
            │                                                          ││   •                                  │
            │                                                          ││                                      │
            │                                                          ││                                      │
            │                                                          ││                                      │
            │                                                          ││                                      │
            └──────────────────────────────────────────────────────────┘│ •• •                                 │
            ┌─ Events ─────────────────────────────────────────────────┐│ play ratio 25%  last 50: 25%         │
            │ e1 s3   pushed a rock into soft ground: +1.00 delight    ││                                      │
            │                                                          ││                                      │
            │                                                          ││                                      │
            │                                                          ││                                      │
            │                                                          ││                                      │
            │                                                          ││                                      │
            │                                                          ││                                      │
            └──────────────────────────────────────────────────────────┘└──────────────────────────────────────┘
             PAUSED  8 steps/s │ space resume  ? help  q quit  . → step  , ← back  t take over
            """)
    }

    @Test("energy at 80x24")
    func screenEnergy80() throws {
        let screen = Fixtures.render(try energyApp(), width: 80, height: 24, theme: Fixtures.unicode)
        #expect(screen.text == """
            ┌─ energy-room ────────────────────────────┐┌─ Agent: player ──────────────────┐
            │                                          ││ energy-room               seed 2 │
            │                                          ││ trial 1  episode 1/1  step 4/50  │
            │                                          ││ action ⟨right, none⟩             │
            │                                          ││ energy 8/10                      │
            │             █ █ █ █ █ █ █ █              ││ █████████████████████████▋······ │
            │             █ · · · · · · █              ││ scripted: no probabilities       │
            │             █ · · ▶ ◌ · · █              ││ task right  play none            │
            │             █ · · · · ▫ · █              ││ reward            step   episode │
            │             █ ⊥ · · · · ★ █              ││ task              0.00      0.00 │
            │             █ █ █ █ █ █ █ █              ││   delight         0.00     +1.00 │
            │                                          ││ fun               0.00     +1.00 │
            │                                          ││ recent: ▇ task  • fun            │
            │                                          ││   •                              │
            │                                          ││                                  │
            └──────────────────────────────────────────┘│                                  │
            ┌─ Events ─────────────────────────────────┐│                                  │
            │ e1 s3   pushed a rock into soft ground:  ││                                  │
            │         +1.00 delight                    ││ •• •                             │
            │                                          ││ play ratio 25%  last 50: 25%     │
            │                                          ││                                  │
            │                                          ││                                  │
            └──────────────────────────────────────────┘└──────────────────────────────────┘
             PAUSED  8 steps/s │ space resume  ? help  q quit  . → step  , ← back
            """)
    }

    @Test("a terminal smaller than 80x24 gets the too-small note")
    func screenSmall() throws {
        let screen = Fixtures.render(try liveApp(), width: 60, height: 20, theme: Fixtures.unicode)
        #expect(screen.text == """








                    ┌──────────────────────────────────────────┐
                    │ Terminal too small: 60×20, needs 80×24.  │
                    │ Enlarge the window, or press q to quit.  │
                    └──────────────────────────────────────────┘








            """)
    }

    @Test("the ASCII theme draws the same screen in ASCII (80x24)")
    func screenAscii80() throws {
        let screen = Fixtures.render(try asciiApp(), width: 80, height: 24, theme: Fixtures.ascii)
        #expect(screen.text == """
            +- rock-garden ----------------------------++- Agent: player ------------------+
            |                                          || rock-garden               seed 1 |
            |                                          || trial 1  episode 1/4  step 9/120 |
            |         # # # # # # # # # # # #          || action <stay, push>              |
            |         # . . . . . . . . . . #          || scripted: no probabilities       |
            |         # . . . . > . _ : . . #          || task stay   play push            |
            |         # . . . . . . : : . $ #          || reward            step   episode |
            |         # . 0 . . . . . 0 . . #          || task              0.00      0.00 |
            |         # . . : : . . . . . . #          ||   delight        +1.00     +1.00 |
            |         # . . : : . . 0 . . . #          || fun              +1.00     +1.00 |
            |         # . . . . . . . : : : #          || recent: # task  * fun            |
            |         # . . 0 . . . . . . . #          ||         *                        |
            |         # # # # # # # # # # # #          ||                                  |
            |                                          ||                                  |
            |                                          ||                                  |
            +------------------------------------------+|                                  |
            +- Events ---------------------------------+| ********                         |
            | e1 s3   pushed something                 || play ratio 44%  last 50: 44%     |
            | e1 s5   pushed something                 ||                                  |
            | e1 s7   pushed something                 ||                                  |
            | e1 s9   pushed a rock into soft ground:  ||                                  |
            |         +1.00 delight                    ||                                  |
            +------------------------------------------++----------------------------------+
             PAUSED  8 steps/s | space resume  ? help  q quit  . right step  , left back
            """)
    }
}
