import Foundation
import GridWorld
import Spelling
import Yams

/// Reads scenario files (`scenarios/*.yaml`) into `Scenario` values. See docs/scenario-format.md.
public enum ScenarioFile {
    /// Files larger than this are refused before parsing: no honest scenario is near it.
    public static let maximumBytes = 4 << 20

    static let topLevelKeys = ["name", "summary", "map", "legend", "task", "play", "delight", "coupling",
                               "episode", "trial", "view", "distribution", "mechanics", "dynamics"]

    /// Loads and checks one file, including that its MDPs can be drawn and solved.
    public static func load(path: String) throws(ScenarioFileError) -> Scenario {
        let data: Data
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ScenarioFileError(file: path, line: 1, column: 1, "no such file")
        }
        guard !isDirectory.boolValue else { throw ScenarioFileError(file: path, line: 1, column: 1, "is a folder, expected a scenario file") }
        // A device or a FIFO is no file to read whole: /dev/zero never ends (Foundation said "permission"), a FIFO
        // waits for a writer. stat follows a symbolic link to the file it names.
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG {
            throw ScenarioFileError(file: path, line: 1, column: 1, "is not a regular file (a device, FIFO or socket), expected a scenario file (YAML)")
        }
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            if let size = attributes[.size] as? Int, size > maximumBytes {
                // In bytes: whole MiB rounded a file just over the limit down to it ("4 MiB; at most 4 MiB").
                throw ScenarioFileError(file: path, line: 1, column: 1,
                                        "file is \(size) bytes; a scenario file is at most \(maximumBytes) (\(maximumBytes >> 20) MiB; maps at most \(maximumMapSide)×\(maximumMapSide))")
            }
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch let error as ScenarioFileError {
            throw error
        } catch {
            throw ScenarioFileError(file: path, line: 1, column: 1, "cannot be read: \(error.localizedDescription)")
        }
        return try parse(data: data, file: path)
    }

    /// Parses file contents; `file` names it in errors.
    public static func parse(data: Data, file: String) throws(ScenarioFileError) -> Scenario {
        try parse(text: text(of: data, file: file, expecting: "a YAML text file"), file: file)
    }

    /// The text of a YAML file, refusing binary data (a control character) and bytes that are not UTF-8 at their line
    /// and column (in characters), as a hand-edited file saved in Latin-1 has one "é" far down to find.
    public static func text(of data: Data, file: String, expecting what: String) throws(ScenarioFileError) -> String {
        var bytes = data.makeIterator(), decoder = Unicode.UTF8()
        var line = 1, column = 1
        while true {
            switch decoder.decode(&bytes) {
            case .scalarValue(let scalar):
                if scalar.value < 0x20 && !["\n", "\r", "\t"].contains(scalar) {
                    throw ScenarioFileError(file: file, line: line, column: column, "binary data (byte 0x\(String(scalar.value, radix: 16))); expected \(what)")
                }
                if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
            case .error:
                throw ScenarioFileError(file: file, line: line, column: column, "not UTF-8 text; expected \(what)")
            case .emptyInput:
                return String(decoding: data, as: UTF8.self)
            }
        }
    }

    public static func parse(text: String, file: String) throws(ScenarioFileError) -> Scenario {
        let root = try YAMLNode.document(text: text, file: file, expecting: "a scenario with name, map and task")
        // Split on every line break YAML knows: in Swift "\r\n" is one Character, which no split on "\n" cuts.
        var reader = Reader(file: file, lines: text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline))
        return try reader.scenario(root, text: text)
    }

    static func located(_ error: YamlError, file: String) -> ScenarioFileError {
        // libyaml's nesting limit names its C setter, of no use to whoever wrote the file.
        func clean(_ problem: String) -> String {
            problem.replacingOccurrences(of: "\n", with: " ")
                .replacingOccurrences(of: "Maximum nesting level reached, set with yaml_set_max_nest_level())", with: "nested more than 1000 levels deep")
        }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            // The construct's start (an unclosed quote's or bracket's) is often far above where the scanner gave up.
            let while_ = context.map { c in
                c.mark.line == mark.line && c.mark.column == mark.column ? " (\(clean(c.text)))"
                    : " (\(clean(c.text)) that starts at line \(c.mark.line), column \(c.mark.column))"
            } ?? ""
            return ScenarioFileError(file: file, line: mark.line, column: mark.column, "invalid YAML: \(clean(problem))\(while_)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ScenarioFileError(file: file, line: context.mark.line, column: context.mark.column,
                                     "key '\(duplicates.joined(separator: "', '"))' appears twice")
        case .reader(let problem, _, _, _):
            return ScenarioFileError(file: file, line: 1, column: 1, "unreadable text: \(clean(problem))")
        default:
            return ScenarioFileError(file: file, line: 1, column: 1, "invalid YAML: \(error)")
        }
    }
}

