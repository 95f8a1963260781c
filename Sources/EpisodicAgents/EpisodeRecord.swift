import Agents
import GridWorld

/// The running episode of an episodic agent, a row per step: the key it acted on, the pair it chose, and the
/// task and weighted fun rewards that followed. Kept between episodes, so recording allocates nothing once grown.
struct EpisodeRecord: Sendable {
    let keySize: Int
    private(set) var keys: ContiguousArray<Float> = []
    private(set) var actions: ContiguousArray<Int32> = []
    private(set) var task: ContiguousArray<Float> = []
    private(set) var fun: ContiguousArray<Float> = []
    /// The agent's clock before the first step: step t was taken at `start + t + 1`.
    private(set) var start: UInt64 = 0

    init(keySize: Int) { self.keySize = keySize }

    /// Steps whose rewards have come.
    var count: Int { task.count }
    /// Whether the last decision still waits for its rewards.
    var awaitsRewards: Bool { actions.count > task.count }

    /// Starts an empty episode at `clock`, with room for `steps` steps.
    mutating func begin(at clock: UInt64, steps: Int) {
        keys.removeAll(keepingCapacity: true)
        actions.removeAll(keepingCapacity: true)
        task.removeAll(keepingCapacity: true)
        fun.removeAll(keepingCapacity: true)
        keys.reserveCapacity(steps * keySize)
        actions.reserveCapacity(steps)
        task.reserveCapacity(steps)
        fun.reserveCapacity(steps)
        start = clock
    }

    mutating func decided<Key: Collection<Float>>(_ key: Key, action: Int) {
        keys.append(contentsOf: key)
        actions.append(Int32(action))
    }

    mutating func rewarded(_ reward: StepReward) {
        task.append(reward.task)
        fun.append(reward.funTotal)
    }

    /// The pair chosen at the last step, if one was.
    var lastAction: Int? { actions.isEmpty ? nil : Int(actions[actions.count - 1]) }

    /// When step `t` was taken, in the agent's clock.
    func time(of t: Int) -> UInt64 { start + UInt64(t) + 1 }

    /// Calls `body` with step `t`'s key.
    func withKey<R>(of t: Int, _ body: (UnsafeBufferPointer<Float>) -> R) -> R {
        keys.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[t * keySize..<(t + 1) * keySize])) }
    }
}
