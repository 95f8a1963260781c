import Checksum
import Foundation
import GridWorld
import TestSupport
import Testing
@testable import TapeCodec
@testable import Tapes

@Suite struct TapeDamageTests {
    /// A small tape with many records: 1,200 steps in chunks of 32, a key frame before every other chunk.
    static let tape: [UInt8] = (try? Fixtures.record("rock-garden", steps: 1_200, seed: 9, chunkSize: 32, keyframeEvery: 2,
                                                    keepFrames: false).bytes) ?? []

    /// Steps held by the chunk records that end at or before `length`.
    static func completeSteps(_ reader: TapeReader, within length: Int) -> Int {
        var steps = 0
        for chunk in reader.chunks {
            let end = chunk.payload.upperBound + TapeFormat.recordTrailerSize
            if end <= length { steps += chunk.summary.count }
        }
        return steps
    }

    @Test("A tape cut at any byte of its last 4 KiB, or at 100 random bytes, reads back every complete record and verifies")
    func truncation() throws {
        let bytes = Self.tape
        let full = try TapeReader(bytes: bytes, name: "full")
        #expect(full.isComplete && full.stepCount == 1_200)
        let headerEnd = full.recordOffsets[1]
        var rng = SplitMix64(seed: 21)
        let lastBytes = Array(max(0, bytes.count - 4096)..<bytes.count)
        let randomCuts = (0..<100).map { _ in rng.below(bytes.count) }
        #expect(bytes.count > 4096)
        for cut in lastBytes + randomCuts {
            let prefix = Array(bytes[0..<cut])
            if cut < headerEnd {
                #expect { try TapeReader(bytes: prefix, name: "cut") } throws: {
                    let e = $0 as! TapeError
                    return (e.kind == .truncated || e.kind == .notATape) && (1...127).contains(e.exitStatus)
                }
                continue
            }
            let reader = try TapeReader(bytes: prefix, name: "cut")
            let problem = try #require(reader.problem, "cut at \(cut)")
            #expect(problem.kind == .truncated, "cut at \(cut): \(problem)")
            #expect(!reader.isComplete && !reader.isDamaged)
            #expect(reader.stepCount == Self.completeSteps(full, within: cut), "cut at \(cut)")
            // Verify re-simulates the readable part (a sample: verifying is the slow half).
            if cut % 64 == 0 || randomCuts.contains(cut) {
                #expect(try TapePass.run(reader).steps == reader.stepCount)
            }
        }
    }

    @Test("A changed byte anywhere is reported as damage that names its record; everything before it still reads")
    func flippedBytes() throws {
        let bytes = Self.tape
        let full = try TapeReader(bytes: bytes, name: "full")
        var rng = SplitMix64(seed: 8)
        for trial in 0..<300 {
            let at = trial < 14 ? trial : rng.below(bytes.count)
            var damaged = bytes
            damaged[at] ^= UInt8(1 + rng.below(255))
            let record = full.recordOffsets.lastIndex { $0 <= at }
            let reader: TapeReader
            do {
                reader = try TapeReader(bytes: damaged, name: "flip")
            } catch {
                // Only damage to the prefix or the header record stops a tape from opening at all.
                #expect(record == nil || record == 0, "byte \(at): \(error)")
                #expect([.damaged, .notATape].contains(error.kind), "byte \(at): \(error)")
                #expect((1...127).contains(error.exitStatus))
                if record == 0 { #expect(error.record == 0) }
                continue
            }
            let problem = try #require(reader.problem, "byte \(at) changed without notice")
            #expect(problem.kind == .damaged, "byte \(at): \(problem)")
            #expect(problem.record == record, "byte \(at) is in record \(record ?? -1): \(problem)")
            #expect(problem.description.contains("record \(record ?? -1)"))
            #expect((1...127).contains(problem.exitStatus))
            #expect(reader.stepCount == Self.completeSteps(full, within: full.recordOffsets[record!]))
            #expect(try TapePass.run(reader).steps == reader.stepCount)
        }
    }

    @Test("Bad files fail as errors with statuses 1 to 127: missing, not a tape, another version, empty, a folder")
    func badFiles() throws {
        func expectError(_ kind: TapeError.Kind, _ status: Int32, _ body: () throws -> Void) {
            #expect { try body() } throws: { error in
                guard let e = error as? TapeError else { return false }
                return e.kind == kind && e.exitStatus == status && !e.description.contains("\n")
            }
        }
        expectError(.io, 1) { _ = try TapeReader(path: "/nonexistent/playgrid.tape") }
        let folder = try Scratch.folder("not-a-tape")
        expectError(.io, 1) { _ = try TapeReader(path: folder) }
        expectError(.notATape, 2) { _ = try TapeReader(bytes: Array("name: rock-garden\n".utf8), name: "text") }
        expectError(.notATape, 2) { _ = try TapeReader(bytes: [], name: "empty") }
        // A stream without end is refused at its first bytes, not read until memory runs out.
        expectError(.notATape, 2) { _ = try TapeReader(path: "/dev/zero") }
        var newer = Self.tape
        newer[8] = 9
        let crc = CRC32.checksum(Array(newer[0..<10]))
        for i in 0..<4 { newer[10 + i] = UInt8(truncatingIfNeeded: crc >> UInt32(8 * i)) }
        expectError(.unsupportedVersion, 2) { _ = try TapeReader(bytes: newer, name: "newer") }
        expectError(.truncated, 3) { _ = try TapeReader(bytes: Array(Self.tape[0..<40]), name: "short") }
        var engine = try ReplayEngine(reader: try TapeReader(bytes: Self.tape, name: "t"))
        expectError(.misuse, 1) { _ = try engine.seek(to: 5_000) }
    }

    @Test("CRC-32 matches the standard check value and detects every single-byte change of a record")
    func crc() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
        let data = (0..<64).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        let reference = CRC32.checksum(data)
        for i in data.indices {
            for flip in [1, 0x80, 0xFF] as [UInt8] {
                var changed = data
                changed[i] ^= flip
                #expect(CRC32.checksum(changed) != reference)
            }
        }
        // Continuing a checksum equals checksumming the whole.
        #expect(CRC32.checksum(Array(data[32...]), continuing: CRC32.checksum(Array(data[..<32]))) == reference)
        // Eight bytes at a time agrees with the bit-at-a-time definition at every length and alignment.
        func bitwise(_ bytes: ArraySlice<UInt8>) -> UInt32 {
            var c: UInt32 = 0xFFFF_FFFF
            for b in bytes {
                c ^= UInt32(b)
                for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            }
            return ~c
        }
        for start in 0..<8 {
            for end in start...data.count { #expect(CRC32.checksum(data[start..<end]) == bitwise(data[start..<end])) }
        }
    }
}
