/// A kind of hidden rule: declared by a scenario, drawn per trial, found out by play.
public enum Mechanic: UInt8, CaseIterable, Sendable, StablyNamed {
    /// A rock pushed into water bridges it, or sinks.
    case bridge = 0
    /// A thing lies hidden under one of several cells, found by digging there or pushing the rock there away.
    case buried = 1
    /// Ringing a bell or flipping a switch opens doors of one colour.
    case signal = 2
    /// A ball, block or rock brought onto a plate by play opens doors of one colour.
    case trigger = 3

    public var name: String { ["bridge", "buried", "signal", "trigger"][Int(rawValue)] }
}

/// A discrete distribution over a few one-byte outcomes, drawn with one uniform number.
public struct Odds: Hashable, Sendable {
    public let outcomes: [UInt8]
    /// One per outcome, adding up to 1.
    public let probabilities: [Double]

    /// Outcomes with their probabilities; the caller sees that they add up to 1.
    public init(_ outcomes: [UInt8], probabilities: [Double]) {
        precondition(!outcomes.isEmpty && outcomes.count == probabilities.count, "one probability per outcome")
        self.outcomes = outcomes
        self.probabilities = probabilities
    }

    public static func uniform(_ outcomes: [UInt8]) -> Odds {
        Odds(outcomes, probabilities: Array(repeating: 1 / Double(outcomes.count), count: outcomes.count))
    }

    /// One outcome, drawn. Consumes one number from `rng` whatever the odds, so draws stay aligned.
    func draw(_ rng: inout SplitMix64) -> UInt8 {
        let u = rng.nextUnitDouble()
        var sum = 0.0
        for (outcome, p) in zip(outcomes, probabilities) {
            sum += p
            if u < sum { return outcome }
        }
        return outcomes[outcomes.count - 1]
    }
}

/// The hidden rules a scenario declares (its `mechanics:` section). Each trial draws how they go (`MechanicDraw`).
public struct Mechanics: Hashable, Sendable {
    /// What a rock pushed into water does: outcome 1 bridges it, 0 sinks the rock.
    public var bridge: Odds?
    public var buried: BuriedRule?
    /// Ringing a bell or flipping a switch.
    public var signal: DoorRule?
    /// A thing brought onto a plate by play (kicked, pushed, or built there).
    public var trigger: DoorRule?
    /// Rules of which one, drawn per trial (outcomes are `Mechanic` raw values), works; the others are decoys:
    /// their objects look and act the same, but do nothing the task needs (rocks sink, nothing is buried,
    /// bells and plates open nothing).
    public var decoy: Odds?

    public init(bridge: Odds? = nil, buried: BuriedRule? = nil, signal: DoorRule? = nil, trigger: DoorRule? = nil, decoy: Odds? = nil) {
        self.bridge = bridge
        self.buried = buried
        self.signal = signal
        self.trigger = trigger
        self.decoy = decoy
    }

    public var isEmpty: Bool { self == Mechanics() }

    /// The rules declared, in draw order.
    public var declared: [Mechanic] {
        [bridge != nil ? .bridge : nil, buried != nil ? .buried : nil, signal != nil ? .signal : nil,
         trigger != nil ? .trigger : nil].compactMap { $0 }
    }

    /// Draws how every rule goes: the live one of a decoy group first, then each declared rule in `Mechanic`
    /// order (one number each). `buriedCandidates` is how many cells could hide the buried thing.
    public func draw(buriedCandidates: Int, rng: inout SplitMix64) -> MechanicDraw {
        let live = decoy.map { $0.draw(&rng) }
        func works(_ m: Mechanic) -> Bool {
            guard let decoy, let live else { return true }
            return !decoy.outcomes.contains(m.rawValue) || live == m.rawValue
        }
        var d = MechanicDraw.none
        if let bridge { d.bridges = bridge.draw(&rng) == 1 && works(.bridge) }
        if buried != nil, buriedCandidates > 0 {
            let cell = rng.below(buriedCandidates)
            if works(.buried) { d.buried = UInt16(cell) }
        }
        if let signal {
            let color = signal.opens.draw(&rng)
            if works(.signal) { d.signal = color }
        }
        if let trigger {
            let color = trigger.opens.draw(&rng)
            if works(.trigger) { d.trigger = color }
        }
        return d
    }
}

/// A thing hidden under one of the cells a cover names, drawn per trial.
public struct BuriedRule: Hashable, Sendable {
    public var thing: Thing
    /// Its state byte (a key's colour).
    public var aux: UInt8
    public var under: Set<Cover>

    /// What may hide the thing: bare sand or grass (found by digging), or a rock (found by pushing it away).
    public enum Cover: UInt8, CaseIterable, Sendable, StablyNamed {
        case sand = 0, grass = 1, rock = 2
        public var name: String { ["sand", "grass", "rock"][Int(rawValue)] }
    }

    public init(thing: Thing, aux: UInt8 = 0, under: Set<Cover>) {
        self.thing = thing
        self.aux = aux
        self.under = under
    }

