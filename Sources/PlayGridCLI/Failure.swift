import ArgumentParser
import CommandLineErrors
import Experiments
import Foundation
import Fun
import GridWorld
import MetaAgents
import MetaRL
import Records
import ScenarioFiles
import Spelling
import Tapes

/// Writes one line to standard error.
func printError(_ line: String) {
    writeToStandardError(line + "\n")
}

/// Runs a command body, turning every expected failure into one clear line on stderr and exit status 1 (a tape's
/// errors have their own statuses, from 1 to 4: see `TapeError.exitStatus`).
func reportingFailures<T>(_ body: () throws -> T) throws -> T {
    // The line may quote an argument or a file's text holding a newline or an ESC.
    func report(_ line: String) { printError(oneLine(line)) }
    do {
        return try body()
    } catch let error as ExitCode {
        throw error
    } catch let interrupted as Interrupted {
        interrupted.endProcess()
    } catch let error as TapeError {
        report("playgrid: \(error)")
        throw ExitCode(error.exitStatus)
    } catch let error as ScenarioFileError {
        report("playgrid: \(error)")
    } catch let error as ScenarioProblem {
        report("playgrid: \(error)")
    } catch let error as FunSpecError {
        report("playgrid: --fun: \(error)")
    } catch let error as CheckpointError {
        report("playgrid: \(error)")
    } catch let error as TrainingError {
        report("playgrid: training: \(error)")
    } catch let error as AgentLoadError {
        report("playgrid: --agent: \(error)")
    } catch let error as ExperimentError {
        report("playgrid: experiment: \(error)")
    } catch let error as CommandFailure {
        report("playgrid: \(error.message)")
    } catch {
        report("playgrid: \(error)")
    }
    throw ExitCode(1)
}

/// A failure a command explains in its own words.
struct CommandFailure: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

extension CommandFailure {
    /// What every SVG (and any XML) starts with, and no checkpoint, tape, skill file, CSV or JSON record does: `--force`
    /// replaces a plot, never the checkpoint or coverage file a slip named as the plot's path.
    static let svgSignature = Array("<".utf8)

    /// Refuses to write over `path` unless `force` (the message offers `otherwise` too, e.g. "--resume to continue it"):
    /// nothing saved is overwritten without the user saying so. With `signature`, `force` overwrites only a file that
    /// starts with it (a `what`) or an empty one, so that a slip naming a scenario, a tape or another kind of file as
    /// the output cannot destroy it. First, a path that cannot be written at all (`expecting`, e.g. "an SVG file", names
    /// the file wanted) is refused before the command does its work, not when it saves the result.
    static func refuseOverwriting(_ path: String, force: Bool, otherwise: String? = nil, signature: [UInt8]? = nil,
                                  what: String = "", expecting: String) throws {
        try OutputFile.check(path, expecting: expecting)
        guard FileManager.default.fileExists(atPath: path) else { return }
        if !force { throw CommandFailure("\(path) exists; pass --force to overwrite it" + (otherwise.map { " or \($0)" } ?? "")) }
        if let signature { try refuseReplacingOtherKinds(path, signature: signature, what: what) }
    }

    /// Refuses to replace the file at `path` unless it is empty or starts with `signature` (a `what`): what `--force`
    /// (or `asked`, the option that would replace it) may overwrite, for an output written beside another (a
    /// checkpoint's learning curve) as for one named.
    static func refuseReplacingOtherKinds(_ path: String, signature: [UInt8], what: String, asked: String = "--force") throws {
        if !ReadableFile.isReplaceable(path, by: signature) {
            throw CommandFailure("\(path) is not a \(what), so \(asked) does not overwrite it; choose another path")
        }
    }
}
