import GridWorld
import Engine

/// One remembered step as the panels need it: where, what was done, what happened, what it earned.
public struct StepRecord: Equatable, Sendable {
    public var trial: Int
    public var episode: Int
    public var step: Int
    public var action: ActionPair
    public var manual: Bool
    public var events: Events
    public var task: Float
    /// Sum of the weighted fun components; each component is in the trace's flat fun buffer.
    public var funTotal: Float
    /// The agent's map position after the step.
    public var x: Int32
    public var y: Int32
    public var terminated: Bool
    public var truncated: Bool
    public var succeeded: Bool
    /// Hidden rules (bit `Mechanic.rawValue`) this step was the first in its trial to set off, and what it showed of
    /// them in words (`RuleText.discovery`); set when a `Trace` remembers the step.
    public var discovered: UInt8 = 0
    public var discovery: String?
    /// Whether the task reward or a fun component reads as other than 0.00, so the event log has a reward to name.
    public var earnsShownReward: Bool

    public init(frame: Frame) {
        trial = frame.trial
        episode = frame.episode
        step = frame.step
        action = frame.decision?.action ?? ActionPair(.stay)
        manual = frame.manual
        let transition = frame.transition ?? Transition()
        events = transition.events
        task = frame.reward?.task ?? 0
        funTotal = frame.reward?.funTotal ?? 0
        let position = frame.world.agentPosition
        x = Int32(position.x)
        y = Int32(position.y)
        terminated = transition.terminated
        truncated = transition.truncated
        succeeded = transition.succeeded
        earnsShownReward = Format.showsNonZero(task) || (frame.reward?.fun.contains(where: Format.showsNonZero) ?? false)
    }

    /// Whether the event log has something to say about this step.
    public var isNotable: Bool {
        var shown = events
        shown.remove(.moved)
        return !shown.isEmpty || earnsShownReward || terminated || truncated
    }
}

/// The recent past that the panels draw from: a bounded ring of step records (with each fun component),
/// per-cell visit and fun totals for the current trial's map, and the hidden rules seen working this trial (so the
/// event log can tell the first time each one works from later times).
///
/// It moves in lockstep with `History`: `push` after a step forward, `pop` after a step back, so the
/// heat maps, the reward chart and the event log always describe the frame on screen. Pushing allocates
/// nothing once the ring is full.
public struct Trace: Sendable {
    public let capacity: Int
    /// Fun components per record (the session's fun spec terms).
    public let components: Int
    private var records: ContiguousArray<StepRecord>
    private var fun: ContiguousArray<Float>
    private var start = 0
    public private(set) var count = 0
    /// Map size the cell totals are kept for.
    public private(set) var mapWidth: Int
    public private(set) var mapHeight: Int
    /// The trial the cell totals belong to.
    public private(set) var trial: Int
    /// Steps ended on each map cell this trial, row-major.
    public private(set) var visits: ContiguousArray<Float>
    /// Fun earned on each map cell this trial, row-major.
    public private(set) var funByCell: ContiguousArray<Float>
    /// Hidden rules (bit `Mechanic.rawValue`) that have shown their effect this trial, through the newest record.
    public private(set) var rulesSeen: UInt8 = 0

    public init(capacity: Int = 1000, components: Int, mapWidth: Int, mapHeight: Int, trial: Int = 0) {
        self.capacity = max(1, capacity)
        self.components = components
        records = []
        records.reserveCapacity(self.capacity)
        fun = ContiguousArray(repeating: 0, count: self.capacity * components)
        self.mapWidth = mapWidth
        self.mapHeight = mapHeight
        self.trial = trial
        visits = ContiguousArray(repeating: 0, count: mapWidth * mapHeight)
        funByCell = ContiguousArray(repeating: 0, count: mapWidth * mapHeight)
    }

    /// Starts the cell totals afresh for a world of this size (a new trial samples a new level).
    public mutating func resetCells(mapWidth: Int, mapHeight: Int, trial: Int) {
        self.trial = trial
        if mapWidth * mapHeight != visits.count {
            visits = ContiguousArray(repeating: 0, count: mapWidth * mapHeight)
            funByCell = ContiguousArray(repeating: 0, count: mapWidth * mapHeight)
        } else {
            for i in visits.indices { visits[i] = 0; funByCell[i] = 0 }
        }
        self.mapWidth = mapWidth
        self.mapHeight = mapHeight
    }

