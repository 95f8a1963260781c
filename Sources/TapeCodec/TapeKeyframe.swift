import GridWorld

/// The full state before one step: enough to resume re-simulation there exactly.
public struct TapeKeyframe: Hashable, Sendable {
    /// The step this state comes before (steps recorded so far), over the whole tape.
    public var index: Int
    /// The world, its generators and the trial counter.
    public var snapshot: TrialWorld.Snapshot
    /// The last step ended its episode, so the next one begins the next episode (or trial) first.
    public var pendingEpisode: Bool

    public init(index: Int, snapshot: TrialWorld.Snapshot, pendingEpisode: Bool) {
        self.index = index
        self.snapshot = snapshot
        self.pendingEpisode = pendingEpisode
    }

    /// Writes the key frame; `initialCells` are the level's starting cells, which the grid is stored against
    /// (as runs of unchanged and changed bytes), so a key frame of a mostly untouched map is small.
    func encode(into sink: inout ByteSink, initialCells: ContiguousArray<UInt8>) {
        let s = snapshot.state
        sink.varint(index)
        sink.byte(pendingEpisode ? 1 : 0)
        sink.varint(snapshot.trial)
        sink.u64(snapshot.levelSeed)
        sink.u64(snapshot.levelSeeds.state)
        sink.u64(snapshot.rng.state)
        sink.varint(s.step)
        sink.varint(s.episode)
        sink.varint(s.collected)
        sink.varint(s.body.cell)
        sink.byte(s.body.facing.rawValue)
        sink.byte(s.body.carrying.rawValue)
        sink.byte(s.body.carryingAux)
        sink.signed(s.body.energy)
        sink.varint(s.respawns.count)
        for r in s.respawns {
            sink.varint(r.cell)
            sink.byte(r.thing.rawValue)
            sink.byte(r.aux)
            sink.signed(r.due)
        }
        sink.varint(s.mechanics.packed)
        sink.varint(s.cells.count)
        let n = s.cells.count
        var i = 0
        s.cells.withUnsafeBufferPointer { cells in
            initialCells.withUnsafeBufferPointer { base in
                let comparable = min(n, base.count)
                let (cellBytes, baseBytes) = (UnsafeRawBufferPointer(cells), UnsafeRawBufferPointer(base))
                while i < n {
                    var same = 0
                    // Eight bytes at a time through the long unchanged stretches (a key frame is taken every chunk).
                    while i + same + 8 <= comparable
                        && cellBytes.loadUnaligned(fromByteOffset: i + same, as: UInt64.self)
                            == baseBytes.loadUnaligned(fromByteOffset: i + same, as: UInt64.self) {
                        same += 8
                    }
                    while i + same < comparable && cells[i + same] == base[i + same] { same += 1 }
                    var changed = 0
                    while i + same + changed < n
                        && (i + same + changed >= comparable || cells[i + same + changed] != base[i + same + changed]) {
                        changed += 1
                    }
                    sink.varint(same)
                    sink.varint(changed)
                    sink.bytes.append(contentsOf: cells[(i + same)..<(i + same + changed)])
                    i += same + changed
                }
            }
        }
    }

    /// The fixed part before the grid: index, pending flag, trial and the level seed, enough to find the level.
    package struct Head: Sendable {
        package var index: Int
        package var pendingEpisode: Bool
        package var trial: Int
        package var levelSeed: UInt64
    }

    static func decodeHead(_ source: inout ByteSource) throws(ByteSource.Overrun) -> Head {
        let index = try source.count(max: Int(Int32.max) * 64)
        let pending = try source.byte()
        guard pending <= 1 else { throw ByteSource.Overrun(what: "a pending-episode flag of 0 or 1") }
        let trial = try source.count(max: Int(Int32.max))
        let levelSeed = try source.u64()
        return Head(index: index, pendingEpisode: pending == 1, trial: trial, levelSeed: levelSeed)
    }

    /// Reads a whole key frame of a tape of format `version`; `initialCells` must be those of the level drawn from its
    /// level seed. Version 1 key frames hold no hidden rules: their worlds get the empty state.
    static func decode(_ source: inout ByteSource, version: UInt16, initialCells: ContiguousArray<UInt8>) throws(ByteSource.Overrun) -> TapeKeyframe {
        let head = try decodeHead(&source)
        let levelSeeds = SplitMix64(seed: try source.u64())
        let rng = SplitMix64(seed: try source.u64())
        let step = try source.count(max: Int(Int32.max))
        let episode = try source.count(max: Int(Int32.max))
        let collected = try source.count(max: Int(Int32.max))
        let cell = try source.count(max: initialCells.count / 3)
        guard let facing = Direction(rawValue: try source.byte()) else { throw ByteSource.Overrun(what: "a heading") }
        guard let carrying = Thing(rawValue: try source.byte()) else { throw ByteSource.Overrun(what: "a thing") }
        let carryingAux = try source.byte()
        let energy = try source.signed()
        let respawnCount = try source.count(max: initialCells.count / 3)
        var respawns = ContiguousArray<WorldState.Respawn>()
        for _ in 0..<respawnCount {
            let c = try source.count(max: initialCells.count / 3)
            guard let thing = Thing(rawValue: try source.byte()) else { throw ByteSource.Overrun(what: "a thing") }
            let aux = try source.byte()
            let due = try source.signed()
            respawns.append(WorldState.Respawn(cell: c, thing: thing, aux: aux, due: due))
        }
        var mechanics = MechanicState()
        if version >= 2 {
            guard let m = MechanicState(packed: try source.varint()) else { throw ByteSource.Overrun(what: "the hidden rules' state") }
            mechanics = m
        }
        let n = try source.count(max: initialCells.count)
        guard n == initialCells.count else { throw ByteSource.Overrun(what: "a grid of the level's size") }
        var cells = initialCells
        var i = 0
        while i < n {
            let same = try source.count(max: n - i)
            let changed = try source.count(max: n - i - same)
            guard same + changed > 0 else { throw ByteSource.Overrun(what: "a non-empty run of cells") }
            let bytes = try source.raw(changed)
            for (k, b) in bytes.enumerated() { cells[i + same + k] = b }
            i += same + changed
        }
        guard source.isAtEnd else { throw ByteSource.Overrun(what: "the end of the key frame") }
        let body = Body(cell: cell, facing: facing, carrying: carrying, carryingAux: carryingAux, energy: energy)
        let state = WorldState(cells: cells, body: body, step: step, episode: episode, collected: collected, respawns: respawns,
                               mechanics: mechanics)
        let snapshot = TrialWorld.Snapshot(state: state, rng: rng, levelSeeds: levelSeeds, levelSeed: head.levelSeed, trial: head.trial)
        return TapeKeyframe(index: head.index, snapshot: snapshot, pendingEpisode: head.pendingEpisode)
    }
}
