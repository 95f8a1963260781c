/// A colour ramp from cold to hot for overlays (visit counts, fun, values).
///
/// Colours are blended in RGB between evenly spaced stops; the backend then maps them to what the
/// terminal can show.
public struct HeatRamp: Equatable, Sendable {
    public let stops: [Color]

    /// A ramp through `stops` (at least one).
    public init(stops: [Color]) {
        precondition(!stops.isEmpty, "a heat ramp needs at least one colour")
        self.stops = stops
    }

    /// The colour at `t` in 0...1 (clamped; NaN counts as 0).
    public func color(at t: Double) -> Color {
        guard stops.count > 1 else { return stops[0] }
        let u = t.isNaN ? 0 : min(1, max(0, t))
        let position = u * Double(stops.count - 1)
        let index = min(stops.count - 2, Int(position))
        return stops[index].mixed(with: stops[index + 1], position - Double(index))
    }

    /// The colour for `value` within `range` (values outside it are clamped).
    public func color(for value: Double, in range: ClosedRange<Double>) -> Color {
        let span = range.upperBound - range.lowerBound
        return color(at: span > 0 ? (value - range.lowerBound) / span : 1)
    }
}
