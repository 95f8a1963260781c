import Agents
import Engine
import Foundation
import Fun
import GridWorld
import ScenarioFiles
import Testing
import TestSupport

@Suite struct HistoryTests {
    @Test("stepping back and forward again gives the very same frames and world")
    func backAndForth() throws {
        let session = try Session(scenario: try shipped("rock-garden"), agent: PlayerAgent(), funSpec: .standard, seed: 4)
        var history = History(session)
        var frames: [WorldState] = []
        for _ in 0..<30 { frames.append(try history.stepForward().world.state) }
        for _ in 0..<10 {
            let went = history.stepBack()
            #expect(went)
        }
        #expect(history.frame.world.state == frames[19])
        #expect(history.frame.step == frames[19].step)
        for i in 20..<30 {
            let state = try history.stepForward().world.state
            #expect(state == frames[i])
        }
        // And the same as a session that never stepped back.
        var straight = try Session(scenario: try shipped("rock-garden"), agent: PlayerAgent(), funSpec: .standard, seed: 4)
        for _ in 0..<40 { try straight.step() }
        for _ in 0..<10 { try history.stepForward() }
        #expect(history.frame.world.state == straight.frame.world.state)
        #expect(history.session.metrics.steps == 40)
    }

    @Test("stepping back restores the hidden rules as drawn (and drawn anew) and what they did")
    func backRestoresRules() throws {
        let text = try String(contentsOf: URL(fileURLWithPath: Repository.path("scenarios/tinker-lab.yaml")), encoding: .utf8)
        let scenario = try ScenarioFile.parse(text: text + "dynamics: {redraw-rules-every: 3}\n", file: "tinker-lab.yaml")
        var history = History(try Session(scenario: scenario, agent: PlayerAgent(), funSpec: .standard, seed: 6))
        var states: [MechanicState] = []
        for _ in 0..<40 { states.append(try history.stepForward().world.state.mechanics) }
        #expect(Set(states.map(\.draw)).count > 1, "the rules were drawn anew")
        for _ in 0..<15 { history.stepBack() }
        #expect(history.frame.world.state.mechanics == states[24])
        for i in 25..<40 { #expect(try history.stepForward().world.state.mechanics == states[i]) }
    }

    @Test("the past is bounded, and a manual action forgets the undone future")
    func bounded() throws {
        var history = History(try Session(scenario: try shipped("open-field"), agent: RandomAgent(), funSpec: .standard, seed: 1), depth: 5)
        for _ in 0..<20 { try history.stepForward() }
        var back = 0
        while history.stepBack() { back += 1 }
        #expect(back == 5)
        _ = try history.stepForward()
        _ = history.stepBack()
        let frame = try history.stepForward(manual: ActionPair(.stay, .spin))
        #expect(frame.manual)
        #expect(frame.transition?.events.contains(.spun) == true)
        #expect(history.canStepBack)
    }

    @Test("a manual step shows the person's action and keeps the agent's probabilities")
    func manual() throws {
        var session = try Session(scenario: try shipped("playroom"), agent: PlayerAgent(), funSpec: .standard, seed: 2)
        let frame = try session.step(manual: ActionPair(.right))
        #expect(frame.decision?.action == ActionPair(.right))
        #expect(frame.manual)
        #expect(frame.world.agentPosition == GridPoint(x: 2, y: 1))
    }
}
