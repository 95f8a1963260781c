/// A small, fast, seedable generator (Steele, Lea & Flood 2014).
///
/// Everything random in PlayGrid draws from one of these, passed `inout`, so a run is a pure function of its seed.
public struct SplitMix64: RandomNumberGenerator, Hashable, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }


    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<bound` by Lemire's multiply-shift (bias below 2⁻³² for small bounds). O(1).

    public mutating func below(_ bound: Int) -> Int {
        Int((UInt64(UInt32(truncatingIfNeeded: next() >> 32)) &* UInt64(bound)) >> 32)
    }

    /// A uniform Double in [0, 1) from the top 53 bits.

    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A Bernoulli draw.

    public mutating func chance(_ probability: Double) -> Bool { unit() < probability }

    /// A generator for an independent stream, derived from this seed and a label, without advancing this one.
    public func derived(_ label: UInt64) -> SplitMix64 {
        var mixer = SplitMix64(seed: state ^ (label &* 0xD6E8_FEB8_6659_FD93))
        return SplitMix64(seed: mixer.next())
    }
}