/// Walks the document, turning each section into its part of the scenario.
private struct Reader {
    let file: String
    let lines: [Substring]

    mutating func scenario(_ root: YAMLNode, text: String) throws(ScenarioFileError) -> Scenario {
        let entries = try root.mapping("the scenario", allowed: ScenarioFile.topLevelKeys)
        func value(_ key: String) -> YAMLNode? { entries.first { $0.key == key }?.value }
        func required(_ key: String, _ what: String) throws(ScenarioFileError) -> YAMLNode {
            guard let node = value(key) else {
                throw ScenarioFileError(file: file, line: root.line, column: root.column, "missing '\(key)': expected \(what)")
            }
            return node
        }
        let nameNode = try required("name", "the scenario's name")
        let name = try nameNode.string("the scenario's name")
        guard nameNode.node.null == nil, !name.allSatisfy(\.isWhitespace) else {
            throw nameNode.error("the scenario's name is empty; expected one, e.g. name: my-world")
        }
        // The name is printed as it is, in tables, tape headers and on the screen, where a quoted "\n", "\t" or "\e"
        // in it broke a line or sent an escape sequence to the terminal.
        if let c = name.unicodeScalars.first(where: { $0.properties.generalCategory == .control }) {
            throw nameNode.error("the scenario's name holds a control character (U+\(String(format: "%04X", c.value))); expected one line of text")
        }
        // The name names files too (train --tapes writes NAME.tape), where "../../x" wrote one outside the folder.
        if name.contains("/") {
            throw nameNode.error("the scenario's name holds '/'; it names files (train --tapes writes NAME.tape), so expected one without, e.g. name: my-world")
        }
        var legend = Dictionary(uniqueKeysWithValues: MapSymbol.defaults.map { ($0.0, $0.1) })
        var picks: [SymbolPick] = []
        if let node = value("legend") { picks = try self.legend(node, into: &legend) }
        let mapNode = try required("map", "the map as rows of symbols (a | block)")
        let (map, drawnPicks) = try self.map(mapNode, legend: legend, picks: picks)
        let task = try self.task(try required("task", "the task: reach-goal, collect, deliver, open-door, pull-levers or none"))

        var scenario = Scenario(name: name, map: map, task: task, sourceText: text)
        if let node = value("summary") { scenario.summary = try node.string("a one-line summary") }
        if let node = value("play") {
            scenario.play = Set(try node.list("play actions").map { (n: YAMLNode) throws(ScenarioFileError) -> PlayAction in
                try n.name("play action", PlayAction.init(name:), known: PlayAction.allCases.map(\.name))
            })
        }
        if let node = value("delight") {
            for (key, keyNode, weight) in try node.mapping("delight (event: fun reward)") {
                let kind = try keyNode.name("event", EventKind.init(name:), known: EventKind.allCases.map(\.name))
                scenario.delight[kind] = Float(try weight.number("the delight for \(key)", in: -100...100))
            }
        }
        if let node = value("coupling") { scenario.coupling = try coupling(node) }
        if let node = value("episode") {
            for (_, _, v) in try node.mapping("episode", allowed: ["max-steps"]) {
                scenario.maxSteps = try v.int("max-steps", in: 1...100_000)
            }
        }
        if let node = value("trial") {
            for (k, _, v) in try node.mapping("trial", allowed: ["episodes", "pool"]) {
                if k == "episodes" {
                    scenario.episodesPerTrial = try v.int("episodes per trial", in: 1...1000)
                    continue
                }
                var pool = TrialPool(size: 0, trials: 0)
                for (pk, _, pv) in try v.mapping("pool", allowed: ["size", "trials"]) {
                    if pk == "size" { pool.size = try pv.int("pool size (MDPs that recur)", in: 1...10_000) }
                    else { pool.trials = try pv.int("trials per pool", in: 1...1_000_000) }
                }
                guard pool.size > 0 && pool.trials > 0 else { throw v.error("a pool needs both size (MDPs) and trials (before a new pool is drawn)") }
                scenario.pool = pool
            }
        }
        if let node = value("view") {
            let size = try node.int("view (the side of the egocentric window)", in: 3...15)
            guard size % 2 == 1 else { throw node.error("view must be odd so the agent sits at its centre, found \(size)") }
            scenario.viewSize = size
        }
        let contents = MapContents(map, drawnPicks)
        if let node = value("distribution") { scenario.distribution = try distribution(node, canvas: map, contents: contents) }
        scenario.distribution.picks = drawnPicks
        if let node = value("mechanics") {
            scenario.mechanics = try MechanicsReader(map: contents).mechanics(node)
        }
        if let node = value("dynamics") {
            let drawn = [scenario.mechanics.buried?.thing, scenario.distribution.randomGoal ? .goal : nil].compactMap { $0 }
            scenario.dynamics = try dynamics(node, redraws: !scenario.mechanics.isEmpty, contents: contents, alsoDrawn: drawn)
        }
        if case .pullLevers = task, !map.things.contains(.lever) {
            throw mapNode.error("task pull-levers needs levers in the map (symbol l)")
        }
        do {
            _ = try scenario.sample(seed: 0)
        } catch {
            throw mapNode.error(error.message)
        }
        return scenario
    }

