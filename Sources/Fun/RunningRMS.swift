/// The running root-mean-square of a signal, for scale-free intrinsic rewards.
///
/// RND (Burda et al. 2019) divides its reward by a running estimate of its spread; the RMS over the model's
/// life does that and stays finite from the first step (the first normalised value is 1).
public struct RunningRMS: Hashable, Sendable, Codable {
    public private(set) var count: Double = 0
    public private(set) var meanSquare: Double = 0

    public init() {}

    /// Adds `x` and returns `x` divided by the RMS so far (0 while everything seen is 0).
    public mutating func normalise(_ x: Float) -> Float {
        count += 1
        meanSquare += (Double(x) * Double(x) - meanSquare) / count
        return meanSquare > 0 ? Float(Double(x) / meanSquare.squareRoot()) : 0
    }
}