    /// Whether a cell of this ground and thing could hide the buried thing.
    public func covers(_ tile: Tile, _ thing: Thing) -> Bool {
        switch thing {
        case .rock: under.contains(.rock)
        case .none: (tile == .sand && under.contains(.sand)) || (tile == .grass && under.contains(.grass))
        default: false
        }
    }
}

/// Doors of a drawn colour that something opens: a signal (bell, switch) or a trigger (what presses a plate).
public struct DoorRule: Hashable, Sendable {
    /// The things that set it off.
    public var by: Set<Thing>
    /// The colour of the doors it opens (`Aux.colorNames` indices).
    public var opens: Odds
    /// Steps the doors stay open after the last time it went off; nil for the rest of the episode.
    public var duration: Int?

    public init(by: Set<Thing>, opens: Odds, duration: Int? = nil) {
        self.by = by
        self.opens = opens
        self.duration = duration
    }

    /// Bit `Thing.rawValue` set for each thing in `by`.
    var mask: UInt16 { by.reduce(0) { $0 | 1 << UInt16($1.rawValue) } }
}

/// How each hidden rule goes in this trial: drawn from the level seed, and drawn again under `redraw-rules-*`
/// dynamics. Four small fields, so a world carries it in its state at no cost.
public struct MechanicDraw: Hashable, Sendable {
    /// A rule that does nothing this trial (not declared, or a decoy).
    public static let off: UInt8 = .max
    public static let noCell: UInt16 = .max

    /// Rocks pushed into water bridge it; otherwise they sink.
    public var bridges: Bool
    /// Which of the rule's candidate cells (`World.Rules.buriedCells`) hides the thing; `noCell` when none does.
    public var buried: UInt16
    /// The colour of doors the signal opens, or `off`.
    public var signal: UInt8
    /// The colour of doors the trigger opens, or `off`.
    public var trigger: UInt8

    public init(bridges: Bool, buried: UInt16, signal: UInt8, trigger: UInt8) {
        self.bridges = bridges
        self.buried = buried
        self.signal = signal
        self.trigger = trigger
    }

    /// No rule does anything.
    public static let none = MechanicDraw(bridges: false, buried: noCell, signal: off, trigger: off)

    /// The draw in one word: bits 0–7 the bridge outcome, 8–23 the buried cell, 24–31 the signal's colour, 32–39
    /// the trigger's (the low 40 bits of `MechanicState.packed`, and what fingerprints of an MDP mix in).
    public var packed: UInt64 {
        UInt64(bridges ? 1 : 0) | UInt64(buried) << 8 | UInt64(signal) << 24 | UInt64(trigger) << 32
    }
}

/// The hidden rules' part of a world's state: this trial's draw and what they did this episode.
public struct MechanicState: Hashable, Sendable {
    public var draw: MechanicDraw
    /// The buried thing came to light this episode (it does so once).
    public var buriedFound: Bool
    /// The step at which doors a timed signal opened close again; 0 when none are due to.
    public var signalClosesAt: Int

    public init(draw: MechanicDraw = .none, buriedFound: Bool = false, signalClosesAt: Int = 0) {
        self.draw = draw
        self.buriedFound = buriedFound
        self.signalClosesAt = signalClosesAt
    }

    /// The whole state in one word, for records that store it (tapes, the C interface): bits 0–7 the bridge
    /// outcome, 8–23 the buried cell, 24–31 the signal's colour, 32–39 the trigger's, 40 whether the buried thing
    /// was found, 41–63 the step doors close at.
    public var packed: UInt64 {
        draw.packed | UInt64(buriedFound ? 1 : 0) << 40 | UInt64(min(signalClosesAt, Self.latestClose)) << 41
    }

    /// The state a `packed` word holds; nil for a word no state packs to.
    public init?(packed: UInt64) {
        let bridge = packed & 0xFF, found = packed >> 40 & 1
        guard bridge <= 1 else { return nil }
        draw = MechanicDraw(bridges: bridge == 1, buried: UInt16(truncatingIfNeeded: packed >> 8),
                            signal: UInt8(truncatingIfNeeded: packed >> 24), trigger: UInt8(truncatingIfNeeded: packed >> 32))
        buriedFound = found == 1
        signalClosesAt = Int(packed >> 41)
    }

    /// The largest step `packed` can hold (2²³ − 1, far beyond any episode's length).
    static let latestClose = (1 << 23) - 1
}

extension World.Rules {
    /// Whether a world of these rules can be in this hidden-rule state: its buried cell is one of the candidates and
    /// its doors' colours are ones the rules gather doors of. A state read from a file is checked with this before a
    /// world steps with it, since a step indexes those tables.
    public func admits(_ m: MechanicState) -> Bool {
        let d = m.draw
        return (d.buried == MechanicDraw.noCell || Int(d.buried) < buriedCells.count)
            && (d.signal == MechanicDraw.off || Int(d.signal) < doorCells.count)
            && (d.trigger == MechanicDraw.off || Int(d.trigger) < doorCells.count)
    }
}
