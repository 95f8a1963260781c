import Agents
import Clocks
import Engine
import GridWorld
import Terminal
import Testing
@testable import Views

/// The watch reducer: what each command does to the mode, the session, the trace and the pacer.
@Suite struct WatchAppTests {
    func paused(_ name: String = "rock-garden", agent: any Agent = PlayerAgent(), seed: UInt64 = 1) throws -> WatchApp {
        WatchApp(session: try Fixtures.session(name, agent: agent, seed: seed), mode: .paused)
    }

    @Test("live mode runs the steps the pacer makes due; pausing stops them and resuming does not burst")
    func pacing() throws {
        var app = WatchApp(session: try Fixtures.session("rock-garden"), speed: 8)
        var turn = app.tick(now: .milliseconds(500))
        #expect(turn.steps == 4)
        #expect(turn.present)
        app.advance(steps: turn.steps, deadline: .seconds(10), clock: ManualClock(.milliseconds(500)))
        #expect(app.frame.step == 4)
        app.handle(.togglePause, now: .milliseconds(500))
        #expect(app.mode == .paused)
        turn = app.tick(now: .seconds(5))
        #expect(turn.steps == 0)
        app.handle(.togglePause, now: .seconds(5))
        #expect(app.tick(now: .seconds(5) + .milliseconds(130)).steps == 1)
    }

    @Test("full speed runs until the turn's deadline, not a fixed count")
    func fullSpeed() throws {
        var app = WatchApp(session: try Fixtures.session("rock-garden"), speed: .infinity)
        #expect(app.isMaxSpeed)
        #expect(app.keyTimeout(now: .zero) == 0)
        let turn = app.tick(now: .zero)
        #expect(turn.steps == .max)
        let ran = app.advance(steps: turn.steps, deadline: .milliseconds(10),
                              clock: ManualClock(advancingEachReadingBy: .milliseconds(1)))
        #expect(ran == 80, "the clock is read every 8 steps at full speed")
        #expect(app.stepsTaken == 80)
    }

    @Test("+ and - move through the speeds up to full speed and back")
    func speeds() throws {
        var app = try paused()
        #expect(app.speed == 8)
        app.handle(.faster, now: .zero)
        #expect(app.speed == 15)
        for _ in 0..<30 { app.handle(.faster, now: .zero) }
        #expect(app.speed == .infinity)
        #expect(app.dashboard.speed == .infinity)
        for _ in 0..<40 { app.handle(.slower, now: .zero) }
        #expect(app.speed == 0.5)
    }

    @Test(". steps exactly one, , steps back exactly one to the same world, and the trace follows")
    func stepAndBack() throws {
        var app = WatchApp(session: try Fixtures.session("rock-garden"))
        app.handle(.stepForward, now: .zero)
        #expect(app.mode == .paused, "stepping pauses a live watch")
        for _ in 0..<19 { app.handle(.stepForward, now: .zero) }
        #expect(app.frame.step == 20)
        let before = app.frame.world.state
        let visitsBefore = app.trace.visits
        app.handle(.stepForward, now: .zero)
        #expect(app.frame.step == 21)
        #expect(app.trace.count == 21)
        app.handle(.stepBack, now: .zero)
        #expect(app.frame.step == 20)
        #expect(app.frame.world.state == before)
        #expect(app.trace.count == 20)
        #expect(app.trace.visits == visitsBefore)
        #expect(app.trace.visits.reduce(0, +) == 20)
    }

    @Test("stepping back past the start says so instead of moving, and past the history's depth says that")
    func backAtStart() throws {
        var app = try paused()
        app.handle(.stepBack, now: .zero)
        #expect(app.frame.step == 0)
        #expect(app.message == "this is the first step: there is nothing before it")
        app.handle(.stepForward, now: .zero)
        #expect(app.message == nil)

        var shallow = WatchApp(session: try Fixtures.session("rock-garden"), mode: .paused, historyDepth: 2)
        for _ in 0..<3 { shallow.handle(.stepForward, now: .zero) }
        for _ in 0..<3 { shallow.handle(.stepBack, now: .zero) }
        #expect(shallow.frame.step == 1)
        #expect(shallow.message == "this is as far back as the history goes (2 steps)")
    }

    @Test("t takes over: a move key moves the agent, t hands back to the mode it came from")
    func takeOver() throws {
        var app = WatchApp(session: try Fixtures.session("rock-garden"))
        app.handle(.takeOver, now: .zero)
        #expect(app.mode == .manual)
        #expect(app.preview != nil, "the agent's suggestion stays on screen while a person drives")
        let start = app.frame.world.agentPosition
        app.handle(key: .down, now: .zero)
        #expect(app.frame.world.agentPosition == GridPoint(x: start.x, y: start.y + 1))
        #expect(app.frame.decision?.action == ActionPair(.down, .none))
        #expect(app.frame.manual)
        app.handle(key: .character("d"), now: .zero)
        #expect(app.frame.world.agentPosition == GridPoint(x: start.x + 1, y: start.y + 1))
        app.handle(key: .character("t"), now: .zero)
        #expect(app.mode == .live)

        var play = WatchApp(session: try Fixtures.session("rock-garden"), mode: .manual)
        #expect(play.dashboard.speed == nil, "no speed while a person drives")
        play.handle(key: .character("t"), now: .zero)
        #expect(play.mode == .live, "in play, t lets the agent play live")
        play.handle(key: .space, now: .zero)
        play.handle(key: .character("t"), now: .zero)
        play.handle(key: .character("t"), now: .zero)
        #expect(play.mode == .paused, "t hands back to the mode control was taken from")
    }

