import Foundation
import Fun
import GridWorld
import Testing

@Suite struct FunSpecTests {
    @Test("every catalogued model parses, and a spec prints back as it was written")
    func roundTrip() throws {
        for entry in FunCatalog.entries {
            let spec = try FunSpec(parsing: "\(entry.name)=0.5")
            #expect(spec.terms == [FunSpec.Term(model: entry.name, weight: 0.5)])
        }
        let spec = try FunSpec(parsing: "delight=1, novelty=0.1,rnd")
        #expect(spec.description == "delight=1,novelty=0.1,rnd=1")
        #expect(try FunSpec(parsing: "none").terms.isEmpty)
    }

    @Test("an unknown model name is refused with the list of known ones")
    func unknownName() {
        #expect {
            try FunSpec(parsing: "delight=1,novlety=0.1")
        } throws: { error in
            let message = (error as? FunSpecError)?.message ?? ""
            return message.contains("unknown fun model 'novlety'")
                && FunCatalog.entries.allSatisfy { message.contains($0.name) }
        }
    }

    @Test("weights must be finite numbers", arguments: ["nan", "inf", "-inf", "lots", "1e99", ""])
    func badWeight(_ weight: String) {
        #expect {
            try FunSpec(parsing: "novelty=\(weight)")
        } throws: { error in
            (error as? FunSpecError)?.message.contains("must be a finite number") == true
        }
    }

    @Test("empty terms and repeated names are refused")
    func malformed() {
        #expect(throws: FunSpecError.self) { try FunSpec(parsing: "delight=1,,novelty") }
        #expect(throws: FunSpecError.self) { try FunSpec(parsing: "novelty=1,novelty=2") }
    }

    @Test("every catalogued model declares the scope its entry states, and its state survives a save and restore")
    func scopesAndState() throws {
        let scenario = Rooms.open(side: 5, start: GridPoint(x: 2, y: 2))
        var world = Rooms.world(scenario)
        for entry in FunCatalog.entries {
            var model = entry.make(scenario, 3)
            #expect(model.name == entry.name)
            #expect(model.scope == entry.scope)
            var rng = SplitMix64(seed: 5)
            var rewards: [Float] = []
            for action in [TaskAction.up, .left, .down, .right, .right] {
                let before = world
                let t = world.step(ActionPair(action), rng: &rng)
                rewards.append(model.reward(FunInput(before: before, action: ActionPair(action), transition: t, after: world)))
            }
            #expect(rewards.allSatisfy { $0.isFinite }, "\(entry.name)")
            // A copy restored from the saved state scores the next step exactly as the original does.
            var restored = entry.make(scenario, 3)
            try restored.restoreState(from: model.encodedState())
            let before = world
            let t = world.step(ActionPair(.up), rng: &rng)
            let input = FunInput(before: before, action: ActionPair(.up), transition: t, after: world)
            #expect(model.reward(input) == restored.reward(input), "\(entry.name)")
        }
    }

    @Test("a learned state saved in a world of another shape is refused with a message, not used")
    func wrongShape() throws {
        for name in ["curiosity", "rnd", "progress", "skill"] {
            let entry = FunCatalog.entries.first { $0.name == name }!
            let small = entry.make(Rooms.open(side: 5, start: GridPoint(x: 0, y: 0)), 1)
            var large = entry.make(Rooms.open(side: 12, start: GridPoint(x: 0, y: 0)), 1)
            #expect(throws: FunStateError.self, "\(name)") { try large.restoreState(from: small.encodedState()) }
        }
        var novelty = FunCatalog.entries[1].make(Rooms.open(side: 5, start: GridPoint(x: 0, y: 0)), 1)
        #expect(throws: FunStateError.self) { try novelty.restoreState(from: Data("{}".utf8)) }
    }
}
