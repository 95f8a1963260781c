import Foundation
import MetaRL

// Prints one line of JSON with the training-throughput figures on the PyTorch peer's shapes.
// Usage: neural-bench [measure-seconds]
var options = TrainingBenchmark.Options()
if CommandLine.arguments.count > 1 {
    guard let s = Double(CommandLine.arguments[1]), s > 0 else {
        FileHandle.standardError.write(Data("neural-bench: expected a positive number of seconds, got '\(CommandLine.arguments[1])'\n".utf8))
        exit(2)
    }
    options.measureSeconds = s
}
do {
    let results = try TrainingBenchmark.run(options)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    print(String(decoding: try encoder.encode(results), as: UTF8.self))
} catch {
    FileHandle.standardError.write(Data("neural-bench: \(error)\n".utf8))
    exit(1)
}