    @Test("simultaneous coupling: a digit picks the play half and the next key carries it: 1 then . pushes without moving")
    func bothHalves() throws {
        var app = WatchApp(session: try Fixtures.simultaneousSession("rock-garden"), mode: .paused)
        app.handle(.takeOver, now: .zero)
        #expect(app.dashboard.inputMode == .manualSimultaneous)
        app.handle(key: .right, now: .zero)
        app.handle(key: .character("1"), now: .zero)
        #expect(app.pendingPlay == .push)
        #expect(app.frame.step == 1, "choosing the play half takes no step")
        app.handle(key: .character("."), now: .zero)
        #expect(app.frame.decision?.action == ActionPair(.stay, .push))
        #expect(app.pendingPlay == .none, "the choice is used once")
        app.handle(key: .character("4"), now: .zero)
        app.handle(key: .character("s"), now: .zero)
        #expect(app.frame.decision?.action == ActionPair(.down, .dig))
        app.handle(key: .character("9"), now: .zero)
        #expect(app.message?.contains("no play action 9") == true)
        #expect(app.pendingPlay == .none)
        app.handle(key: .character("3"), now: .zero)
        #expect(app.message?.contains("ring is not afforded") == true)
    }

    @Test("exclusive coupling: a digit plays at once, taking the turn; 0 takes none; an unafforded play says it did nothing")
    func playAtOnce() throws {
        var app = try paused()
        app.handle(.takeOver, now: .zero)
        app.handle(key: .character("d"), now: .zero)
        app.handle(key: .character("s"), now: .zero)
        let rock = GridPoint(x: 3, y: 2)
        #expect(app.frame.world.agentPosition == GridPoint(x: 2, y: 2) && app.frame.world.thing(app.frame.world.cell(at: rock)) == .rock)
        app.handle(key: .character("d"), now: .zero)
        #expect(app.frame.step == 3 && app.frame.world.agentPosition == GridPoint(x: 2, y: 2), "bumped the rock, now facing it")
        app.handle(key: .character("1"), now: .zero)
        #expect(app.frame.step == 4, "the digit alone took the turn")
        #expect(app.frame.decision?.action == ActionPair(.stay, .push) && app.frame.manual)
        #expect(app.frame.transition?.events.contains(.pushed) == true)
        #expect(app.frame.world.thing(app.frame.world.cell(at: rock)) == .none && app.frame.world.thing(app.frame.world.cell(at: GridPoint(x: 4, y: 2))) == .rock)
        #expect(app.pendingPlay == .none)
        app.handle(key: .character("2"), now: .zero)
        #expect(app.frame.step == 5 && app.frame.decision?.action == ActionPair(.stay, .kick))
        #expect(app.frame.transition?.events.contains(.fumbled) == true, "no ball ahead: a kick at nothing")
        app.handle(key: .character("0"), now: .zero)
        #expect(app.frame.step == 5 && app.message?.hasPrefix("0 does nothing here") == true, "no play is no turn, and says so")
        app.handle(key: .character("3"), now: .zero)
        #expect(app.frame.step == 6 && app.frame.decision?.action == ActionPair(.stay, .ring))
        #expect(app.message == "ring is not afforded in this scenario; it did nothing")
        app.handle(key: .character("9"), now: .zero)
        #expect(app.frame.step == 6 && app.message?.contains("no play action 9") == true)
        #expect(app.dashboard.inputMode == .manual)
    }

    @Test("] runs to the end of the episode, [ goes back to where it began")
    func episodes() throws {
        var app = try paused()
        app.handle(.nextEpisode, now: .zero)
        #expect(app.frame.transition?.isLast == true)
        #expect(app.frame.episode == 0)
        let end = app.frame.step
        app.handle(.stepForward, now: .zero)
        #expect(app.frame.episode == 1)
        #expect(app.frame.step == 1)
        app.handle(.previousEpisode, now: .zero)
        #expect(app.frame.episode == 0 && app.frame.step == end, "the start of episode 2 is the end of episode 1")
        app.handle(.previousEpisode, now: .zero)
        #expect(app.frame.step == 0)
    }

    @Test("} stops at the next step the log mentions, { at the one before")
    func events() throws {
        var app = try paused()
        app.handle(.nextEvent, now: .zero)
        let first = app.frame.step
        #expect(app.trace.last?.isNotable == true)
        app.handle(.nextEvent, now: .zero)
        #expect(app.frame.step > first)
        app.handle(.previousEvent, now: .zero)
        #expect(app.frame.step == first)
    }

