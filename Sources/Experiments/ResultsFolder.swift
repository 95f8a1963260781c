import Foundation
import Records

/// Why an experiment could not run or write its results; the message names the file and what to do.
public struct ExperimentError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The results folder: the tables and plots at its top, and `cells/` holding each finished piece of work
/// (checkpoints, training records, evaluations, scored candidates) under the hash of what produced it.
///
/// A piece is finished when its JSON record exists; records are written atomically after their checkpoint,
/// so an interrupted experiment reruns only what had not finished.
struct ResultsFolder {
    let path: String
    var cells: String { path + "/cells" }

    /// Creates the folder; refuses one that holds another experiment's results unless `force`, and refuses — even
    /// with `force` — to change the preregistered hypotheses of a folder that already holds results. `analyseOnly`
    /// checks alone: a re-analysis records its configuration (`record`) only once its tables are written, so one
    /// that fails (a cell missing) leaves the folder's record of what its results came from as it was.
    static func prepare(path: String, configurationText: String, force: Bool,
                        preregistration: Preregistration? = nil, analyseOnly: Bool = false) throws(ExperimentError) -> ResultsFolder {
        // Files are named path + "/cells" and so on, so an empty path (an unset variable in `--out "$DIR"`) put
        // DESIGN.md, experiment.yaml and the cells in the file system's root.
        if path.isEmpty { throw ExperimentError("an empty --out names no results folder") }
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue {
            throw ExperimentError("\(path) is a file; --out needs a folder")
        }
        let saved = path + "/experiment.yaml"
        let registered = path + "/preregistration.json"
        if let old = try? String(contentsOfFile: registered, encoding: .utf8), hasResults(path),
           old != (preregistration?.canonicalJSON ?? "") {
            if (try? JSONSerialization.jsonObject(with: Data(old.utf8))) == nil {
                throw ExperimentError("\(registered) is damaged (not the JSON a run writes), and the results in \(path) were analysed under it; restore it (e.g. from git) or choose another --out")
            }
            throw ExperimentError("\(path) holds results analysed under the preregistration in \(registered); its hypotheses, primary metrics and decision rules cannot change once results exist (not even with --force): choose another --out")
        }
        if let old = try? String(contentsOfFile: saved, encoding: .utf8), old != configurationText, !force {
            throw ExperimentError("\(path) holds the results of a different experiment (\(saved) differs); pass --force to replace its tables (finished cells that still match are reused) or choose another --out")
        }
        let folder = ResultsFolder(path: path)
        if analyseOnly {
            // A slip in --out would otherwise leave a new folder holding a design and nothing measured.
            guard hasResults(path) else { throw ExperimentError("\(path) holds no finished cells to re-analyse; run without --analyse-only to compute them") }
            try folder.checkPlaces()
            return folder
        }
        do {
            try OutputFolder.create(path + "/cells")
        } catch {
            throw ExperimentError("cannot create the results folder: \(error)")  // the error names the folder in the way
        }
        try folder.checkPlaces()
        try folder.record(configurationText: configurationText, preregistration: preregistration)
        return folder
    }

    /// Refuses a folder (or anything else that is no place for a file) where a file of the results will be written,
    /// before any training: found when the tables are written, it wasted the whole run.
    func checkPlaces() throws(ExperimentError) {
        for name in ["experiment.yaml", "preregistration.json", "DESIGN.md"] + ExperimentReport.files {
            do {
                try OutputFile.checkPlace(path + "/" + name, expecting: "a file of the results")
            } catch {
                throw ExperimentError(error.description)
            }
        }
    }

    /// Writes the configuration and preregistration the folder's results come from (`experiment.yaml`,
    /// `preregistration.json`, none without hypotheses).
    func record(configurationText: String, preregistration: Preregistration?) throws(ExperimentError) {
        try write(text: configurationText, to: path + "/experiment.yaml")
        let registered = path + "/preregistration.json"
        if let preregistration {
            try write(text: preregistration.canonicalJSON, to: registered)
        } else if FileManager.default.fileExists(atPath: registered) {
            try? FileManager.default.removeItem(atPath: registered)
        }
    }

    /// Whether the folder holds anything measured: a finished cell or a report.
    static func hasResults(_ path: String) -> Bool {
        let fm = FileManager.default
        if fm.fileExists(atPath: path + "/results.md") { return true }
        let cells = (try? fm.contentsOfDirectory(atPath: path + "/cells")) ?? []
        return cells.contains { $0.hasSuffix(".json") }
    }

    func write(text: String, to file: String) throws(ExperimentError) {
        do {
            try AtomicFile.write(text: text, to: file)
        } catch {
            throw ExperimentError(error.description)
        }
    }

    /// A finished record, or nil when it is missing or unreadable (then the work is redone).
    func record<T: Decodable>(_ type: T.Type, named name: String) -> T? {
        guard let data = FileManager.default.contents(atPath: cells + "/" + name) else { return nil }
        return try? StableJSON.decode(type, from: data)
    }

    func save<T: Encodable>(_ value: T, named name: String) throws(ExperimentError) {
        let data: Data
        do { data = try StableJSON.data(value, pretty: true) } catch {
            throw ExperimentError("\(cells)/\(name): cannot be encoded: \(error)")
        }
        try write(text: String(decoding: data, as: UTF8.self), to: cells + "/" + name)
    }
}
