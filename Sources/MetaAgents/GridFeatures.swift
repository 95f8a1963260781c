import GridWorld
import MetaRL

/// The network's view of a gridworld observation: a few binary channels per cell of the egocentric window,
/// then what the agent carries, then where it is and which way it faces.
///
/// Raw codes (tile 0–10, thing 0–11) would tell a linear layer that a key is "between" a door and a goal;
/// channels keep kinds apart while staying small (8 floats a cell, against 23 for full one-hot).
/// Position and heading are given rather than left to path integration in the GRU: remembering where a goal
/// was, from one episode of a trial to the next, is then a matter of storing two numbers.
public enum GridFeatures {
    public static let channels = 8
    /// Floats after the window: carried kind (4), energy, normalised x and y, one-hot heading (4).
    public static let tailSize = 11

    /// Floats per observation for a view of this size.
    public static func size(viewSize: Int) -> Int { viewSize * viewSize * channels + tailSize }

    /// Floats per observation for a view of this size, followed by a one-hot skill of `skills` (0: none) and,
    /// for a goal-conditioned agent, the goal (`goalSize`).
    public static func size(viewSize: Int, skills: Int, goals: Bool = false) -> Int {
        size(viewSize: viewSize) + skills + (goals ? goalSize : 0)
    }

    /// Floats that tell a goal-conditioned agent its goal cell: where it is (normalised x and y, as the agent's own
    /// position is), the offset from the agent to it, and whether there is one. The offset is given rather than left
    /// to a subtraction the network would have to learn, as position is given rather than integrated.
    public static let goalSize = 5

    /// The name a checkpoint records for an agent told its goal cell.
    public static let goalCell = "cell"

    /// The encoding as checkpoints record it. Version 2 added position and heading to the tail; bump it
    /// whenever the same inputs come to mean something else, so older agents are refused rather than misled.
    /// (Giving plates and bridges their values did not: no scenario an agent was shipped for holds them, every
    /// cell of those reads as before, and a bridge reads as what it is to the agent, ground a rock filled.)
    /// A skill-conditioned agent (`skills` > 0) reads the one-hot of its skill after the features.
    /// A goal-conditioned agent (`goals`) reads its goal cell (`goalSize` floats) last; agents without goals read
    /// exactly what they did before goals existed, and their checkpoints record no goal input.
    public static func layout(viewSize: Int, skills: Int = 0, goals: Bool = false) -> ObservationEncoding {
        ObservationEncoding(name: "grid-features", version: 2, viewSize: viewSize,
                            size: size(viewSize: viewSize, skills: skills, goals: goals),
                            skills: skills > 0 ? skills : nil, goals: goals ? goalCell : nil)
    }

    /// Writes the features of `world`, the one-hot of `skill` among `skills`, then (with `goals`) the goal cell
    /// into `out` (`size(viewSize:skills:goals:)` floats). No allocation.
    public static func encode(_ world: World, skill: Int, of skills: Int, goals: Bool = false, bytes: UnsafeMutableBufferPointer<UInt8>,
                              into out: UnsafeMutableBufferPointer<Float>) {
        let n = size(viewSize: world.rules.viewSize)
        encode(world, bytes: bytes, into: UnsafeMutableBufferPointer(rebasing: out[0..<n]))
        for z in 0..<skills { out[n + z] = z == skill ? 1 : 0 }
        if goals { encodeGoal(world, into: UnsafeMutableBufferPointer(rebasing: out[(n + skills)..<(n + skills + goalSize)])) }
    }

