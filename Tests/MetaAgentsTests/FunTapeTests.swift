import Foundation
import Fun
import GridWorld
@testable import MetaAgents
import MetaRL
import TestSupport
import Testing

@Suite struct FunTapeTests {
    @Test("a partner's fun, recorded row by row and step by step, is what its yoked control receives whatever it does, however the batch is split")
    func yoke() throws {
        let s = try shipped("playroom")
        var partner = try GridMetaEnvironment(scenarios: [s], funSpec: try FunSpec(parsing: "delight=1,novelty=0.5"), batchSize: 5)
        partner.recordsFun = true
        var batch = SplitBatch(partner)
        var tape = FunTape(width: 5)
        var whole: [Float] = []
        for _ in 0..<3 {
            for _ in 0..<8 {
                batch.step(1)
                whole += batch.step.funReward
            }
            GridMetaEnvironment.endSegment(&batch.parts)
            tape.append(batch.parts[0].recordedFun)
        }
        #expect(Array(tape.rewards) == whole, "the parts' records, put together, are the whole batch's fun step by step")
        #expect(tape.steps == 24 && whole.contains { $0 != 0 })

        // The yoked control has no fun of its own and acts otherwise (other random actions): it receives the tape.
        var yoked = SplitBatch(try GridMetaEnvironment(scenarios: [s], funSpec: FunSpec(terms: []), batchSize: 5))
        yoked.whole.yoke = tape
        yoked.parts = yoked.whole.split(sizes: [2, 3])
        yoked.rng = SplitMix64(seed: 99)
        var received: [Float] = []
        for _ in 0..<24 {
            yoked.step(1)
            received += yoked.step.funReward
        }
        #expect(received == whole)
        yoked.step(1)
        #expect(yoked.step.funReward.allSatisfy { $0 == 0 }, "past the tape's end it pays nothing")

        let path = Scratch.path("tape.fun")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try tape.write(to: path)
        #expect(try FunTape.read(from: path) == tape)
        try Data("PGFX0000".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: FunTapeError.self) { try FunTape.read(from: path) }
    }
}
