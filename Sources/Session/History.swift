import GridWorld

/// A session you can step back through: a bounded past of snapshots and the future you stepped back from.
///
/// Stepping forward after stepping back replays the same step (the session is deterministic), unless a
/// person chooses a different action, which forgets the old future.
public struct History {
    public private(set) var session: Session
    /// Snapshots before each remembered step, oldest first.
    private var past: [Session] = []
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
    public var canStepBack: Bool { !past.isEmpty }

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
        guard let previous = past.popLast() else { return false }
        future.append(session)
        session = previous
        return true
    }

    private mutating func remember() {
        if past.count == depth { past.removeFirst() }
        past.append(session)
    }
}
