import Foundation
import MetaRL

/// Trains agents `jobs` at a time, each exactly as it would train alone (so results do not depend on `jobs`), and
/// reports their combined progress: the steps done across them, their summed rate, and what each one is doing.
/// Independent agents are the unit of parallelism that scales: one agent's batch splits over threads with
/// diminishing returns (`training.threads`), a list of agents does not.
struct ConcurrentTraining {
    let jobs: Int
    /// Steps each agent trains.
    let steps: Int
    /// The experiment's steps done before these agents.
    var done: Int

    /// Trains every job with `train`, which returns the line to log when it is done; `label` names a job in the
    /// progress line. The first error stops the others from starting another job and is thrown once the running
    /// ones finish.
    func run<Job>(_ pending: [Job], label: (Job) -> String, report: (ExperimentEvent) -> Void,
                  train: (Job, (TrainingMetrics) -> Void) throws -> String) throws {
        guard !pending.isEmpty else { return }
        let labels = pending.map(label)
        try withoutActuallyEscaping(report) { report in
            try withoutActuallyEscaping(train) { train in
                let workers = Workers(pending: pending, labels: labels, slots: min(jobs, pending.count), steps: steps, done: done,
                                      report: report, train: train)
                DispatchQueue.concurrentPerform(iterations: workers.slots.count) { workers.work(slot: $0) }
                if let error = workers.error { throw error }
            }
        }
    }

    /// What the workers share. Unchecked Sendable: each job trains its own agent into its own files, and the rest —
    /// the next job, each worker's latest update, the finished count, the first error and `report` — is touched
    /// only under `lock`, so events arrive one at a time.
    final class Workers<Job>: @unchecked Sendable {
        let pending: [Job]
        let labels: [String]
        let steps: Int
        let done: Int
        let report: (ExperimentEvent) -> Void
        let train: (Job, (TrainingMetrics) -> Void) throws -> String
        let lock = NSLock()
        var started = 0
        var finished = 0
        var slots: [(label: String, metrics: TrainingMetrics)?]
        var error: (any Error)?

        init(pending: [Job], labels: [String], slots: Int, steps: Int, done: Int, report: @escaping (ExperimentEvent) -> Void,
             train: @escaping (Job, (TrainingMetrics) -> Void) throws -> String) {
            self.pending = pending
            self.labels = labels
            self.slots = Array(repeating: nil, count: slots)
            self.steps = steps
            self.done = done
            self.report = report
            self.train = train
        }

        func locked<T>(_ body: () -> T) -> T {
            lock.lock()
            defer { lock.unlock() }
            return body()
        }

        /// One worker: takes jobs until none is left or one has failed.
        func work(slot: Int) {
            while let i = locked({ () -> Int? in
                guard error == nil, started < pending.count else { return nil }
                started += 1
                return started - 1
            }) {
                do {
                    let line = try train(pending[i]) { metrics in
                        self.locked {
                            self.slots[slot] = (self.labels[i], metrics)
                            self.report(self.progress())
                        }
                    }
                    locked {
                        slots[slot] = nil
                        finished += 1
                        report(.note(line))
                    }
                } catch {
                    locked { if self.error == nil { self.error = error } }
                    return
                }
            }
        }

        /// Steps done across the finished and running agents, their summed rate, and each running one's latest.
        func progress() -> ExperimentEvent {
            let running = slots.compactMap { $0 }
            let detail = running.map { "\($0.label) task \(format($0.metrics.meanTaskReturn))" }.joined(separator: " · ")
            return .progress(done: done + finished * steps + running.reduce(0) { $0 + $1.metrics.environmentSteps },
                             rate: running.reduce(0) { $0 + $1.metrics.stepsPerSecond }, detail: "\(running.count) at once: " + detail)
        }
    }
}
