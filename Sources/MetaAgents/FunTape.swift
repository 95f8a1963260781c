import Foundation
import Records

/// The fun a training run's rows received, step by step: what a yoked control replays. Row r at step t (counted from
/// the run's start) is at [t · width + r]. Past its end a tape pays nothing.
///
/// Stored as `PGFT`, a little-endian u32 width, then the rewards as little-endian Float32s (4 bytes a step and row:
/// 6 MB for 1.5M steps).
public struct FunTape: Sendable, Equatable {
    public let width: Int
    public private(set) var rewards: ContiguousArray<Float>

    public init(width: Int, rewards: ContiguousArray<Float> = []) {
        self.width = width
        self.rewards = rewards
    }

    public var steps: Int { width == 0 ? 0 : rewards.count / width }

    /// The fun row `row` received at step `step`; 0 past the tape's end. O(1).
    @inlinable public func reward(step: Int, row: Int) -> Float {
        let i = step &* width &+ row
        return row < width && i < rewards.count ? rewards[i] : 0
    }

    /// Appends a segment recorded step-major over all `width` rows.
    public mutating func append(_ segment: ContiguousArray<Float>) { rewards += segment }

    static let magic = FileKind.funTape.signature

    /// Writes the tape atomically (a reader never sees half of it).
    public func write(to path: String) throws(FunTapeError) {
        var bytes = Self.magic
        bytes.reserveCapacity(8 + 4 * rewards.count)
        LittleEndian.append(UInt32(width), to: &bytes)
        for r in rewards { LittleEndian.append(r.bitPattern, to: &bytes) }
        do { try AtomicFile.write(bytes, to: path) } catch { throw FunTapeError("\(path): cannot write the fun tape: \(error)") }
    }

    public static func read(from path: String) throws(FunTapeError) -> FunTape {
        guard let data = FileManager.default.contents(atPath: path) else { throw FunTapeError("\(path): cannot read the fun tape (missing or unreadable)") }
        let bytes = [UInt8](data)
        guard bytes.count >= 8, Array(bytes[0..<4]) == magic, (bytes.count - 8) % 4 == 0 else {
            throw FunTapeError("\(path): not a fun tape (expected PGFT, a width and Float32 rewards)")
        }
        let width = Int(LittleEndian.uint32(bytes, at: 4))
        var rewards = ContiguousArray<Float>()
        rewards.reserveCapacity((bytes.count - 8) / 4)
        for at in stride(from: 8, to: bytes.count, by: 4) { rewards.append(Float(bitPattern: LittleEndian.uint32(bytes, at: at))) }
        return FunTape(width: width, rewards: rewards)
    }
}

public struct FunTapeError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