    /// Reads the legend into `legend`; returns the symbols drawn per MDP (entries with `pick`), in file order.
    func legend(_ node: YAMLNode, into legend: inout [Character: MapSymbol]) throws(ScenarioFileError) -> [SymbolPick] {
        var picks: [SymbolPick] = []
        for (key, keyNode, value) in try node.mapping("legend (symbol: what it stands for)") {
            guard key.count == 1, let symbol = key.first, symbol != " " else {
                throw keyNode.error("legend symbol '\(key)' must be one character other than a space")
            }
            var glyph = MapSymbol()
            switch value.node {
            case .scalar:
                glyph = try self.symbol(named: value)
            default:
                var counts: [Int]?, otherwise = MapSymbol(), countsNode = value, otherwiseNode: YAMLNode?, flag: (String, YAMLNode)?
                for (k, keyNode, v) in try value.mapping("a legend entry", allowed: ["tile", "thing", "color", "open", "on", "agent", "pick", "else"]) {
                    switch k {
                    case "pick":
                        counts = try v.list("how many cells to pick").map { (n: YAMLNode) throws(ScenarioFileError) -> Int in
                            try n.int("how many cells to pick", in: 0...maximumMapSide * maximumMapSide)
                        }
                        guard counts?.isEmpty == false else { throw v.error("pick needs a count, or a list of counts to draw one of") }
                        countsNode = v
                    case "else":
                        otherwiseNode = v
                        otherwise = try self.symbol(named: v)
                        if otherwise.agent != nil { throw v.error("else cannot be the agent: the cells not picked need a tile or thing") }
                    case "tile": glyph.tile = try v.name("tile", Tile.init(name:), known: Tile.allCases.dropFirst().map(\.name))
                    case "thing": glyph.thing = try v.name("thing", Thing.init(name:), known: Thing.allCases.map(\.name))
                    case "color":
                        let color = try v.name("colour", { Aux.colorNames.firstIndex(of: $0) }, known: Aux.colorNames)
                        glyph.aux = (glyph.aux & ~Aux.colorMask) | UInt8(color)
                    case "open", "on":
                        flag = (k, keyNode)
                        if try v.bool(k) { glyph.aux |= Aux.onBit }
                    default:
                        glyph.agent = try v.name("agent facing", Direction.init(name:), known: Direction.allCases.map(\.name))
                    }
                }
                if let (key, node) = flag, ![.door, .lightSwitch, .lamp].contains(glyph.thing) {
                    let what = glyph.thing == .none ? "has no thing" : "is a \(glyph.thing.name)"
                    throw node.error("\(key) is for doors (open), switches and lamps (on); this entry \(what)")
                }
                if glyph.thing != .none && !glyph.tile.isPassable {
                    throw value.error("a \(glyph.thing.name) cannot stand on \(glyph.tile.name): give it passable ground, or leave tile out for floor")
                }
                if glyph.agent != nil && glyph.thing != .none {
                    throw value.error("the agent cannot start on a \(glyph.thing.name): its cell must be empty")
                }
                if let counts {
                    if glyph.agent != nil && counts != [1] {
                        throw countsNode.error("an agent symbol picks exactly 1 cell (the start), found pick \(counts.map(String.init).joined(separator: ", "))")
                    }
                    picks.append(SymbolPick(symbol: symbol, counts: counts, otherwise: otherwise, node: countsNode))
                } else if let otherwiseNode {
                    throw otherwiseNode.error("else needs pick: how many of the marked cells take this look")
                }
            }
            legend[symbol] = glyph
        }
        return picks
    }