    @Test("overlays toggle one at a time; help toggles and esc closes it")
    func overlaysAndHelp() throws {
        var app = try paused()
        app.handle(key: .character("h"), now: .zero)
        #expect(app.overlay == .heatmap)
        app.handle(key: .character("f"), now: .zero)
        #expect(app.overlay == .funMap)
        app.handle(key: .character("f"), now: .zero)
        #expect(app.overlay == nil)
        app.handle(key: .character("?"), now: .zero)
        #expect(app.showsHelp)
        app.handle(key: .escape, now: .zero)
        #expect(!app.showsHelp)
        app.handle(key: .character("q"), now: .zero)
        #expect(app.isFinished)
    }

    @Test("the heat map tints visited cells and the agent's view dims what it cannot see")
    func overlayColours() throws {
        var app = try paused()
        for _ in 0..<10 { app.handle(.stepForward, now: .zero) }
        let plain = Fixtures.render(app, width: 100, height: 32)
        app.handle(.toggleOverlay(.heatmap), now: .zero)
        let heat = Fixtures.render(app, width: 100, height: 32)
        let camera = Camera(mapWidth: 12, mapHeight: 10, panel: DashboardLayout(size: Size(width: 100, height: 32)).map.inset(by: 1),
                            focusX: 0, focusY: 0)
        let here = app.frame.world.agentPosition  // the last step ended here, so it was visited
        let cell = (x: camera.screenX + here.x * camera.scale, y: camera.screenY + here.y)
        #expect(plain[cell.x, cell.y].background == .default)
        #expect(heat[cell.x, cell.y].background != .default)
        #expect(heat[cell.x + 1, cell.y].background == heat[cell.x, cell.y].background, "both columns of a cell are tinted")
        #expect(heat[camera.screenX, camera.screenY].background == .default, "the wall in the corner was never visited")
        app.handle(.toggleOverlay(.egocentric), now: .zero)
        let view = Fixtures.render(app, width: 100, height: 32)
        let at = app.frame.world.agentPosition
        let far = (x: at.x > 6 ? 0 : 11, y: at.y > 5 ? 0 : 9)
        #expect(view[camera.screenX + far.x * 2, camera.screenY + far.y].attributes.contains(.dim))
        #expect(!view[camera.screenX + at.x * 2, camera.screenY + at.y].attributes.contains(.dim))
    }

    @Test("the camera centres a small map and follows the agent across a large one, clamped at the edges")
    func camera() {
        let small = Camera(mapWidth: 12, mapHeight: 10, panel: Rect(x: 1, y: 1, width: 56, height: 20), focusX: 3, focusY: 3)
        #expect(small.scale == 2 && small.originX == 0 && !small.scrolls)
        #expect(small.screenX == 1 + (56 - 24) / 2)
        let large = Camera(mapWidth: 40, mapHeight: 25, panel: Rect(x: 0, y: 0, width: 30, height: 10), focusX: 20, focusY: 12)
        #expect(large.scale == 1 && large.scrolls)
        #expect(large.originX == 5 && large.originY == 7)
        let corner = Camera(mapWidth: 40, mapHeight: 25, panel: Rect(x: 0, y: 0, width: 30, height: 10), focusX: 39, focusY: 24)
        #expect(corner.originX == 10 && corner.originY == 15)
    }

    @Test("every tile, thing and state maps to a theme name every theme must define (and termcheck shows), each one column wide")
    func palette() {
        var names: [String] = Tile.allCases.compactMap(MapPalette.name(of:))
        for thing in Thing.allCases {
            names += [MapPalette.name(of: thing, on: false), MapPalette.name(of: thing, on: true)].compactMap { $0 }
        }
        names += GridWorld.Direction.allCases.map(MapPalette.name(of:))
        #expect(Set(Theme.worldNames) == Set(names), "Theme.worldNames lists exactly what maps draw")
        for theme in [Fixtures.unicode, Fixtures.ascii] {
            for name in names {
                #expect(theme.entries[name]?.glyph != nil, "\(theme.name) lacks \(name)")
                #expect(theme.glyph(name).width == 1)
            }
        }
    }

    @Test("recording gives each new step once; stepping back and forward again does not record twice")
    func recording() throws {
        var app = try paused()
        var recorded: [Int] = []
        app.recorder = { recorded.append($0.step) }
        for _ in 0..<5 { app.handle(.stepForward, now: .zero) }
        app.handle(.stepBack, now: .zero)
        app.handle(.stepBack, now: .zero)
        for _ in 0..<3 { app.handle(.stepForward, now: .zero) }
        #expect(recorded == [1, 2, 3, 4, 5, 6])
        app.handle(.stepBack, now: .zero)
        app.handle(.takeOver, now: .zero)
        app.handle(.use, now: .zero)
        #expect(app.message?.contains("recording stopped") == true)
        #expect(recorded.count == 6)
    }
}
