import GridWorld

/// What a map can hold in some MDP of its family: the template's cells, and every look its picks may give.
struct MapContents {
    let looks: [(tile: Tile, thing: Thing, aux: UInt8)]

    init(_ map: MapTemplate, _ picks: [Pick]) {
        looks = map.tiles.indices.map { (map.tiles[$0], map.things[$0], map.aux[$0]) } + picks.map { ($0.tile, $0.thing, $0.aux) }
    }

    func contains(_ test: (Tile, Thing, UInt8) -> Bool) -> Bool { looks.contains { test($0.tile, $0.thing, $0.aux) } }
}

/// Reads a scenario's `mechanics:` section, checking each rule against what the map can hold.
struct MechanicsReader {
    let map: MapContents

    func mechanics(_ node: YAMLNode) throws(ScenarioFileError) -> Mechanics {
        var m = Mechanics()
        var decoy: YAMLNode?
        for (key, keyNode, value) in try node.mapping("mechanics", allowed: Mechanic.allCases.map(\.name) + ["decoy"]) {
            switch key {
            case "bridge":
                guard map.contains({ tile, _, _ in tile == .water }), map.contains({ _, thing, _ in thing == .rock }) else {
                    throw keyNode.error("bridge needs water (~) and a rock (o) in the map, for rocks to be pushed into the water")
                }
                m.bridge = try odds(value, "bridge outcome", names: ["bridge", "sink"]) { name, _ in name == "bridge" ? 1 : 0 }
            case "buried":
                m.buried = try buried(value)
            case "signal":
                m.signal = try doorRule(value, at: keyNode, rule: "signal", by: [.bell, .lightSwitch], timed: true)
            case "trigger":
                guard map.contains({ tile, _, _ in tile == .plate }) else {
                    throw keyNode.error("trigger needs a plate (+) in the map, for things to be brought onto")
                }
                m.trigger = try doorRule(value, at: keyNode, rule: "trigger", by: [.ball, .block, .rock], timed: false)
            default:
                decoy = value
            }
        }
        if let decoy {
            let declared = m.declared.map(\.name)
            let odds = try odds(decoy, "decoy rule", names: Mechanic.allCases.map(\.name)) { name, at throws(ScenarioFileError) in
                guard declared.contains(name), let rule = Mechanic(name: name) else {
                    throw at.error("decoy names \(name), which this mechanics section does not declare")
                }
                return rule.rawValue
            }
            guard odds.outcomes.count >= 2 else {
                throw decoy.error("a decoy group needs at least two rules: one works each trial, the others are decoys")
            }
            m.decoy = odds
        }
        return m
    }

    /// One outcome (a name), several (a list: one drawn uniformly), or names with probabilities adding up to 1.
    /// `code` turns each name into its outcome byte, or throws at its node.
    func odds(_ node: YAMLNode, _ what: String, names: [String],
              code: (String, YAMLNode) throws(ScenarioFileError) -> UInt8) throws(ScenarioFileError) -> Odds {
        var outcomes: [UInt8] = [], probabilities: [Double] = []
        func add(_ n: YAMLNode) throws(ScenarioFileError) {
            let name = try n.name(what, { names.contains($0) ? $0 : nil }, known: names)
            let outcome = try code(name, n)
            guard !outcomes.contains(outcome) else { throw n.error("\(what) '\(name)' appears twice") }
            outcomes.append(outcome)
        }
        if case .mapping = node.node {
            for (_, keyNode, p) in try node.mapping("\(what) probabilities") {
                try add(keyNode)
                probabilities.append(try p.number("the probability of \(try keyNode.string(what))", in: 0...1))
            }
            let sum = probabilities.reduce(0, +)
            guard abs(sum - 1) < 1e-6 else {
                throw node.error("the \(what) probabilities add up to \(sum); they must add up to 1")
            }
        } else {
            for n in try node.list("\(what)s") { try add(n) }
            probabilities = Array(repeating: 1 / Double(max(1, outcomes.count)), count: outcomes.count)
        }
        guard !outcomes.isEmpty else { throw node.error("expected at least one \(what): \(names.joined(separator: ", "))") }
        return Odds(outcomes, probabilities: probabilities)
    }

