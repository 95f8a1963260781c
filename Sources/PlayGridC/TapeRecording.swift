import Foundation
import GridWorld
import Tapes

/// A tape of one environment of a batch, fed by the caller after each of its steps: the same tape `playgrid run
/// --record` writes, so `playgrid replay` shows an agent from another language as it shows PlayGrid's own.
final class TapeRecording {
    let batch: EnvironmentBatch
    let index: Int
    let writer: TapeWriter
    /// The environment's resets when the tape began, and its steps when the last step was recorded: each step of
    /// that run must be recorded once.
    private let resets: Int
    private var recorded = 0
    /// The fun components of a step, reused.
    private var fun: [Float]
    let lock = NSLock()

    init(batch: EnvironmentBatch, index: Int, path: String, agent: String, force: Bool) throws(CallError) {
        let environment = batch.environments[index]
        let world = environment.trialWorld
        guard environment.stepsTaken == 0, world.trial == 0, world.episode == 0, world.world.state.step == 0 else {
            throw CallError(.tape, "\(path): environment \(index) has taken \(environment.stepsTaken) steps since it was reset with a seed; open the tape right after a reset with a seed, so that it starts where the seed does")
        }
        self.batch = batch
        self.index = index
        resets = environment.resets
        fun = [Float](repeating: 0, count: batch.components)
        do {
            writer = try TapeWriter(path: path, scenario: batch.scenario, origin: batch.origin, seed: environment.seed, agent: agent,
                                    fun: batch.funSpec, force: force)
        } catch {
            throw CallError(.tape, "\(error)")
        }
    }

    /// Records the environment's last step with what the agent said about it. The caller holds the batch's lock.
    func record(_ outputs: AgentOutputs?) throws(CallError) {
        let environment = batch.environments[index]
        let steps = environment.stepsTaken
        guard environment.resets == resets else {
            throw CallError(.tape, "\(writer.path): environment \(index) was reset with a seed after the tape began; a tape records one run from one seed (finish it and open another)")
        }
        guard steps == recorded + 1 else {
            throw CallError(.tape, steps == recorded
                ? "\(writer.path): environment \(index) has taken no step since the last one recorded"
                : "\(writer.path): environment \(index) took \(steps - recorded) steps since the last one recorded; record every step")
        }
        let base = index * batch.components
        for c in 0..<batch.components { fun[c] = batch.lastFun[base + c] }
        do {
            try writer.append(action: environment.lastAction, transition: environment.lastTransition,
                              after: environment.trialWorld, fun: fun, outputs: outputs)
        } catch {
            throw CallError(.tape, "\(error)")
        }
        recorded = steps
    }

    func finish() throws(CallError) {
        do {
            try writer.finish()
        } catch {
            throw CallError(.tape, "\(error)")
        }
    }
}

@_cdecl("pg_tape_open")
public func pgTapeOpen(_ batchHandle: UInt64, _ index: Int, _ path: UnsafePointer<CChar>?, _ agent: UnsafePointer<CChar>?,
                       _ force: Int32, _ handle: UnsafeMutablePointer<UInt64>?) -> Int32 {
    withBatch(batchHandle) { batch throws(CallError) in
        let handle = try required(handle, "the handle pointer")
        let index = try environment(index, of: batch)
        let path = try string(path, "the path")
        let agent = try string(agent, "the agent's name")
        guard !path.isEmpty else { throw CallError(.argument, "the tape's path is empty") }
        let tape = try TapeRecording(batch: batch, index: index, path: path, agent: agent, force: force != 0)
        handle.pointee = Handles.shared.insert(tape, kind: .tape)
    }
}

@_cdecl("pg_tape_record")
public func pgTapeRecord(_ handle: UInt64, _ taskProbabilities: UnsafePointer<Float>?, _ taskCount: Int,
                         _ playProbabilities: UnsafePointer<Float>?, _ playCount: Int, _ value: UnsafePointer<Float>?) -> Int32 {
    call { () throws(CallError) in
        let tape = try Handles.shared.object(handle, .tape, as: TapeRecording.self)
        tape.lock.lock()
        defer { tape.lock.unlock() }
        let task = try probabilities(taskProbabilities, taskCount, TaskAction.count, "task")
        let play = try probabilities(playProbabilities, playCount, PlayAction.count, "play")
        if let value, !value.pointee.isFinite { throw CallError(.argument, "the value \(value.pointee) is not a finite number") }
        let outputs = AgentOutputs(taskProbabilities: task, playProbabilities: play, value: value?.pointee)
        let batch = tape.batch
        batch.lock.lock()
        defer { batch.lock.unlock() }
        guard !batch.isClosed else { throw CallError(.tape, "\(tape.writer.path): its batch is closed; finish the tape first") }
        try tape.record(outputs.isEmpty ? nil : outputs)
    }
}

/// One head's probabilities, if given: one per action, each in [0, 1].
func probabilities(_ pointer: UnsafePointer<Float>?, _ count: Int, _ expected: Int, _ head: String) throws(CallError) -> [Float]? {
    guard let pointer else {
        guard count == 0 else { throw CallError(.argument, "the \(head) probabilities are NULL but their count is \(UInt(bitPattern: count))") }
        return nil
    }
    guard count == expected else {
        throw CallError(.argument, "\(UInt(bitPattern: count)) \(head) probabilities; the \(head) head has \(expected) actions")
    }
    let values = Array(UnsafeBufferPointer(start: pointer, count: count))
    if let bad = values.first(where: { !($0 >= 0 && $0 <= 1) }) {
        throw CallError(.argument, "a \(head) probability is \(bad); probabilities are from 0 to 1")
    }
    return values
}

@_cdecl("pg_tape_close")
public func pgTapeClose(_ handle: UInt64) -> Int32 {
    call { () throws(CallError) in
        let tape = try Handles.shared.remove(handle, .tape, as: TapeRecording.self)
        tape.lock.lock()
        defer { tape.lock.unlock() }
        try tape.finish()
    }
}
