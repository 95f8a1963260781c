import ArgumentParser
import Experiments
import Foundation
import Fun
import GridWorld
import MetaAgents
import MetaRL
import ScenarioFiles
import Tapes

/// Writes one line to standard error.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Runs a command body, turning every expected failure into one clear line on stderr and exit status 1 (a tape's
/// errors have their own statuses, from 1 to 4: see `TapeError.exitStatus`).
func reportingFailures<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ExitCode {
        throw error
    } catch let interrupted as ScreenInterrupted {
        interrupted.endProcess()
    } catch let error as TapeError {
        printError("playgrid: \(error)")
        throw ExitCode(error.exitStatus)
    } catch let error as ScenarioFileError {
        printError("playgrid: \(error)")
    } catch let error as ScenarioProblem {
        printError("playgrid: \(error)")
    } catch let error as FunSpecError {
        printError("playgrid: --fun: \(error)")
    } catch let error as CheckpointError {
        printError("playgrid: \(error)")
    } catch let error as TrainingError {
        printError("playgrid: training: \(error)")
    } catch let error as AgentLoadError {
        printError("playgrid: --agent: \(error)")
    } catch let error as ExperimentError {
        printError("playgrid: experiment: \(error)")
    } catch let error as CommandFailure {
        printError("playgrid: \(error.message)")
    } catch {
        printError("playgrid: \(error)")
    }
    throw ExitCode(1)
}

/// A failure a command explains in its own words.
struct CommandFailure: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

extension CommandFailure {
    /// Refuses to write over `path` unless `force`: nothing saved is overwritten without the user saying so.
    static func refuseOverwriting(_ path: String, force: Bool) throws(CommandFailure) {
        if !force && FileManager.default.fileExists(atPath: path) {
            throw CommandFailure("\(path) exists; pass --force to overwrite it")
        }
    }
}
