import Agents
import Fun
import GridWorld
import Testing

/// bsuite's Deep Sea (Osband et al. 2019): an N×N triangle walked from the top-left, one row down per step.
/// At every cell one of the two actions (which one is drawn per cell) goes right at a cost of 0.01/N, the
/// other left for free; only a walk that keeps going right finds the treasure (+1) at the bottom-right.
struct DeepSea {
    let size: Int
    /// Whether action 1 is "right" at each cell.
    let rightIsOne: [Bool]

    init(size: Int, seed: UInt64) {
        self.size = size
        var rng = SplitMix64(seed: seed)
        rightIsOne = (0..<(size * size)).map { _ in rng.below(2) == 1 }
    }

    /// How the learner is driven.
    struct Learner {
        var optimism: Float
        var exploration: Double
        /// β of the count-based novelty bonus β/√N(s′), 0 for none.
        var novelty: Float
        var rate: Float = 1
    }

    /// The first episode (from 1) that finds the treasure, or nil within `episodes`.
    func episodesToTreasure(_ learner: Learner, episodes: Int, seed: UInt64) -> Int? {
        var q = TabularQ(actionCount: 2, initialValue: learner.optimism)
        var counts = VisitCounts()
        var rng = SplitMix64(seed: seed)
        for episode in 1...episodes {
            var (row, col) = (0, 0)
            var found = false
            while row < size {
                let key = UInt64(row * size + col)
                let a = q.choose(key, exploration: learner.exploration, rng: &rng)
                let right = (a == 1) == rightIsOne[row * size + col]
                var reward: Float = right ? -0.01 / Float(size) : 0
                col = right ? min(col + 1, size - 1) : max(col - 1, 0)
                row += 1
                if row == size && col == size - 1 {
                    reward += 1
                    found = true
                }
                let next = UInt64(row * size + col)
                if learner.novelty > 0 { reward += learner.novelty / Float(counts.visit(next)).squareRoot() }
                q.update(key, a, reward: reward, next: row == size ? nil : next, rate: learner.rate, discount: 1)
            }
            if found { return episode }
        }
        return nil
    }
}

@Suite struct DeepSeaTests {
    static let seeds: ClosedRange<UInt64> = 1...20

    static func solved(_ learner: DeepSea.Learner, episodes: Int) -> [Int] {
        seeds.compactMap { seed in DeepSea(size: 10, seed: seed).episodesToTreasure(learner, episodes: episodes, seed: seed &+ 100) }
    }

    @Test("count novelty with optimism finds Deep Sea N=10's treasure in 20 of 20 seeds, median near 80 episodes")
    func noveltySolves() {
        let found = Self.solved(.init(optimism: 1, exploration: 0, novelty: 0.1), episodes: 3000)
        #expect(found.count == 20)
        #expect((60...100).contains(median(found)), "median \(median(found)) of \(found.sorted())")
    }

    @Test("ε-greedy Q-learning (ε = 0.1, zero initial values) finds it in none of 20 seeds within 3000 episodes")
    func epsilonGreedyFails() {
        #expect(Self.solved(.init(optimism: 0, exploration: 0.1, novelty: 0, rate: 0.5), episodes: 3000).isEmpty)
    }
}