    /// The `i`-th remembered record, oldest first.
    public subscript(i: Int) -> StepRecord { records[(start + i) % capacity] }

    /// Fun component `component` of record `i`.
    public func fun(_ i: Int, _ component: Int) -> Float { fun[((start + i) % capacity) * components + component] }

    public var last: StepRecord? { count == 0 ? nil : self[count - 1] }

    /// Remembers the step that produced `frame` (which must have a decision). O(components); a step that first
    /// sets off a hidden rule in its trial also puts that in words.
    public mutating func push(_ frame: Frame) {
        var record = StepRecord(frame: frame)
        if record.trial != trial { rulesSeen = 0 }
        if record.trial != trial || frame.world.width != mapWidth || frame.world.height != mapHeight {
            resetCells(mapWidth: frame.world.width, mapHeight: frame.world.height, trial: record.trial)
        }
        record.discovered = record.events.mechanics & ~rulesSeen
        if record.discovered != 0 {
            rulesSeen |= record.discovered
            record.discovery = RuleText.discovery(record.discovered, frame: frame)
        }
        let slot = (start + count) % capacity
        if slot == records.count {
            records.append(record)
        } else {
            records[slot] = record
        }
        if count == capacity {
            start = (start + 1) % capacity
        } else {
            count += 1
        }
        if let reward = frame.reward {
            for c in 0..<min(components, reward.fun.count) { fun[slot * components + c] = reward.fun[c] }
        }
        add(record, sign: 1)
    }

    /// Forgets the newest record (after a step back), undoing its cell totals.
    public mutating func pop() {
        guard let record = last else { return }
        count -= 1
        if record.trial == trial {
            add(record, sign: -1)
            rulesSeen &= ~record.discovered
        }
        if let previous = last, previous.trial != trial { rebuildCells(trial: previous.trial) }
    }

    /// Forgets everything (a replay jumped elsewhere); what follows is of trial `trial`, in which the rules
    /// `rulesSeen` have already shown their effect.
    public mutating func removeAll(trial: Int, rulesSeen: UInt8) {
        count = 0
        start = 0
        records.removeAll(keepingCapacity: true)
        resetCells(mapWidth: mapWidth, mapHeight: mapHeight, trial: trial)
        self.rulesSeen = rulesSeen
    }

    private mutating func add(_ record: StepRecord, sign: Float) {
        let x = Int(record.x), y = Int(record.y)
        guard x >= 0, y >= 0, x < mapWidth, y < mapHeight else { return }
        visits[y * mapWidth + x] += sign
        funByCell[y * mapWidth + x] += sign * record.funTotal
    }

    /// Recounts the cell totals and rules seen of `trial` from the records remembered of it (after stepping back
    /// into it).
    private mutating func rebuildCells(trial: Int) {
        resetCells(mapWidth: mapWidth, mapHeight: mapHeight, trial: trial)
        rulesSeen = 0
        for i in 0..<count where self[i].trial == trial {
            add(self[i], sign: 1)
            rulesSeen |= self[i].discovered
        }
    }

    /// Task and fun rewards of the newest `limit` records, oldest first (for the chart).
    public func recentRewards(_ limit: Int) -> (task: [Double], fun: [Double]) {
        let n = min(limit, count)
        var task: [Double] = [], fun: [Double] = []
        task.reserveCapacity(n)
        fun.reserveCapacity(n)
        for i in count - n..<count {
            task.append(Double(self[i].task))
            fun.append(Double(self[i].funTotal))
        }
        return (task, fun)
    }

    /// Share of the newest `limit` steps whose play half was not none.
    public func recentPlayRatio(_ limit: Int) -> Double? {
        let n = min(limit, count)
        guard n > 0 else { return nil }
        var played = 0
        for i in count - n..<count where self[i].action.play != .none { played += 1 }
        return Double(played) / Double(n)
    }
}
