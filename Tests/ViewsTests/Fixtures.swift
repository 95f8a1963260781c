import Agents
import Engine
import Foundation
import Fun
import GridWorld
import ScenarioFiles
import Terminal
import TestSupport
import Views

/// The repository's own themes and scenarios, found from this file's path so tests run from anywhere.
enum Fixtures {
    static let themes = Repository.root.appendingPathComponent("assets/themes")
    static let unicode = try! Theme.load(named: "unicode", in: themes)
    static let ascii = try! Theme.load(named: "ascii", in: themes)

    static func scenario(_ name: String) throws -> Scenario { try shipped(name) }

    static func session(_ name: String, agent: any Agent = PlayerAgent(), seed: UInt64 = 1) throws -> Session {
        try Session(scenario: try scenario(name), agent: agent, funSpec: .standard, seed: seed)
    }

    /// A shipped scenario with both halves of an action acting together (simultaneous coupling).
    static func simultaneousSession(_ name: String, agent: any Agent = PlayerAgent(), seed: UInt64 = 1) throws -> Session {
        var scenario = try scenario(name)
        scenario.coupling = .simultaneous(energy: 10, playCost: 1, restGain: 1)
        return try Session(scenario: scenario, agent: agent, funSpec: .standard, seed: seed)
    }

    /// A small walled room in simultaneous coupling, so the HUD shows energy.
    static func energyScenario() -> Scenario {
        var map = MapTemplate(width: 8, height: 6)
        for y in 0..<6 { for x in 0..<8 where x == 0 || y == 0 || x == 7 || y == 5 { map[x, y] = (.wall, .none, 0) } }
        map[3, 2] = (.floor, .rock, 0)
        map[4, 2] = (.sand, .none, 0)
        map[6, 4] = (.floor, .goal, 0)
        map[5, 3] = (.pad, .none, 0)
        map[1, 4] = (.floor, .lever, 0)
        map.agentStart = GridPoint(x: 1, y: 1)
        map.agentFacing = .right
        return Scenario(name: "energy-room", map: map, task: .reachGoal, delight: [.rockSank: 1],
                        coupling: .simultaneous(energy: 10, playCost: 3, restGain: 1), maxSteps: 50)
    }

    /// Draws what `app` shows on a `width × height` screen.
    static func render(_ app: some DashboardApp, width: Int, height: Int, theme: Theme = unicode) -> Screen {
        var screen = Screen(width: width, height: height)
        Dashboard.draw(app.dashboard, trace: app.trace, palette: MapPalette(theme: theme), theme: theme, into: &screen)
        return screen
    }
}

/// The scripted player with made-up but deterministic policy outputs, standing in for a learned agent so the
/// HUD's probability bars and value can be checked.
struct PolicyAgent: Agent {
    var inner = PlayerAgent()
    var name: String { "policy" }

    mutating func beginTrial(_ world: World) { inner.beginTrial(world) }
    mutating func beginEpisode(_ world: World) { inner.beginEpisode(world) }
    mutating func observe(_ transition: Transition, reward: StepReward, world: World) {
        inner.observe(transition, reward: reward, world: world)
    }

    mutating func decide(_ world: World, rng: inout SplitMix64) -> Decision {
        let action = inner.decide(world, rng: &rng).action
        var task = [Float](repeating: 0.1, count: TaskAction.count)
        task[Int(action.task.rawValue)] = 0.5
        var play = [Float](repeating: 0.1, count: PlayAction.count)
        play[Int(action.play.rawValue)] = 0.4
        return Decision(action, taskProbabilities: task, playProbabilities: play, value: 0.25 + Float(world.state.step) / 100)
    }
}

/// The policy agent with more said about each decision: what an episodic LSTM recalled, or what an episodic-control
/// agent read from its memories in place of the heads.
struct AnnotatedPolicyAgent: Agent {
    var inner = PolicyAgent()
    let name: String
    let annotate: (inout Decision, World) -> Void

    /// Recalled a memory of similarity 0.97, with a gate that opens as the episode goes on.
    static var recall: AnnotatedPolicyAgent {
        AnnotatedPolicyAgent(name: "recall") { decision, world in
            decision.recall = Decision.Recall(similarity: 0.97, gate: 0.25 + Float(world.state.step) / 40)
        }
    }

    /// Given skill 5, with a discriminator that takes every third step's place for skill 3's.
    static var skilled: AnnotatedPolicyAgent {
        AnnotatedPolicyAgent(name: "skills-8 (skill 5)") { decision, world in
            let strayed = world.state.step % 3 == 0
            decision.skill = Decision.Skill(given: 5, recognised: strayed ? 3 : 5, reward: strayed ? -1.25 : 1.97)
        }
    }

    /// No probabilities, but each task action's value from memory, the memories' size and the nearest distance.
    static var remembering: AnnotatedPolicyAgent {
        AnnotatedPolicyAgent(name: "mfec") { decision, world in
            decision.taskProbabilities = nil
            decision.playProbabilities = nil
            decision.memory = Decision.Memory(taskValues: [0.12, 0.40, -0.05, 0.31, 0.62, 0.00, 0.20], size: 1234 + world.state.step,
                                              nearest: 0.37)
        }
    }

    mutating func beginTrial(_ world: World) { inner.beginTrial(world) }
    mutating func beginEpisode(_ world: World) { inner.beginEpisode(world) }
    mutating func observe(_ transition: Transition, reward: StepReward, world: World) {
        inner.observe(transition, reward: reward, world: world)
    }

    mutating func decide(_ world: World, rng: inout SplitMix64) -> Decision {
        var decision = inner.decide(world, rng: &rng)
        annotate(&decision, world)
        return decision
    }
}
