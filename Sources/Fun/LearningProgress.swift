import GridWorld
import NeuralCore

/// Per-region prediction experts and how fast each one's error is falling: the memory of learning progress.
///
/// Each region (a context: a part of the map, a kind of situation) has its own small predictor and two
/// running averages of its error, a fast and a slow one; progress is slow − fast, positive while the error
/// falls, near zero both where everything is already known and where nothing can be learned.
public struct ProgressCore: Sendable, Codable {
    public var experts: [SparseMLP]
    /// Fast and slow exponential averages of each region's error.
    public var fast: [Float]
    public var slow: [Float]
    var seen: [Bool]
    public var rate: Float
    public var fastRate: Float
    public var slowRate: Float

    public init(regions: Int, inputs: Int, outputs: Int, activeCount: Int, hidden: Int = 16, rate: Float = 0.05,
                fastRate: Float = 0.1, slowRate: Float = 0.01, seed: UInt64) {
        var rng = SplitMix64(seed: seed).derived(0x1B)
        experts = (0..<regions).map { _ in
            SparseMLP(inputs: inputs, hidden: hidden, outputs: outputs, activeCount: activeCount, rng: &rng)
        }
        fast = Array(repeating: 0, count: regions)
        slow = fast
        seen = Array(repeating: false, count: regions)
        self.rate = rate
        self.fastRate = fastRate
        self.slowRate = slowRate
    }

    public var regions: Int { experts.count }

    /// Learning progress of a region now: how much its error has recently fallen.
    public func progress(_ region: Int) -> Float { slow[region] - fast[region] }

    /// Trains the region's expert on one example and returns its error (before learning) and the region's
    /// progress after it. O(active · hidden), no allocation.
    public mutating func observe(region: Int, input: UnsafeBufferPointer<Int32>, target: UnsafeBufferPointer<Float>) -> (error: Float, progress: Float) {
        let error = experts[region].train(input, target: target, rate: rate)
        if seen[region] {
            fast[region] += fastRate * (error - fast[region])
            slow[region] += slowRate * (error - slow[region])
        } else {
            seen[region] = true
            fast[region] = error
            slow[region] = error
        }
        return (error, progress(region))
    }
}

/// Learning progress: fun is the decrease of a predictor's error over time (compression progress), so the
/// agent seeks what it is learning, not what it knows or what it can never learn.
///
/// Follows Oudeyer, Kaplan & Hafner 2007 (Intelligent Adaptive Curiosity: per-region experts, progress as
/// the fall of each region's error) and Schmidhuber 1991/2010 (compression progress). Regions are 4×4 blocks
/// of the map; each expert predicts the random features of the next observation (as `curiosity` does) from
/// the state and the action. Reward: the region's progress after the step.
public struct LearningProgress: FunModel {
    public let name = "progress"
    public let scope = FunScope.lifetime
    public var state: ProgressCore
    var step: ForwardModelStep
    var features: FeatureSpace { step.features }
    /// Side of a region in cells.
    public static let block = 4

    public func validate(_ saved: ProgressCore) throws(FunStateError) {
        guard saved.regions == state.regions, saved.fast.count == saved.regions, saved.slow.count == saved.regions,
              saved.seen.count == saved.regions else {
            throw FunStateError("cannot restore fun model '\(name)': its saved state has \(saved.regions) regions, this world has \(state.regions)")
        }
        for expert in saved.experts { try expert.mustMatch(state.experts[0], model: name, part: "expert") }
    }

    public init(features: FeatureSpace, seed: UInt64, hidden: Int = 16) {
        var rng = SplitMix64(seed: seed).derived(0x9A)
        let size = Curiosity.embeddingSize
        let embedding = SparseMLP(inputs: features.dimension, hidden: 32, outputs: size, activeCount: features.activeCount, rng: &rng)
        let across = (features.width + Self.block - 1) / Self.block
        let down = (features.height + Self.block - 1) / Self.block
        state = ProgressCore(regions: across * down, inputs: ForwardModelStep.inputs(features), outputs: size,
                             activeCount: ForwardModelStep.activeCount(features), hidden: hidden, seed: rng.next())
        step = ForwardModelStep(features: features, embedding: embedding)
    }

    /// The region of the map the agent stands in before the step.
    public func region(of world: World) -> Int {
        let p = world.agentPosition
        let across = (features.width + Self.block - 1) / Self.block
        let x = min(max(p.x, 0), features.width - 1) / Self.block
        let y = min(max(p.y, 0), features.height - 1) / Self.block
        return min(y * across + x, state.regions - 1)
    }

    public mutating func reward(_ step: FunInput) -> Float {
        let region = region(of: step.before)
        return self.step.withInputAndTarget(step) { active, target in state.observe(region: region, input: active, target: target).progress }
    }
}
