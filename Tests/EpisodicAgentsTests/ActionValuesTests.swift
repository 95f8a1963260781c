@testable import EpisodicAgents
import GridWorld
import Testing

@Suite struct ActionValuesTests {
    static let actions = TaskAction.allCases.map { ActionPair($0) }

    static func choose(_ values: [Float], lastTaken: [UInt64], keepGoing: TaskAction?, seed: UInt64) -> TaskAction {
        var rng = SplitMix64(seed: seed)
        let i = values.withUnsafeBufferPointer { v in
            lastTaken.withUnsafeBufferPointer { ActionValues.greedy(v, lastTaken: $0, keepGoing: keepGoing, actions: actions, rng: &rng) }
        }
        return actions[i].task
    }

    @Test("among equal values the least recently taken comes first, then the way it went, then a uniform draw")
    func tieOrder() {
        let none = [UInt64](repeating: 0, count: TaskAction.count)
        let flat = [Float](repeating: 0, count: TaskAction.count)
        // Nothing taken from here: it keeps going, whatever the draw.
        #expect((0..<50).allSatisfy { Self.choose(flat, lastTaken: none, keepGoing: .right, seed: $0) == .right })
        // Without a way it went, the draw decides: all six come up.
        #expect(Set((0..<200).map { Self.choose(flat, lastTaken: none, keepGoing: nil, seed: $0) }).count == TaskAction.count)
        // Going right from here before (long ago) is not going on: an action never taken from here comes first.
        var rightTaken = none
        rightTaken[Int(TaskAction.right.rawValue)] = 7
        #expect((0..<50).allSatisfy { Self.choose(flat, lastTaken: rightTaken, keepGoing: .right, seed: $0) != .right })
        // A higher value beats both.
        var upBetter = flat
        upBetter[Int(TaskAction.up.rawValue)] = 0.1
        #expect((0..<50).allSatisfy { Self.choose(upBetter, lastTaken: none, keepGoing: .right, seed: $0) == .up })
    }

    @Test("an action taken from this situation in this episode is worth at most γ × the best not taken; before it, as it was")
    func repeats() {
        let start: UInt64 = 100
        var values = ContiguousArray<Float>([0.2, 0.9, 0.5, 0, 0, 0])
        let earlier = ContiguousArray<UInt64>([0, 40, 0, 0, 0, 0])
        ActionValues.valueRepeats(&values, lastTaken: earlier, after: start, discount: 0.5)
        #expect(values == [0.2, 0.9, 0.5, 0, 0, 0])
        let thisEpisode = ContiguousArray<UInt64>([0, 101, 0, 0, 0, 0])
        ActionValues.valueRepeats(&values, lastTaken: thisEpisode, after: start, discount: 0.5)
        #expect(values == [0.2, 0.25, 0.5, 0, 0, 0])
        // A lower value is left as it is: the rule only caps.
        var low = ContiguousArray<Float>([0.2, 0.01, 0.5, 0, 0, 0])
        ActionValues.valueRepeats(&low, lastTaken: thisEpisode, after: start, discount: 0.5)
        #expect(low == [0.2, 0.01, 0.5, 0, 0, 0])
    }
}
