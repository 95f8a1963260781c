import GridWorld

/// A run of consecutive steps held column by column: what a chunk record stores, and what a writer fills.
///
/// Columns compress well apart: actions are one byte, events a varint (usually one byte), rewards and fun are
/// sparse (most steps earn nothing) with a per-chunk palette of distinct values.
package struct TapeChunk {
    /// What one step stores besides its fun: 16 bytes, appended in one go.
    struct Row: Hashable, Sendable {
        var events: UInt64
        var taskReward: Float
        var action: UInt8
        var outcome: UInt8
        /// Bit 0 manual, then the outputs stored: 1 task probabilities, 2 play probabilities, 3 value, 4 recall,
        /// 5 memory, 6 skill.
        var flags: UInt8
    }

    /// The flag bits that say a step stored outputs.
    static let outputFlags: UInt8 = 0x7E

    /// Number over the whole tape of the first step.
    var firstStep = 0
    /// Counters of the first step's frame.
    var trial = 0
    var episode = 0
    var step = 0
    var rows: ContiguousArray<Row> = []
    /// Step-major: `count · components` values.
    var fun: ContiguousArray<Float> = []
    let components: Int
    /// Some step has a non-zero flag (so the flags column is stored).
    var hasFlags = false
    /// Outputs of the steps whose flags say they have some, in step order.
    var outputs: [AgentOutputs] = []

    init(components: Int, capacity: Int = 0) {
        self.components = components
        rows.reserveCapacity(capacity)
        fun.reserveCapacity(capacity * components)
    }

    var count: Int { rows.count }
    var isEmpty: Bool { rows.isEmpty }
    var eventsUnion: UInt64 { rows.reduce(0) { $0 | $1.events } }

    mutating func removeAll() {
        rows.removeAll(keepingCapacity: true)
        fun.removeAll(keepingCapacity: true)
        outputs.removeAll(keepingCapacity: true)
        hasFlags = false
    }

    /// Appends one step. `fun` must hold `components` values. O(components), no allocation once reserved.
    mutating func append(action: ActionPair, transition: Transition, fun stepFun: UnsafeBufferPointer<Float>, outputs stepOutputs: AgentOutputs?,
                         manual: Bool) {
        var flag: UInt8 = manual ? 1 : 0
        if let o = stepOutputs {
            if o.taskProbabilities != nil { flag |= 2 }
            if o.playProbabilities != nil { flag |= 4 }
            if o.value != nil { flag |= 8 }
            if o.recall != nil { flag |= 16 }
            if o.memory != nil { flag |= 32 }
            if o.skill != nil { flag |= 64 }
            if flag & Self.outputFlags != 0 { outputs.append(o) }
        }
        if flag != 0 { hasFlags = true }
        rows.append(Row(events: transition.events.bits, taskReward: transition.taskReward, action: action.packed,
                        outcome: Outcome(transition).rawValue, flags: flag))
        for v in stepFun { fun.append(v) }
    }

    // MARK: Encoding

    func encode(into sink: inout ByteSink) {
        sink.varint(firstStep)
        sink.varint(count)
        sink.varint(trial)
        sink.varint(episode)
        sink.varint(step)
        sink.varint(eventsUnion)
        // Outcomes: sparse (gap from the previous entry, bits).
        var entries = 0
        for r in rows where r.outcome != 0 { entries += 1 }
        sink.varint(entries)
        var last = -1
        for (i, r) in rows.enumerated() where r.outcome != 0 {
            sink.varint(i - last - 1)
            sink.byte(r.outcome)
            last = i
        }
        rows.withUnsafeBufferPointer { rows in
            sink.append(upTo: rows.count) { out in
                for (i, r) in rows.enumerated() { out[i] = r.action }
                return rows.count
            }
            sink.append(upTo: rows.count * 10) { out in
                var n = 0
                for r in rows { n += ByteSink.varint(r.events, at: out + n) }
                return n
            }
        }
        rows.withUnsafeBufferPointer { r in
            TapeChunk.writeSparse(count: r.count, into: &sink) { r[$0].taskReward }
        }
        fun.withUnsafeBufferPointer { f in
            for c in 0..<components {
                TapeChunk.writeSparse(count: count, into: &sink) { f[$0 &* components &+ c] }
            }
        }
        if !hasFlags {
            sink.byte(0)
        } else {
            sink.byte(1)
            for r in rows { sink.byte(r.flags) }
            for o in outputs {
                if let p = o.taskProbabilities { TapeChunk.encodeProbabilities(p, into: &sink) }
                if let p = o.playProbabilities { TapeChunk.encodeProbabilities(p, into: &sink) }
                if let v = o.value { sink.float(v) }
                if let r = o.recall {
                    sink.float(r.similarity)
                    sink.float(r.gate)
                }
                if let m = o.memory {
                    sink.byte(UInt8(min(m.taskValues.count, 255)))
                    for v in m.taskValues.prefix(255) { sink.float(v) }
                    sink.varint(m.size)
                    sink.float(m.nearest ?? .nan)
                }
                if let z = o.skill {
                    sink.byte(UInt8(clamping: z.given))
                    sink.byte(UInt8(clamping: z.recognised))
                    sink.float(z.reward)
                }
            }
        }
    }

    /// Writes a float column where most values are zero: the number of non-zero values, then (if any) the
    /// distinct non-zero bit patterns (a palette) and a (gap, palette index) pair per non-zero value.
    /// Two passes over the column and no allocation beyond the palette: this runs once a chunk as a tape records.
    @inline(__always)
    static func writeSparse(count: Int, into sink: inout ByteSink, _ value: (Int) -> Float) {
        var palette: [UInt32] = []
        var entries = 0
        for i in 0..<count where value(i).bitPattern != 0 {
            entries += 1
            let bits = value(i).bitPattern
            if !palette.contains(bits) { palette.append(bits) }
        }
        sink.varint(entries)
        guard entries > 0 else { return }
        sink.varint(palette.count)
        for bits in palette { sink.u32(bits) }
        var last = -1
        for i in 0..<count where value(i).bitPattern != 0 {
            sink.varint(i - last - 1)
            sink.varint(palette.firstIndex(of: value(i).bitPattern)!)
            last = i
        }
    }

    static func encodeProbabilities(_ p: [Float], into sink: inout ByteSink) {
        sink.byte(UInt8(min(p.count, 255)))
        for x in p.prefix(255) {
            let clamped = x.isNaN ? 0 : min(max(x, 0), 1)
            sink.u16(UInt16((clamped * 65535).rounded()))
        }
    }

    // MARK: Decoding

    /// What the scan of a tape keeps of each chunk without decoding its columns.
    package struct Summary: Hashable, Sendable {
        package var firstStep: Int
        package var count: Int
        package var trial: Int
        package var episode: Int
        package var step: Int
        package var eventsUnion: UInt64
        /// Positions within the chunk of the steps that ended an episode.
        package var episodeEnds: [Int]
    }

    static func decodeSummary(_ source: inout ByteSource, maxSteps: Int) throws(ByteSource.Overrun) -> Summary {
        let firstStep = try source.count(max: Int(Int32.max) * 64)
        let count = try source.count(max: maxSteps)
        guard count >= 1 else { throw ByteSource.Overrun(what: "at least one step") }
        let trial = try source.count(max: Int(Int32.max))
        let episode = try source.count(max: Int(Int32.max))
        let step = try source.count(max: Int(Int32.max))
        let union = try source.varint()
        let entries = try source.count(max: count)
        var ends: [Int] = []
        var position = -1
        for _ in 0..<entries {
            position += 1 + (try source.count(max: count))
            let bits = try source.byte()
            guard position < count, bits != 0, bits < 8 else { throw ByteSource.Overrun(what: "an outcome within the chunk") }
            if Outcome(rawValue: bits).endsEpisode { ends.append(position) }
        }
        return Summary(firstStep: firstStep, count: count, trial: trial, episode: episode, step: step,
                       eventsUnion: union, episodeEnds: ends)
    }

    /// Decodes a whole chunk payload.
    static func decode(_ source: inout ByteSource, components: Int, maxSteps: Int) throws(ByteSource.Overrun) -> TapeChunk {
        var chunk = TapeChunk(components: components)
        chunk.firstStep = try source.count(max: Int(Int32.max) * 64)
        let count = try source.count(max: maxSteps)
        guard count >= 1 else { throw ByteSource.Overrun(what: "at least one step") }
        chunk.trial = try source.count(max: Int(Int32.max))
        chunk.episode = try source.count(max: Int(Int32.max))
        chunk.step = try source.count(max: Int(Int32.max))
        let union = try source.varint()
        chunk.rows = ContiguousArray(repeating: Row(events: 0, taskReward: 0, action: 0, outcome: 0, flags: 0), count: count)
        let entries = try source.count(max: count)
        var position = -1
        for _ in 0..<entries {
            position += 1 + (try source.count(max: count))
            let bits = try source.byte()
            guard position < count, bits != 0, bits < 8 else { throw ByteSource.Overrun(what: "an outcome within the chunk") }
            chunk.rows[position].outcome = bits
        }
        for i in 0..<count {
            let a = try source.byte()
            guard ActionPair(packed: a) != nil else { throw ByteSource.Overrun(what: "an action pair (found byte \(a))") }
            chunk.rows[i].action = a
        }
        var computedUnion: UInt64 = 0
        for i in 0..<count {
            let e = try source.varint()
            chunk.rows[i].events = e
            computedUnion |= e
        }
        guard computedUnion == union else { throw ByteSource.Overrun(what: "events matching the chunk's event summary") }
        let rewards = try decodeSparse(&source, count: count)
        for i in 0..<count { chunk.rows[i].taskReward = rewards[i] }
        chunk.fun = ContiguousArray(repeating: 0, count: count * components)
        for c in 0..<components {
            let column = try decodeSparse(&source, count: count)
            for i in 0..<count { chunk.fun[i * components + c] = column[i] }
        }
        let hasFlags = try source.byte()
        guard hasFlags <= 1 else { throw ByteSource.Overrun(what: "a flags marker of 0 or 1") }
        if hasFlags == 1 {
            chunk.hasFlags = true
            for i in 0..<count {
                let f = try source.byte()
                guard f < 128 else { throw ByteSource.Overrun(what: "step flags below 128") }
                chunk.rows[i].flags = f
            }
            for i in 0..<count where chunk.rows[i].flags & Self.outputFlags != 0 {
                let f = chunk.rows[i].flags
                var o = AgentOutputs()
                if f & 2 != 0 { o.taskProbabilities = try decodeProbabilities(&source) }
                if f & 4 != 0 { o.playProbabilities = try decodeProbabilities(&source) }
                if f & 8 != 0 { o.value = try source.float() }
                if f & 16 != 0 { o.recall = (try source.float(), try source.float()) }
                if f & 32 != 0 {
                    let n = Int(try source.byte())
                    var values: [Float] = []
                    for _ in 0..<n { values.append(try source.float()) }
                    let size = try source.count(max: Int(Int32.max))
                    let nearest = try source.float()
                    o.memory = (values, size, nearest.isNaN ? nil : nearest)
                }
                if f & 64 != 0 { o.skill = (Int(try source.byte()), Int(try source.byte()), try source.float()) }
                chunk.outputs.append(o)
            }
        }
        guard source.isAtEnd else { throw ByteSource.Overrun(what: "the end of the chunk (\(source.bytes.count - source.offset) bytes left over)") }
        return chunk
    }

    static func decodeSparse(_ source: inout ByteSource, count: Int) throws(ByteSource.Overrun) -> [Float] {
        var values = [Float](repeating: 0, count: count)
        let entries = try source.count(max: count)
        guard entries > 0 else { return values }
        let paletteSize = try source.count(max: entries)
        guard paletteSize >= 1 else { throw ByteSource.Overrun(what: "a palette of at least one value") }
        var palette: [Float] = []
        for _ in 0..<paletteSize { palette.append(try source.float()) }
        var position = -1
        for _ in 0..<entries {
            position += 1 + (try source.count(max: count))
            let index = try source.count(max: paletteSize - 1)
            guard position < count else { throw ByteSource.Overrun(what: "a reward within the chunk") }
            values[position] = palette[index]
        }
        return values
    }

    static func decodeProbabilities(_ source: inout ByteSource) throws(ByteSource.Overrun) -> [Float] {
        let n = Int(try source.byte())
        var p: [Float] = []
        p.reserveCapacity(n)
        for _ in 0..<n { p.append(Float(try source.u16()) / 65535) }
        return p
    }

    /// Decoded steps with their frame counters, given how many episodes make a trial.
    package func steps(episodesPerTrial: Int) -> [TapeStep] {
        var result: [TapeStep] = []
        result.reserveCapacity(count)
        var (trial, episode, step) = (self.trial, self.episode, self.step)
        var outputIndex = 0
        for i in 0..<count {
            if i > 0 {
                if Outcome(rawValue: rows[i - 1].outcome).endsEpisode {
                    (trial, episode) = TapeChunk.nextEpisode(trial: trial, episode: episode, episodesPerTrial: episodesPerTrial)
                    step = 1
                } else {
                    step += 1
                }
            }
            let row = rows[i]
            let flag = row.flags
            var o: AgentOutputs?
            if flag & Self.outputFlags != 0 {
                o = outputs[outputIndex]
                outputIndex += 1
            }
            result.append(TapeStep(index: firstStep + i, trial: trial, episode: episode, step: step,
                                   action: ActionPair(packed: row.action)!, events: Events(bits: row.events),
                                   outcome: Outcome(rawValue: row.outcome), taskReward: row.taskReward,
                                   fun: Array(fun[(i * components)..<((i + 1) * components)]), outputs: o, manual: flag & 1 != 0))
        }
        return result
    }

    /// The (trial, episode) after an episode ends.
    package static func nextEpisode(trial: Int, episode: Int, episodesPerTrial: Int) -> (Int, Int) {
        episode + 1 < episodesPerTrial ? (trial, episode + 1) : (trial + 1, 0)
    }
}
