import Foundation
import Fun
import GridWorld
import Records
import ScenarioFiles
import Tapes

// The C functions of playgrid.h. Each checks its arguments, then does its work inside `call`, which turns a
// thrown `CallError` into a status and the thread's last message: nothing here may trap on what a caller passes.

@_cdecl("pg_abi_version")
public func pgABIVersion() -> UInt32 { 1 }

/// The library's version, a static C string.
@_cdecl("pg_version")
public func pgVersion() -> UnsafePointer<CChar> { Library.version }

@_cdecl("pg_error_message")
public func pgErrorMessage() -> UnsafePointer<CChar> { LastError.message }

@_cdecl("pg_names")
public func pgNames(_ list: Int32, _ buffer: UnsafeMutablePointer<CChar>?, _ capacity: Int,
                    _ length: UnsafeMutablePointer<Int>?) -> Int32 {
    call { () throws(CallError) in
        guard let names = try Library.names(list) else {
            throw CallError(.argument, "no list of names numbered \(list); the lists are 0 to \(Library.nameLists - 1)")
        }
        try output(names.joined(separator: "\n"), buffer, capacity, length)
    }
}

// MARK: Batches

@_cdecl("pg_batch_open")
public func pgBatchOpen(_ scenario: UnsafePointer<CChar>?, _ fun: UnsafePointer<CChar>?, _ seeds: UnsafePointer<UInt64>?,
                        _ count: Int, _ handle: UnsafeMutablePointer<UInt64>?) -> Int32 {
    call { () throws(CallError) in
        let handle = try required(handle, "the handle pointer")
        let origin = try string(scenario, "the scenario")
        let count = try size(count, "count")
        guard count >= 1, count <= Library.maximumBatch else {
            throw CallError(.argument, "count is \(count); a batch holds 1 to \(Library.maximumBatch) environments")
        }
        let seeds = Array(UnsafeBufferPointer(start: try required(seeds, "seeds"), count: count))
        let spec: FunSpec
        do {
            spec = try FunSpec(parsing: fun.map { String(cString: $0) } ?? "")
        } catch {
            throw CallError(.fun, "fun spec: \(error)")
        }
        let loaded: Scenario
        do {
            loaded = try ScenarioCatalog.load(origin)
        } catch {
            throw CallError(.scenario, "\(error)")
        }
        let bytes = Library.estimatedBytes(loaded, count: count)
        guard bytes <= Library.maximumBytes else {
            throw CallError(.argument, "\(count) environments of \(origin) would take about \(bytes >> 30) GiB; a batch may take \(Library.maximumBytes >> 30) GiB (open fewer, or several batches)")
        }
        do {
            let batch = try EnvironmentBatch(scenario: loaded, origin: origin, funSpec: spec, seeds: seeds)
            handle.pointee = Handles.shared.insert(batch, kind: .batch)
        } catch {
            throw CallError(.scenario, "\(origin): \(error)")
        }
    }
}

@_cdecl("pg_batch_close")
public func pgBatchClose(_ handle: UInt64) -> Int32 {
    call { () throws(CallError) in
        let batch = try Handles.shared.remove(handle, .batch, as: EnvironmentBatch.self)
        batch.lock.lock()
        batch.isClosed = true
        batch.outputs = EnvironmentBatch.Outputs()
        batch.lock.unlock()
    }
}

/// Runs `body` on an open batch, holding its lock.
func withBatch(_ handle: UInt64, _ body: (EnvironmentBatch) throws(CallError) -> Void) -> Int32 {
    call { () throws(CallError) in
        let batch = try Handles.shared.object(handle, .batch, as: EnvironmentBatch.self)
        batch.lock.lock()
        defer { batch.lock.unlock() }
        guard !batch.isClosed else { throw CallError(.handle, "batch handle \(handle) is closed") }
        try body(batch)
    }
}

/// An environment index of a batch.
func environment(_ index: Int, of batch: EnvironmentBatch) throws(CallError) -> Int {
    guard index >= 0, index < batch.count else {
        throw CallError(.argument, "environment \(UInt(bitPattern: index)) is out of range; the batch has \(batch.count) (0 to \(batch.count - 1))")
    }
    return index
}

