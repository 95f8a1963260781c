import Foundation
import GridWorld

/// Small worlds built in code for the fun models' known properties.
enum Rooms {
    /// An open `side × side` room of floor with nothing in it and no task (the map's edge is its wall).
    static func open(side: Int, start: GridPoint, maxSteps: Int = 100, viewSize: Int = 7) -> Scenario {
        var map = MapTemplate(width: side, height: side)
        map.agentStart = start
        return Scenario(name: "open-\(side)", map: map, task: .none, play: [], maxSteps: maxSteps, viewSize: viewSize)
    }

    static func world(_ scenario: Scenario) -> World {
        World(scenario: scenario, level: try! scenario.sample(seed: 1))
    }

    /// The four moves and stay: the action set of the empowerment literature's gridworlds.
    static let fiveActions: [ActionPair] = [.stay, .up, .down, .left, .right].map { ActionPair($0) }
}

/// Entropy (nats) of a histogram.
func entropy(_ counts: [Int]) -> Double {
    let total = Double(counts.reduce(0, +))
    return counts.reduce(0.0) { $1 == 0 ? $0 : $0 - Double($1) / total * log(Double($1) / total) }
}

func median(_ values: [Int]) -> Double {
    let s = values.sorted()
    return s.count % 2 == 1 ? Double(s[s.count / 2]) : Double(s[s.count / 2 - 1] + s[s.count / 2]) / 2
}
