import Foundation
import GridWorld
import ScenarioFiles
import Testing
import TestSupport

@Suite struct TrialWorldSnapshotTests {
    static let scenarios = Repository.path("scenarios")

    /// Random action pairs, a fixed stream.
    static func actions(_ n: Int) -> [ActionPair] {
        var rng = SplitMix64(seed: 12)
        return (0..<n).map { _ in
            ActionPair(TaskAction(rawValue: UInt8(rng.below(TaskAction.count)))!, PlayAction(rawValue: UInt8(rng.below(PlayAction.count)))!)
        }
    }

    /// Steps a trial world through actions, starting episodes as they end; returns every transition.
    static func run(_ world: inout TrialWorld, _ actions: ArraySlice<ActionPair>, pending: inout Bool) throws -> [Transition] {
        var out: [Transition] = []
        for a in actions {
            if pending { try world.beginNextEpisode() }
            let t = world.step(a)
            out.append(t)
            pending = t.isLast
        }
        return out
    }

    @Test("A trial world resumed from a snapshot carries on exactly as the original, in every shipped scenario")
    func resumesExactly() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.scenarios).filter { $0.hasSuffix(".yaml") }
        #expect(names.count >= 8)
        let actions = Self.actions(3_000)
        for name in names {
            let scenario = try ScenarioFile.load(path: Self.scenarios + "/" + name)
            var original = try TrialWorld(scenario: scenario, seed: 5)
            var pending = false
            _ = try Self.run(&original, actions[0..<1_500], pending: &pending)
            let snapshot = original.snapshot
            let pendingThen = pending
            let expected = try Self.run(&original, actions[1_500...], pending: &pending)

            for sameMDP in [nil, original.world] as [World?] {
                var resumed = try TrialWorld(scenario: scenario, snapshot: snapshot, sameMDP: sameMDP)
                #expect(resumed.snapshot == snapshot, "\(name)")
                var p = pendingThen
                let replayed = try Self.run(&resumed, actions[1_500...], pending: &p)
                #expect(replayed == expected, "\(name)")
                #expect(resumed.snapshot == original.snapshot, "\(name)")
                #expect(resumed.levelSeed == original.levelSeed && resumed.trial == original.trial)
            }
        }
    }
}