    /// A tile or thing name (or `agent`), as a legend entry or an `else` gives it.
    func symbol(named node: YAMLNode) throws(ScenarioFileError) -> MapSymbol {
        let word = try node.string("a tile or thing name")
        if let tile = Tile(name: word), tile != .void { return MapSymbol(tile: tile) }
        if let thing = Thing(name: word), thing != .none { return MapSymbol(thing: thing) }
        if word == "agent" { return MapSymbol(agent: .up) }
        let known = Tile.allCases.dropFirst().map(\.name) + Thing.allCases.dropFirst().map(\.name) + ["agent"]
        let hint = suggestion(for: word, among: known).map { "; did you mean '\($0)'?" } ?? "; expected a tile or thing name"
        throw node.error("unknown tile or thing '\(word)'\(hint)")
    }

    func map(_ node: YAMLNode, legend: [Character: MapSymbol], picks: [SymbolPick]) throws(ScenarioFileError) -> (MapTemplate, [Pick]) {
        let text = try node.string("the map as rows of symbols")
        if node.node.null != nil {
            throw node.error("the map is empty: write map: | and the rows below it (without the |, a row starting with # is a YAML comment)")
        }
        if case .scalar(let scalar) = node.node, scalar.style == .folded, text.contains(" ") {
            throw node.error("map: > folds the rows into one line; write map: | to keep each row on its own line")
        }
        var rows = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map { row -> Substring in
            var row = row
            while row.last == " " || row.last == "\r" || row.last == "\t" { row.removeLast() }
            return row
        }
        // Blank lines around the rows are layout, not rows; the block's first row is found below past them too.
        while rows.first?.isEmpty == true { rows.removeFirst() }
        while rows.last?.isEmpty == true { rows.removeLast() }
        // A block scalar (`map: |`) starts on the next line; find where its rows sit in the file.
        var art = MapArt(legend: legend, picks: picks, firstLine: node.line, column: node.column, file: file, quoted: true)
        let markLine = node.line - 1
        if markLine < lines.count, lines[markLine].dropFirst(node.column - 1).hasPrefix("|") || lines[markLine].dropFirst(node.column - 1).hasPrefix(">") {
            var index = markLine + 1
            while index < lines.count, lines[index].allSatisfy(\.isWhitespace) { index += 1 }
            let column = (index < lines.count ? lines[index].prefix(while: { $0 == " " }).count : 0) + 1
            art = MapArt(legend: legend, picks: picks, firstLine: index + 1, column: column, file: file)
            // A row indented less than the first ends the block, and YAML reads it (and the rows after it, which start
            // with #) as a comment: the map would silently lose them.
            var after = index + rows.count
            while after < lines.count, lines[after].allSatisfy(\.isWhitespace) { after += 1 }
            if after < lines.count, let first = rows.first {
                let indent = lines[after].prefix(while: { $0 == " " }).count
                let row = lines[after].dropFirst(indent)
                if indent < column - 1, row.first == "#", row.count == first.count, !row.contains(where: \.isWhitespace) {
                    throw ScenarioFileError(file: file, line: after + 1, column: indent + 1,
                                            "this map row is indented less than the first (line \(index + 1)), so YAML ends the map above it and reads it as a comment; indent every row alike")
                }
            }
        }
        for (y, row) in rows.enumerated() {
            if let x = row.firstIndex(where: { $0 == " " || $0 == "\t" }) {
                throw art.error(x: row.distance(from: row.startIndex, to: x), y: y,
                                "a \(row[x] == "\t" ? "tab" : "space") inside the map (is this row indented differently?); every cell needs a symbol, . for floor")
            }
        }
        return try art.parse(rows)
    }

