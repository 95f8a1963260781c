import Foundation
import Fun
import GridWorld
import NeuralCore

/// How a skill agent's skills come about (`playgrid train --skills K --skill-method`).
public enum SkillMethod: String, CaseIterable, Sendable {
    /// DIAYN (Eysenbach et al. 2018): the discriminator learns alongside the policy, so skills and the reward that
    /// tells them apart shape each other.
    case diayn
    /// EDL (Campos et al. 2020, "Explore, Discover and Learn"): skills are fixed before the policy learns them, so the
    /// policy cannot settle two skills on one place and keep the discriminator there; see `SkillPartition`.
    case edl

    /// The entropy bonus a run of this method takes unless `--entropy` says otherwise; nil: the skills recipe's
    /// (0.003, which DIAYN needs: at 0.01 its skills wandered the whole room, and its discriminator with them). EDL's
    /// reward slopes towards every region whatever the policy does, so it can afford to search: in skill-room with
    /// K = 8 (one thread, training seeds 1–4) 0.01 gave accuracy 0.934 / 0.874 / 0.937 / 0.717 at 64M steps and
    /// 0.957 / 0.899 / 0.956 / 0.728 at 128M, where 0.003 gave 0.600 / 0.546 / 0.943 / 0.604 and 0.667 / 0.609 / 0.956 /
    /// 0.609, the skills it failed mostly left at the start (docs/skills.md).
    public var entropyBonus: Float? {
        switch self {
        case .diayn: nil
        case .edl: 0.01
        }
    }
}

/// EDL's first two stages on a room, with the oracle explorer of its paper's analysis: *explore* draws states
/// uniformly over the cells an agent can stand on; *discover* groups them into K skills, each a region of cells
/// around a centre (k-means on the cells' coordinates, which is what EDL's VQ-VAE learns when the state is a
/// position: its codebook is the centres); *learn* then trains the policy on the frozen discriminator
/// `fittedDiscriminator` returns: q(z|s), the posterior of a Gaussian decoder around each centre under a uniform
/// prior, so the reward log q(z|s) − log p(z) is highest at skill z's centre and grows on every step towards it.
///
/// DIAYN's discriminator learns from where the skills go, so two skills that settle on one place are a fixed point
/// it never leaves (docs/skills.md: K = 8 left one to three skills doubled up on 3 training seeds of 4). Here the
/// regions come first and do not move. Deterministic from `seed`.
public struct SkillPartition: Sendable, Equatable {
    /// The cells an agent can stand on, row-major.
    public let cells: [GridPoint]
    /// Per cell, the skill whose region it is in (the nearest centre; the lower skill where two are as near).
    public let region: [Int]
    /// Per skill, its region's centre (x, y): the mean of its cells.
    public let centres: [[Double]]
    public let skills: Int

    /// The decoder's standard deviation, in cells, that `fittedDiscriminator` uses unless told. With K = 8 in
    /// skill-room, 1.5 pays a skill standing at its centre's cell 0.87–0.92 ln K and leaves one (cell, skill) pair in
    /// twenty at the reward's floor; at 1 the best cells pay 0.97–0.99 ln K but a third of the pairs lie on the
    /// floor, where the reward no longer says which way the skill's region is (a first 8M-step run with a hard
    /// partition sent all eight skills to one corner).
    public static let defaultSpread = 1.5

