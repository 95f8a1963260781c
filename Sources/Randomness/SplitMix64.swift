import RealModule

/// A small, fast, seedable generator (Steele, Lea & Flood 2014), the only source of randomness in PlayGrid.
///
/// Every random choice — the world's dynamics, an agent's sampling, a network's initial weights — draws from
/// one of these, passed `inout`, so a run is a pure function of its seed and replays are bit-exact.
public struct SplitMix64: RandomNumberGenerator, Hashable, Sendable {
    public var state: UInt64

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

    /// A uniform Float in [0, 1) with 24 random bits.
    public mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// A uniform Double in [0, 1) with 53 random bits.
    public mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A Bernoulli draw.
    public mutating func chance(_ probability: Double) -> Bool { nextUnitDouble() < probability }

    /// A standard normal draw (Box–Muller; one of the pair is discarded to keep the state simple).
    public mutating func nextNormal() -> Double {
        let u1 = max(nextUnitDouble(), 1e-300)
        let u2 = nextUnitDouble()
        return (-2 * Double.log(u1)).squareRoot() * Double.cos(2 * Double.pi * u2)
    }

    /// A Gamma(shape, 1) draw (Marsaglia–Tsang), used for Dirichlet sampling.
    public mutating func nextGamma(shape: Double) -> Double {
        if shape < 1 {
            let u = max(nextUnitDouble(), 1e-300)
            return nextGamma(shape: shape + 1) * Double.pow(u, 1 / shape)
        }
        let d = shape - 1.0 / 3.0
        let c = 1 / (9 * d).squareRoot()
        while true {
            var x = 0.0, v = 0.0
            repeat {
                x = nextNormal()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = nextUnitDouble()
            if u < 1 - 0.0331 * x * x * x * x { return d * v }
            if Double.log(max(u, 1e-300)) < 0.5 * x * x + d * (1 - v + Double.log(v)) { return d * v }
        }
    }

    /// A generator for an independent stream (one per environment or thread), advancing this one.
    public mutating func split() -> SplitMix64 { SplitMix64(seed: next()) }

    /// A generator for an independent stream, derived from this seed and a label, without advancing this one.
    public func derived(_ label: UInt64) -> SplitMix64 {
        var mixer = SplitMix64(seed: state ^ (label &* 0xD6E8_FEB8_6659_FD93))
        return SplitMix64(seed: mixer.next())
    }
}