    func task(_ node: YAMLNode) throws(ScenarioFileError) -> Task {
        let names = ["reach-goal", "collect", "deliver", "open-door", "pull-levers", "none"]
        if case .scalar = node.node {
            let name = try node.name("task", { names.contains($0) ? $0 : nil }, known: names)
            switch name {
            case "reach-goal": return .reachGoal
            case "open-door": return .openDoor
            case "pull-levers": return .pullLevers
            case "none": return .none
            default: throw node.error("task \(name) needs details, e.g. \(name == "collect" ? "{collect: {thing: fruit, count: 3}}" : "{deliver: ball}")")
            }
        }
        let entries = try node.mapping("the task", allowed: ["collect", "deliver"])
        guard entries.count == 1, let (key, _, value) = entries.first else { throw node.error("expected exactly one task") }
        // Only what the agent picks up is delivered, and only that or fruit (eaten) is collected: any other kind
        // would make a task that can never succeed.
        let carried = Thing.allCases.filter(\.isPortable)
        func kind(_ node: YAMLNode, _ done: String, among kinds: [Thing]) throws(ScenarioFileError) -> Thing {
            let thing = try node.name("thing", Thing.init(name:), known: Thing.allCases.dropFirst().map(\.name))
            guard kinds.contains(thing) else {
                throw node.error("a \(thing.name) cannot be \(done); expected \(kinds.map(\.name).joined(separator: ", "))")
            }
            return thing
        }
        if key == "deliver" {
            if case .scalar = value.node { return .deliver(try kind(value, "carried to a pad", among: carried)) }
            let fields = try value.mapping("deliver", allowed: ["thing"])
            guard let thing = fields.first?.value else { throw value.error("deliver needs a thing") }
            return .deliver(try kind(thing, "carried to a pad", among: carried))
        }
        var collected = Thing.fruit, count = 1
        for (k, _, v) in try value.mapping("collect", allowed: ["thing", "count"]) {
            if k == "thing" { collected = try kind(v, "collected (picked up or eaten)", among: carried + [.fruit]) }
            else { count = try v.int("count", in: 1...1000) }
        }
        return .collect(collected, count: count)
    }

    func coupling(_ node: YAMLNode) throws(ScenarioFileError) -> Coupling {
        if case .scalar = node.node {
            let word = try node.string("coupling")
            switch word {
            case "exclusive": return .exclusive
            case "simultaneous": return .simultaneous(energy: 10, playCost: 2, restGain: 1)
            default:
                let hint = suggestion(for: word, among: ["exclusive", "simultaneous"]).map { "; did you mean '\($0)'?" } ?? ""
                throw node.error("unknown coupling '\(word)'; expected exclusive or simultaneous\(hint)")
            }
        }
        guard let entry = try node.mapping("coupling", allowed: ["simultaneous"]).first else { return .exclusive }
        var energy = 10, cost = 2, gain = 1
        for (k, _, v) in try entry.value.mapping("simultaneous coupling", allowed: ["energy", "play-cost", "rest-gain"]) {
            switch k {
            case "energy": energy = try v.int("energy", in: 1...255)
            case "play-cost": cost = try v.int("play-cost", in: 0...255)
            default: gain = try v.int("rest-gain", in: 0...255)
            }
        }
        return .simultaneous(energy: energy, playCost: cost, restGain: gain)
    }

    /// A thing that a section moves or regrows, refused when no MDP of the family holds one: it would do nothing.
    /// `alsoDrawn` are things the family brings in besides its map (a buried thing, a goal drawn at random).
    func present(_ node: YAMLNode, _ section: String, in contents: MapContents, alsoDrawn: [Thing] = []) throws(ScenarioFileError) -> Thing {
        let thing = try node.name("thing", Thing.init(name:), known: Thing.allCases.dropFirst().map(\.name))
        guard alsoDrawn.contains(thing) || contents.contains({ _, t, _ in t == thing }) else {
            let symbol = MapSymbol.defaults.first { $0.1.thing == thing }.map { " (symbol \($0.0))" } ?? ""
            throw node.error("\(section) names \(thing.name), but the map holds no \(thing.name)\(symbol)")
        }
        return thing
    }

