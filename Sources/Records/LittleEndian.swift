/// 32-bit words as PlayGrid's binary files store them, least significant byte first: checkpoints, skill files, fun
/// tapes and tape records all read and write their lengths, versions, checksums and Float32s this way.
public enum LittleEndian {
    /// Appends the four bytes of `value`. O(1).
    @inlinable public static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes.append(UInt8(value & 0xFF)); bytes.append(UInt8((value >> 8) & 0xFF))
        bytes.append(UInt8((value >> 16) & 0xFF)); bytes.append(UInt8(value >> 24))
    }

    /// The word whose four bytes begin at `offset` (which must leave four bytes). O(1).
    @inlinable public static func uint32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }
}
