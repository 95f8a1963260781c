import Foundation
import GridWorld

/// Empowerment: how much the agent's next n actions can change where it ends up — log₂ of the number of
/// distinct states it can reach in n steps — so being where many futures are open is fun.
///
/// Follows Klyubin, Polani & Nehaniv 2005 ("Empowerment: a universal agent-centric measure of control"): in
/// a deterministic world the channel capacity from n-step action sequences to the resulting state is log₂ of
/// the number of distinct reachable states. They are enumerated on copies of the world, breadth first,
/// merging copies that reach the same situation (`World.stateKey` with facing); reached states are counted
/// by `World.stateKey` without facing (position, carried thing, grid). A step that ends the episode is an
/// end: nothing follows it. Random dynamics are replayed with one fixed seed, so in a random world this is
/// the empowerment of one sampled future. Reward: empowerment of the state after the step.
public struct Empowerment: FunModel {
    public let name = "empowerment"
    public let scope = FunScope.lifetime
    public let horizon: Int
    /// The actions to enumerate; nil means `world.rules.distinctActions`.
    public let actions: [ActionPair]?
    var merged = KeyIndex(capacity: 4096)
    var counted = KeyIndex(capacity: 4096)
    var frontier: [World] = []
    var nextFrontier: [World] = []

    public init(horizon: Int = 2, actions: [ActionPair]? = nil) {
        self.horizon = max(0, horizon)
        self.actions = actions
    }

    /// Empowerment of `world` in bits. O(|actions|^horizon) world steps at worst, far fewer when paths merge;
    /// allocates the copies it steps.
    public mutating func bits(_ world: World) -> Float {
        let actions = actions ?? world.rules.distinctActions
        frontier.removeAll(keepingCapacity: true)
        frontier.append(world)
        counted.removeAll()
        for depth in 0..<horizon {
            merged.removeAll()
            nextFrontier.removeAll(keepingCapacity: true)
            let last = depth == horizon - 1
            for start in frontier {
                for action in actions {
                    var copy = start
                    var rng = SplitMix64(seed: 0xE3)
                    let t = copy.step(action, rng: &rng)
                    if last || t.terminated {
                        _ = counted.insert(copy.stateKey())
                    } else if merged.insert(copy.stateKey(includingFacing: true)).inserted {
                        nextFrontier.append(copy)
                    }
                }
            }
            swap(&frontier, &nextFrontier)
        }
        if horizon == 0 { return 0 }
        return Float(log2(Double(max(1, counted.count))))
    }

    public mutating func reward(_ step: FunInput) -> Float { bits(step.after) }
}