@_cdecl("pg_batch_get")
public func pgBatchGet(_ handle: UInt64, _ property: Int32, _ value: UnsafeMutablePointer<Int64>?) -> Int32 {
    withBatch(handle) { batch throws(CallError) in
        let value = try required(value, "value")
        let s = batch.scenario
        let answer: Int
        switch property {
        case 0: answer = batch.count
        case 1: answer = s.viewSize
        case 2: answer = s.map.width
        case 3: answer = s.map.height
        case 4: answer = TaskAction.count
        case 5: answer = PlayAction.count
        case 6: answer = batch.components
        case 7: answer = s.episodesPerTrial
        case 8: answer = s.maxSteps
        case 9: answer = Int(batch.environments[0].trialWorld.world.rules.playMask)
        case 10: answer = batch.environments[0].trialWorld.world.rules.fullEnergy
        default: throw CallError(.argument, "no batch property numbered \(property); they are 0 to 10")
        }
        value.pointee = Int64(answer)
    }
}

@_cdecl("pg_batch_text")
public func pgBatchText(_ handle: UInt64, _ text: Int32, _ buffer: UnsafeMutablePointer<CChar>?, _ capacity: Int,
                        _ length: UnsafeMutablePointer<Int>?) -> Int32 {
    withBatch(handle) { batch throws(CallError) in
        let answer: String
        switch text {
        case 0: answer = batch.scenario.name
        case 1: answer = batch.scenario.summary
        case 2: answer = batch.origin
        case 3: answer = batch.funSpec.description
        case 4: answer = batch.funSpec.terms.map(\.model).joined(separator: "\n")
        case 5: answer = batch.scenario.task.sentence
        default: throw CallError(.argument, "no batch text numbered \(text); they are 0 to 5")
        }
        try output(answer, buffer, capacity, length)
    }
}

@_cdecl("pg_batch_bind")
public func pgBatchBind(_ handle: UInt64, _ buffer: Int32, _ data: UnsafeMutableRawPointer?, _ bytes: Int) -> Int32 {
    withBatch(handle) { batch throws(CallError) in
        let bytes = try size(bytes, "bytes")
        guard let output = OutputBuffer(rawValue: buffer) else {
            throw CallError(.argument, "no output buffer numbered \(buffer); they are 0 to \(OutputBuffer.allCases.count - 1)")
        }
        let (elements, size) = output.layout(batch)
        let needed = batch.count * elements * size
        if data == nil {
            guard bytes == 0 else { throw CallError(.argument, "the \(output) buffer is NULL but bytes is \(bytes); pass 0 to unbind") }
        } else {
            guard bytes >= needed else {
                throw CallError(.argument, "the \(output) buffer has \(bytes) bytes; \(batch.count) environments need \(needed) (\(elements) × \(size) bytes each)")
            }
            guard Int(bitPattern: data) % size == 0 else {
                throw CallError(.argument, "the \(output) buffer is not aligned to its \(size)-byte elements")
            }
        }
        var o = batch.outputs
        o.bind(output, needed == 0 ? nil : data)
        batch.outputs = o
        batch.writeAll()
    }
}

/// The environments a (mask, count) pair picks: all when the mask is NULL.
func picked(_ mask: UnsafePointer<UInt8>?, _ count: Int, _ batch: EnvironmentBatch) throws(CallError) -> [Int] {
    let count = try size(count, "count")
    guard count == batch.count else { throw CallError(.argument, "count is \(count); the batch has \(batch.count) environments") }
    guard let mask else { return Array(0..<count) }
    return (0..<count).filter { mask[$0] != 0 }
}

@_cdecl("pg_batch_reset")
public func pgBatchReset(_ handle: UInt64, _ seeds: UnsafePointer<UInt64>?, _ mask: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    withBatch(handle) { batch throws(CallError) in
        let chosen = try picked(mask, count, batch)
        let seeds = try required(seeds, "seeds")
        for i in chosen {
            do {
                try batch.reset(i, seed: seeds[i])
            } catch {
                throw CallError(.scenario, "environment \(i) cannot start from seed \(seeds[i]): \(error)")
            }
        }
    }
}

