import NeuralCore

/// Central finite differences against an analytic gradient, with a tolerance suited to Float32 forwards.
struct GradientCheck {
    var step: Float = 3e-3
    var relativeTolerance: Double = 2e-2
    var absoluteTolerance: Double = 2e-3

    /// Returns a description of every index whose numeric and analytic derivatives disagree (empty = pass).
    func mismatches(values: ContiguousArray<Float>, analytic: ContiguousArray<Float>, indices: [Int],
                    loss: (ContiguousArray<Float>) -> Double) -> [String] {
        var failures: [String] = []
        for i in indices {
            var plus = values, minus = values
            plus[i] += step
            minus[i] -= step
            let numeric = (loss(plus) - loss(minus)) / Double(2 * step)
            let a = Double(analytic[i])
            if abs(numeric - a) > absoluteTolerance + relativeTolerance * max(abs(numeric), abs(a)) {
                failures.append("index \(i): analytic \(a), numeric \(numeric)")
            }
        }
        return failures
    }
}

/// Deterministic test data.
func randomArray(_ count: Int, _ rng: inout SplitMix64, scale: Float = 1) -> ContiguousArray<Float> {
    ContiguousArray((0..<count).map { _ in (rng.nextUnitFloat() * 2 - 1) * scale })
}

/// A spread of indices covering the start, end and interior of a buffer (every index when it is small).
func sampleIndices(_ count: Int, limit: Int = 60) -> [Int] {
    if count <= limit { return Array(0..<count) }
    let stride = Double(count - 1) / Double(limit - 1)
    return (0..<limit).map { Int((Double($0) * stride).rounded()) }
}

func dot(_ a: ContiguousArray<Float>, _ b: ContiguousArray<Float>) -> Double {
    var s = 0.0
    for i in 0..<a.count { s += Double(a[i]) * Double(b[i]) }
    return s
}