    func buried(_ node: YAMLNode) throws(ScenarioFileError) -> BuriedRule {
        let buriable: [Thing] = [.key, .ball, .block, .goal, .fruit]
        var thing: Thing?, aux: UInt8 = 0, under: Set<BuriedRule.Cover> = [], underNode: YAMLNode?
        for (k, _, v) in try node.mapping("buried", allowed: ["thing", "color", "under"]) {
            switch k {
            case "thing":
                thing = try v.name("buried thing", { Thing(name: $0).flatMap { buriable.contains($0) ? $0 : nil } }, known: buriable.map(\.name))
            case "color":
                aux = UInt8(try v.name("colour", { Aux.colorNames.firstIndex(of: $0) }, known: Aux.colorNames))
            default:
                underNode = v
                under = Set(try v.list("what may hide it").map { (n: YAMLNode) throws(ScenarioFileError) -> BuriedRule.Cover in
                    try n.name("cover", BuriedRule.Cover.init(name:), known: BuriedRule.Cover.allCases.map(\.name))
                })
            }
        }
        guard let thing else { throw node.error("buried needs a thing: \(buriable.map(\.name).joined(separator: ", "))") }
        guard let underNode, !under.isEmpty else {
            throw node.error("buried needs under: what may hide the \(thing.name) (sand, grass, rock)")
        }
        let rule = BuriedRule(thing: thing, aux: aux, under: under)
        guard map.contains({ tile, thing, _ in rule.covers(tile, thing) }) else {
            let covers = BuriedRule.Cover.allCases.filter(under.contains).map { $0 == .rock ? "rock" : "bare \($0.name)" }
            throw underNode.error("no cell can hide the \(thing.name): the map has no \(covers.joined(separator: " or "))")
        }
        return rule
    }

    /// A signal's or trigger's settings: what sets it off (`by`, of `allowed`), the doors it opens, and for how long.
    func doorRule(_ node: YAMLNode, at keyNode: YAMLNode, rule: String, by allowed: [Thing], timed: Bool) throws(ScenarioFileError) -> DoorRule {
        var by = Set(allowed.filter { $0 != .rock }), byNode = keyNode, opens: Odds?, duration: Int?
        for (k, _, v) in try node.mapping(rule, allowed: timed ? ["by", "opens", "for"] : ["by", "opens"]) {
            switch k {
            case "by":
                byNode = v
                by = Set(try v.list("what sets the \(rule) off").map { (n: YAMLNode) throws(ScenarioFileError) -> Thing in
                    try n.name("\(rule) thing", { Thing(name: $0).flatMap { allowed.contains($0) ? $0 : nil } },
                               known: allowed.map(\.name))
                })
            case "opens":
                opens = try odds(v, "door colour", names: Aux.colorNames) { name, at throws(ScenarioFileError) in
                    let color = UInt8(Aux.colorNames.firstIndex(of: name) ?? 0)
                    guard map.contains({ _, thing, aux in thing == .door && Aux.color(aux) == color }) else {
                        throw at.error("no \(name) door in the map for the \(rule) to open")
                    }
                    return color
                }
            default:
                duration = try v.int("for (steps the doors stay open)", in: 1...100_000)
            }
        }
        guard let opens else {
            throw node.error("\(rule) needs opens: the colour of the doors it opens (a list or probabilities: one drawn per trial)")
        }
        guard map.contains({ _, thing, _ in by.contains(thing) }) else {
            let names = allowed.filter(by.contains).map(\.name)
            throw byNode.error("nothing in the map sets the \(rule) off: it has no \(names.joined(separator: " or "))")
        }
        return DoorRule(by: by, opens: opens, duration: duration)
    }
}
