import GridWorld

/// A session you can step back through: a bounded past of snapshots and the future you stepped back from.
///
/// Stepping forward after stepping back replays the same step (the session is deterministic), unless a
/// person chooses a different action, which forgets the old future.
public struct History {
    public private(set) var session: Session
    /// Snapshots before each remembered step: a ring of up to `depth`, the oldest at `pastStart`, so
    /// remembering a step is O(1) however deep the history (the watch screen remembers every live step).
    private var past: [Session] = []
    private var pastStart = 0
    private var pastCount = 0
    /// Snapshots after steps undone, the next one last.
    private var future: [Session] = []
    /// How many steps back one can go.
    public let depth: Int

    public init(_ session: Session, depth: Int = 1000) {
        self.session = session
        self.depth = max(1, depth)
        past.reserveCapacity(self.depth)
    }

    public var frame: Frame { session.frame }
    public var canStepBack: Bool { pastCount > 0 }

    /// One step forward: the agent's (or `manual`) action, or the step undone before.
    @discardableResult
    public mutating func stepForward(manual: ActionPair? = nil) throws -> Frame {
        if manual == nil, let next = future.popLast() {
            remember()
            session = next
            return session.frame
        }
        future.removeAll()
        remember()
        return try session.step(manual: manual)
    }

    /// One step back; false when the past is used up.
    @discardableResult
    public mutating func stepBack() -> Bool {
        guard pastCount > 0 else { return false }
        pastCount -= 1
        let previous = past[(pastStart + pastCount) % depth]
        future.append(session)
        session = previous
        return true
    }

    private mutating func remember() {
        if pastCount == depth {
            past[pastStart] = session
            pastStart = (pastStart + 1) % depth
            return
        }
        let slot = (pastStart + pastCount) % depth
        if slot == past.count { past.append(session) } else { past[slot] = session }
        pastCount += 1
    }
}
