/// FNV-1a, 64-bit: a fixed, dependency-free fingerprint of a text, stable across runs, machines and Swift
/// versions (unlike `Hasher`). It names things (scenario files, cached training cells); CRC-32 guards bytes.
public enum FNV1a {
    static let offsetBasis: UInt64 = 0xCBF2_9CE4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01B3

    /// The fingerprint of `text`'s UTF-8 bytes. O(n).
    public static func hash64(_ text: String) -> UInt64 {
        var h = offsetBasis
        for byte in text.utf8 {
            h ^= UInt64(byte)
            h &*= prime
        }
        return h
    }

    /// The fingerprint as 16 lower-case hex digits, for file names and records.
    public static func hex64(_ text: String) -> String {
        let digits = String(hash64(text), radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
