/// The yoked control's fun in a run: step k pays what a partner received at step k of its own run on the same MDPs,
/// whatever this agent does, so it gets as much fun as the partner at times not tied to its own play.
public struct YokedFun: FunModel {
    public var name: String { "yoked" }
    public var scope: FunScope { .lifetime }
    /// The partner's fun, step by step from its run's start.
    let stream: [Float]
    var step = 0

    public init(stream: [Float]) { self.stream = stream }

    /// The partner's fun at this step's index (0 past the end of its run). O(1).
    public mutating func reward(_ input: FunInput) -> Float {
        defer { step += 1 }
        return step < stream.count ? stream[step] : 0
    }
}
