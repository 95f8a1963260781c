import Foundation
import Measurements
import MetaRL

// Prints one line of JSON.
//   neural-bench [SECONDS]                      training throughput on the PyTorch peer's shapes
//   neural-bench meta bandit|tabular STEPS [THREADS [CHECKPOINT]]   meta-train, then evaluate on 1000 held-out
//                                                    trials (saving CHECKPOINT every 100 updates when given)
//   neural-bench evaluate bandit|tabular CHECKPOINT      evaluate a saved check on the same held-out trials
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("neural-bench: \(message)\n".utf8))
    exit(2)
}

func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    if arguments.first == "evaluate" {
        guard arguments.count == 3 else { fail("usage: neural-bench evaluate bandit|tabular CHECKPOINT") }
        let checkpoint = try Checkpoint.read(from: arguments[2])
        guard let result = MetaLearningCheck.evaluate(checkpoint: checkpoint, family: arguments[1]) else {
            fail("unknown family '\(arguments[1])'; expected bandit or tabular")
        }
        try printJSON(["environmentSteps": Double(checkpoint.environmentSteps), "trained": result.trained.mean,
                       "trainedStandardError": result.trained.standardError, "random": result.random.mean])
    } else if arguments.first == "meta" {
        guard arguments.count >= 3, let steps = Int(arguments[2]), steps > 0 else {
            fail("usage: neural-bench meta bandit|tabular STEPS [THREADS]")
        }
        let threads = arguments.count > 3 ? Int(arguments[3]) ?? 0 : 1
        if threads < 1 { fail("THREADS must be a positive integer, got '\(arguments[3])'") }
        let schedule = arguments.count > 4 ? MetaLearningCheck.CheckpointSchedule(path: arguments[4], everyUpdates: 100) : nil
        let report: (TrainingMetrics) -> Bool = { m in
            if m.update % 100 == 0 {
                FileHandle.standardError.write(Data(String(format: "update %d steps %d trial return %.2f sps %.0f\n",
                    m.update, m.environmentSteps, m.meanTrialReturn, m.stepsPerSecond).utf8))
            }
            return true
        }
        switch arguments[1] {
        case "bandit": try printJSON(MetaLearningCheck.leverBandit(steps: steps, threads: threads, checkpoint: schedule, progress: report))
        case "tabular": try printJSON(MetaLearningCheck.tabularMDP(steps: steps, threads: threads, checkpoint: schedule, progress: report))
        default: fail("unknown family '\(arguments[1])'; expected bandit or tabular")
        }
    } else {
        var options = TrainingBenchmark.Options()
        if let first = arguments.first {
            guard let s = Double(first), s > 0 else { fail("expected a positive number of seconds, got '\(first)'") }
            options.measureSeconds = s
        }
        try printJSON(TrainingBenchmark.run(options))
    }
} catch {
    FileHandle.standardError.write(Data("neural-bench: \(error)\n".utf8))
    exit(1)
}