    /// Partitions `scenario`'s standable cells into `skills` regions: k-means with k-means++ starts drawn from
    /// `seed`, Lloyd steps until no cell changes region (ties go to the lower skill). O(cells · skills) a step.
    public init(scenario: Scenario, skills: Int, seed: UInt64) throws(ScenarioProblem) {
        let map = scenario.map
        var cells: [GridPoint] = []
        for y in 0..<map.height {
            for x in 0..<map.width where map[x, y].tile.isPassable { cells.append(GridPoint(x: x, y: y)) }
        }
        guard cells.count >= skills else {
            throw ScenarioProblem("\(scenario.name) has \(cells.count) cells to stand on, too few for \(skills) skills of a region each")
        }
        self.cells = cells
        self.skills = skills
        let points = cells.map { (Double($0.x), Double($0.y)) }
        func distance(_ a: (Double, Double), _ b: (Double, Double)) -> Double {
            (a.0 - b.0) * (a.0 - b.0) + (a.1 - b.1) * (a.1 - b.1)
        }
        var rng = SplitMix64(seed: seed).derived(0xED1)
        // k-means++: each next centre a cell drawn with probability proportional to its squared distance to the nearest.
        var centres = [points[rng.below(points.count)]]
        while centres.count < skills {
            let weights = points.map { p in centres.map { distance(p, $0) }.min()! }
            var pick = rng.nextUnitDouble() * weights.reduce(0, +)
            var chosen = weights.lastIndex { $0 > 0 }!
            for (i, w) in weights.enumerated() where w > 0 {
                if pick < w { chosen = i; break }
                pick -= w
            }
            centres.append(points[chosen])
        }
        func nearest(_ p: (Double, Double)) -> Int {
            var best = 0
            for z in 1..<skills where distance(p, centres[z]) < distance(p, centres[best]) { best = z }
            return best
        }
        var region = points.map(nearest)
        for _ in 0..<1000 {
            for z in 0..<skills {
                let members = points.indices.filter { region[$0] == z }
                guard !members.isEmpty else { continue }  // a region emptied keeps its centre
                let n = Double(members.count)
                centres[z] = (members.reduce(0) { $0 + points[$1].0 } / n, members.reduce(0) { $0 + points[$1].1 } / n)
            }
            let next = points.map(nearest)
            if next == region { break }
            region = next
        }
        self.region = region
        self.centres = centres.map { [$0.0, $0.1] }
    }

    /// The region's cells of skill `z`.
    public func cells(of z: Int) -> [GridPoint] { cells.indices.filter { region[$0] == z }.map { cells[$0] } }

    /// q(·|cell) of a Gaussian decoder N(centre_z, spread² I) for each skill under a uniform prior: a softmax over
    /// −‖cell − centre_z‖² / (2 spread²).
    public func posterior(at cell: GridPoint, spread: Double) -> [Float] {
        let logits = centres.map { c in -((Double(cell.x) - c[0]) * (Double(cell.x) - c[0]) + (Double(cell.y) - c[1]) * (Double(cell.y) - c[1])) / (2 * spread * spread) }
        let top = logits.max()!
        let weights = logits.map { Foundation.exp($0 - top) }
        let sum = weights.reduce(0, +)
        return weights.map { Float($0 / sum) }
    }

    /// A discriminator that reads `features` and gives every cell its `posterior`, frozen (its SGD step is 0, so
    /// training leaves it as it is and a checkpoint resumes it frozen). Fitted by SGD on the cross-entropy to the
    /// posterior, the cells in a shuffled order each epoch, until no probability is off by more than `tolerance`
    /// or `epochs` have passed.
    public func fittedDiscriminator(features: SkillFeatures, seed: UInt64, spread: Double = defaultSpread,
                                    tolerance: Float = 0.02, epochs: Int = 20_000) -> SkillDiscriminator {
        var rng = SplitMix64(seed: seed).derived(0xED2)
        var discriminator = SkillDiscriminator(inputs: features.dimension, activeCount: features.activeCount, skills: skills,
                                               rate: 0.05, inputLayout: features.layout.rawValue, rng: &rng)
        let width = features.activeCount
        var active = ContiguousArray<Int32>(repeating: 0, count: width * cells.count)
        active.withUnsafeMutableBufferPointer { out in
            for (i, cell) in cells.enumerated() {
                features.write(at: cell, into: UnsafeMutableBufferPointer(rebasing: out[(i * width)..<((i + 1) * width)]))
            }
        }
        let targets = ContiguousArray(cells.flatMap { posterior(at: $0, spread: spread) })
        var order = Array(cells.indices)
        active.withUnsafeBufferPointer { all in
            targets.withUnsafeBufferPointer { targets in
                func state(_ i: Int) -> UnsafeBufferPointer<Int32> { UnsafeBufferPointer(rebasing: all[(i * width)..<((i + 1) * width)]) }
                func target(_ i: Int) -> UnsafeBufferPointer<Float> { UnsafeBufferPointer(rebasing: targets[(i * skills)..<((i + 1) * skills)]) }
                for _ in 0..<epochs {
                    var fitted = true
                    for i in cells.indices where fitted {
                        discriminator.classify(state(i))
                        fitted = (0..<skills).allSatisfy { abs(discriminator.probabilities[$0] - targets[i * skills + $0]) <= tolerance }
                    }
                    if fitted { break }
                    for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, rng.below(i + 1)) }
                    for i in order { discriminator.learn(state(i), towards: target(i)) }
                }
            }
        }
        discriminator.rate = 0
        return discriminator
    }
}