    /// Writes the goal cell's `goalSize` floats: the world's goal is the goal, so a reach-goal scenario run or
    /// watched tells the agent its own goal, and a curriculum sets a goal by placing it. All zero without a goal.
    /// O(cells), no allocation.
    public static func encodeGoal(_ world: World, into out: UnsafeMutableBufferPointer<Float>) {
        for k in 0..<goalSize { out[k] = 0 }
        let (w, h) = (world.width, world.height)
        for y in 0..<h {
            for x in 0..<w where world.thing(world.cell(at: GridPoint(x: x, y: y))) == .goal {
                let at = world.agentPosition
                let sx = Float(max(1, w - 1)), sy = Float(max(1, h - 1))
                out[0] = Float(x) / sx
                out[1] = Float(y) / sy
                out[2] = Float(x - at.x) / sx
                out[3] = Float(y - at.y) / sy
                out[4] = 1
                return
            }
        }
    }

    /// Channel values for every (tile, thing, on-bit) combination, `channels` floats each, looked up per cell.
    static let table: ContiguousArray<Float> = {
        var rows = ContiguousArray<Float>()
        for code in 0..<(16 * 16 * 2) {
            let tile = Tile(rawValue: UInt8(code / 32)) ?? .void
            let thing = Thing(rawValue: UInt8(code / 2 % 16)) ?? .none
            let on = code % 2 == 1
            var f = [Float](repeating: 0, count: channels)
            f[0] = tile.isPassable ? 0 : 1                                  // blocked ground
            f[1] = tile == .sand || tile == .hole ? 1 : 0                    // soft ground
            f[2] = thing == .goal ? 1 : 0
            f[3] = thing == .rock || thing == .ball || thing == .block ? 1 : 0  // movable
            f[4] = thing == .key ? 1 : 0
            f[5] = thing == .door ? (on ? 0.5 : 1) : 0                       // closed door 1, open 0.5
            f[6] = [.bell, .lightSwitch, .lamp, .fruit, .lever].contains(thing) ? (on ? 0.5 : 1) : 0
            // Marked ground: a pad, or ground a rock filled (sunk into sand, or bridging water); a plate, half.
            f[7] = tile == .pad || tile == .sunkRock || tile == .bridge ? 1 : tile == .plate ? 0.5 : 0
            rows += f
        }
        return rows
    }()

    /// Writes the features of `world`'s current observation into `out` (`size(viewSize:)` floats); `bytes`
    /// (`ObservationLayout.size` long) is scratch for the raw observation. No allocation.
    public static func encode(_ world: World, bytes: UnsafeMutableBufferPointer<UInt8>, into features: UnsafeMutableBufferPointer<Float>) {
        precondition(features.count == size(viewSize: world.rules.viewSize),
                     "GridFeatures: \(size(viewSize: world.rules.viewSize)) floats for a \(world.rules.viewSize)-cell view, got \(features.count)")
        world.observe(into: bytes)
        let observation = UnsafeBufferPointer(bytes)
        let cells = world.rules.viewSize * world.rules.viewSize
        let out = features.baseAddress!
        table.withUnsafeBufferPointer { table in
            for c in 0..<cells {
                let tile = Int(observation[c * 3] & 0x0F), thing = Int(observation[c * 3 + 1] & 0x0F)
                let on = Aux.isOn(observation[c * 3 + 2]) ? 1 : 0
                (out + c * channels).update(from: table.baseAddress! + (tile * 32 + thing * 2 + on) * channels, count: channels)
            }
        }
        let tail = out + cells * channels
        let carried = Thing(rawValue: observation[cells * 3]) ?? .none
        tail[0] = carried == .key ? 1 : 0
        tail[1] = carried == .ball ? 1 : 0
        tail[2] = carried == .block ? 1 : 0
        tail[3] = carried == .none ? 0 : 1
        tail[4] = Float(observation[cells * 3 + 3]) / 32
        let at = world.agentPosition
        tail[5] = Float(at.x) / Float(max(1, world.width - 1))
        tail[6] = Float(at.y) / Float(max(1, world.height - 1))
        let facing = Int(observation[cells * 3 + 2])
        for d in 0..<4 { tail[7 + d] = d == facing ? 1 : 0 }
    }
}