    /// The distribution section; `canvas` is the drawn map a procedural layout fills, `contents` what it can hold.
    func distribution(_ node: YAMLNode, canvas: MapTemplate, contents: MapContents) throws(ScenarioFileError) -> Distribution {
        var d = Distribution()
        for (k, _, v) in try node.mapping("distribution", allowed: ["layout", "agent", "goal", "scatter", "lever-odds", "flip"]) {
            switch k {
            case "layout":
                d.layout = try v.name("layout", { ["fixed": Distribution.Layout.fixed, "four-rooms": .fourRooms][$0] }, known: ["fixed", "four-rooms"])
                // Smaller, a far room has no cell for its gap, and the gap is cut into the outer wall.
                if d.layout == .fourRooms && (canvas.width < 5 || canvas.height < 5) {
                    throw v.error("four-rooms needs a map of at least 5×5 to wall into rooms, found \(canvas.width)×\(canvas.height)")
                }
            case "agent": d.randomAgent = try v.name("agent placement", { ["fixed": false, "random": true][$0] }, known: ["fixed", "random"])
            case "goal": d.randomGoal = try v.name("goal placement", { ["fixed": false, "random": true][$0] }, known: ["fixed", "random"])
            case "scatter":
                d.scatter = Set(try v.list("things to scatter").map { (n: YAMLNode) throws(ScenarioFileError) -> Thing in
                    try present(n, "scatter", in: contents)
                })
            case "flip":
                d.flips = Set(try v.list("axes to mirror along").map { (n: YAMLNode) throws(ScenarioFileError) -> Distribution.Flip in
                    try n.name("flip", Distribution.Flip.init(name:), known: Distribution.Flip.allCases.map(\.name))
                })
            default:
                d.randomLeverOdds = try v.name("lever odds", { ["uniform": true, "even": false][$0] }, known: ["uniform", "even"])
            }
        }
        return d
    }

    /// The dynamics section; `redraws` says whether there are hidden rules for `redraw-rules-*` to draw anew, and
    /// `contents` and `alsoDrawn` what the family holds for drift and regrowth to act on.
    func dynamics(_ node: YAMLNode, redraws: Bool, contents: MapContents, alsoDrawn: [Thing]) throws(ScenarioFileError) -> Dynamics {
        var d = Dynamics()
        let keys = ["goal-moves-every", "goal-moves-between-episodes", "drift", "respawn", "doors", "redraw-rules-every",
                    "redraw-rules-between-episodes"]
        for (k, keyNode, v) in try node.mapping("dynamics", allowed: keys) {
            if k.hasPrefix("redraw-rules") && !redraws {
                throw keyNode.error("\(k) needs hidden rules to draw anew; declare them in a mechanics section")
            }
            switch k {
            case "redraw-rules-every": d.redrawRulesEvery = try v.int("redraw-rules-every (steps)", in: 0...100_000)
            case "redraw-rules-between-episodes": d.redrawRulesBetweenEpisodes = try v.bool("redraw-rules-between-episodes")
            case "goal-moves-every": d.goalMovesEvery = try v.int("goal-moves-every (steps)", in: 0...100_000)
            case "goal-moves-between-episodes": d.goalMovesBetweenEpisodes = try v.bool("goal-moves-between-episodes")
            case "drift":
                for (_, thingNode, p) in try v.mapping("drift (thing: probability per step)") {
                    d.drift[try present(thingNode, "drift", in: contents, alsoDrawn: alsoDrawn)] = try p.number("drift probability", in: 0...1)
                }
            case "respawn":
                for (_, thingNode, steps) in try v.mapping("respawn (thing: steps until it grows back)") {
                    d.respawn[try present(thingNode, "respawn", in: contents, alsoDrawn: alsoDrawn)] = try steps.int("respawn delay", in: 1...100_000)
                }
            default:
                var open = 0, closed = 0
                for (key, _, steps) in try v.mapping("doors", allowed: ["open", "closed"]) {
                    if key == "open" { open = try steps.int("steps open", in: 1...100_000) } else { closed = try steps.int("steps closed", in: 1...100_000) }
                }
                guard open > 0, closed > 0 else { throw v.error("doors needs both open and closed step counts") }
                guard contents.contains({ _, thing, aux in thing == .door && Aux.isOn(aux) }) else {
                    throw keyNode.error("doors schedules the doors drawn open (d), but the map has none")
                }
                d.doorSchedule = DoorSchedule(open: open, closed: closed)
            }
        }
        return d
    }
}
