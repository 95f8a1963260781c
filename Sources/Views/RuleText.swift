import Engine
import GridWorld

/// A trial's hidden rules in words: how they go now (the reveal overlay's line), and what a step showed of the ones
/// it was the first in its trial to set off (the event log's discovery line).
public enum RuleText {
    /// How each declared rule goes in `world` now, in `Mechanic` order: "rocks sink in water (decoy)", "key under sand
    /// at 3,4", "bell opens the red door", "ball on a plate opens the yellow door". Empty without hidden rules.
    public static func parts(_ world: World) -> [String] {
        let rules = world.rules, m = rules.mechanics, d = world.state.mechanics.draw
        func decoy(_ rule: Mechanic) -> String { m.decoy?.outcomes.contains(rule.rawValue) == true ? " (decoy)" : "" }
        var parts: [String] = []
        if let bridge = m.bridge {
            let canSink = zip(bridge.outcomes, bridge.probabilities).contains { $0 == 0 && $1 > 0 }
            parts.append(d.bridges ? "rocks bridge water" : "rocks sink in water" + (canSink ? "" : decoy(.bridge)))
        }
        if let buried = m.buried {
            if d.buried == MechanicDraw.noCell {
                parts.append("nothing buried" + decoy(.buried))
            } else {
                let cell = rules.buriedCells[Int(d.buried)]
                let at = world.point(ofCell: cell)
                let found = world.state.mechanics.buriedFound ? " (found)" : ""
                parts.append("\(buried.thing.name) under \(cover(cell, rules)) at \(at.x),\(at.y)\(found)")
            }
        }
        if let signal = m.signal {
            parts.append(d.signal == MechanicDraw.off ? "\(names(signal.by)) opens nothing" + decoy(.signal)
                                                       : "\(names(signal.by)) opens \(doors(d.signal, rules))")
        }
        if let trigger = m.trigger {
            parts.append(d.trigger == MechanicDraw.off ? "plates open nothing" + decoy(.trigger)
                                                        : "\(names(trigger.by)) on a plate opens \(doors(d.trigger, rules))")
        }
        return parts
    }

    /// What a step showed of the rules `found` (bit `Mechanic.rawValue` each), the first in its trial to set them off:
    /// "rock made a bridge", "key found under sand", "the bell opened the red door", "the ball on the plate opened the
    /// yellow door". Read from the frame after the step and the rules in effect during it.
    public static func discovery(_ found: UInt8, frame: Frame) -> String {
        let world = frame.world, rules = world.rules, d = frame.rulesInEffect
        let events = frame.transition?.events ?? []
        var parts: [String] = []
        if found & 1 << Mechanic.bridge.rawValue != 0 {
            parts.append(events.contains(.bridged) ? "rock made a bridge" : "rock sank in the water: no bridge")
        }
        if found & 1 << Mechanic.buried.rawValue != 0, let buried = rules.mechanics.buried, d.buried != MechanicDraw.noCell {
            parts.append("\(buried.thing.name) found under \(cover(rules.buriedCells[Int(d.buried)], rules))")
        }
        if found & 1 << Mechanic.signal.rawValue != 0, d.signal != MechanicDraw.off {
            let by: Thing = events.contains(.bellRang) ? .bell : .lightSwitch
            parts.append("the \(by.name) opened \(doors(d.signal, rules))")
        }
        if found & 1 << Mechanic.trigger.rawValue != 0, d.trigger != MechanicDraw.off {
            parts.append("the \(presser(events, world).name) on the plate opened \(doors(d.trigger, rules))")
        }
        return parts.joined(separator: "; ")
    }

    /// What hid the buried thing at `cell` in the level as drawn: its rock, or its ground.
    static func cover(_ cell: Int, _ rules: World.Rules) -> String {
        rules.initialCells[cell * 3 + 1] == Thing.rock.rawValue ? "a rock" : (Tile(rawValue: rules.initialCells[cell * 3])?.name ?? "ground")
    }

    /// "the red door", or "the red doors" when the level has several of that colour.
    static func doors(_ color: UInt8, _ rules: World.Rules) -> String {
        let name = Int(color) < Aux.colorNames.count ? Aux.colorNames[Int(color)] : "colour \(color)"
        return "the \(name) door" + (rules.doorCells[safe: Int(color)]?.count ?? 0 > 1 ? "s" : "")
    }

    /// "bell", "bell or switch".
    static func names(_ things: Set<Thing>) -> String {
        things.sorted { $0.rawValue < $1.rawValue }.map(\.name).joined(separator: " or ")
    }

    /// What came to rest on the plate: a built block, a kicked ball, or what was pushed (two cells ahead of the agent).
    static func presser(_ events: Events, _ world: World) -> Thing {
        if events.contains(.built) { return .block }
        if events.contains(.ballRolled) { return .ball }
        let body = world.state.body
        return world.thing(world.neighbour(world.neighbour(body.cell, body.facing), body.facing))
    }
}