@_cdecl("pg_batch_next_episode")
public func pgBatchNextEpisode(_ handle: UInt64, _ mask: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    withBatch(handle) { batch throws(CallError) in
        for i in try picked(mask, count, batch) {
            do {
                try batch.beginEpisode(i)
            } catch {
                throw CallError(.scenario, "environment \(i) cannot begin its next episode: \(error); reset it with a seed")
            }
        }
    }
}

@_cdecl("pg_batch_step")
public func pgBatchStep(_ handle: UInt64, _ actions: UnsafePointer<Int64>?, _ count: Int) -> Int32 {
    withBatch(handle) { batch throws(CallError) in
        let count = try size(count, "count")
        guard count == 2 * batch.count else {
            throw CallError(.argument, "\(count) action halves for \(batch.count) environments; expected \(2 * batch.count) (a task half and a play half each)")
        }
        let actions = try required(actions, "actions")
        let tasks = Int64(TaskAction.count), plays = Int64(PlayAction.count)
        for i in 0..<batch.count {
            let task = actions[2 * i], play = actions[2 * i + 1]
            guard task >= 0, task < tasks else {
                throw CallError(.action, "environment \(i): task action \(task) is out of range; expected 0 to \(tasks - 1) (\(TaskAction.allCases.map(\.name).joined(separator: ", ")))")
            }
            guard play >= 0, play < plays else {
                throw CallError(.action, "environment \(i): play action \(play) is out of range; expected 0 to \(plays - 1) (\(PlayAction.allCases.map(\.name).joined(separator: ", ")))")
            }
        }
        if let (index, problem) = batch.step(actions) {
            throw CallError(.scenario, "environment \(index) cannot begin its next episode: \(problem); it tries again at its next step, or reset it with a seed")
        }
    }
}

/// Facts about the library as a whole.
enum Library {
    static let maximumBatch = 1 << 20
    /// What a batch may take, so that a count too large for its scenario is refused rather than left to exhaust
    /// the memory of the caller's process.
    static let maximumBytes = 8 << 30

    /// About what `count` environments of a scenario take: three copies of a padded grid each (the world, and the
    /// worlds fun models are shown), and a few KiB of the rest.
    static func estimatedBytes(_ scenario: Scenario, count: Int) -> Int {
        let pad = max(1, scenario.viewSize / 2)
        let cells = (scenario.map.width + 2 * pad) * (scenario.map.height + 2 * pad)
        return count * (cells * 3 * 3 + 4096)
    }

    /// "0.1.0": the version tapes carry, without the program's name.
    nonisolated(unsafe) static let version: UnsafePointer<CChar> = {
        let text = ToolVersion.current.split(separator: " ").last.map(String.init) ?? ToolVersion.current
        return UnsafePointer(strdup(text)!)
    }()

    static let nameLists = 9

    /// The names of one list, line i naming code i (gaps, if codes ever skip, are empty lines).
    static func names(_ list: Int32) throws(CallError) -> [String]? {
        func byCode<T: StablyNamed & RawRepresentable>(_ type: T.Type) -> [String] where T.RawValue == UInt8 {
            let cases = T.allCases.sorted { $0.rawValue < $1.rawValue }
            var names = [String](repeating: "", count: Int(cases.last?.rawValue ?? 0) + 1)
            for c in cases { names[Int(c.rawValue)] = c.name }
            return names
        }
        switch list {
        case 0: return byCode(TaskAction.self)
        case 1: return byCode(PlayAction.self)
        case 2: return byCode(EventKind.self)
        case 3: return byCode(Tile.self)
        case 4: return byCode(Thing.self)
        case 5: return byCode(Direction.self)
        case 6: return FunSpec.knownModels
        case 7:
            do { return try ScenarioCatalog.names() } catch { throw CallError(.scenario, "\(error)") }
        case 8: return Aux.colorNames
        default: return nil
        }
    }
}
