import Foundation
import Records

/// What a checkpoint's agent was trained on and how, stored in the checkpoint so that `--resume` continues only
/// the same training and an agent is only run where it can see. Versioned: a build reads what older ones wrote.
public struct TrainingIdentity: Codable, Equatable, Sendable {
    /// 2: this typed record. (1: an untyped JSON string of the first builds, read by `Checkpoint.decode`.)
    public static let currentVersion = 2

    public var version: Int
    /// The task families trained on, each named with a fingerprint of its definition.
    public var families: [FamilyID]
    /// The intrinsic reward mixed into the learning reward, as a fun spec (`none` for none).
    public var fun: String
    public var seed: UInt64
    /// The named trainer recipe the run started from (its settings, overrides included, are in the checkpoint).
    public var recipe: String
    /// Environments stepped together, and the threads they were split over (results depend on both).
    public var envs: Int
    public var threads: Int
    /// What the policy's input means.
    public var observation: ObservationEncoding
    /// The version of the tool that trained it.
    public var tool: String
    /// How a goal-conditioned agent's goals were drawn (`goid`, `uniform`); nil for an agent not given goals (and
    /// in checkpoints written before goals).
    public var goals: String?
    /// Where the tasks came from when they were skills (unsupervised meta-RL, `train --tasks-from SKILLS`): the
    /// source checkpoint's file name and the fingerprint of its discriminator; nil for the scenarios' own tasks.
    public var tasksFrom: FamilyID?
    /// For SiMPL's high level (`train --skills-from SKILLS`): the skill file's name and its model's fingerprint, and
    /// α, the weight of the KL penalty to the skill prior; nil for an agent whose actions are the world's own.
    public var skillsFrom: FamilyID?
    public var skillPriorWeight: Float?
    /// How a skill agent's skills came about when not by DIAYN (`edl`: regions fixed before training); nil for DIAYN,
    /// for agents without skills and in checkpoints written before EDL.
    public var skillMethod: String?

    public init(families: [FamilyID], fun: String, seed: UInt64, recipe: String, envs: Int, threads: Int,
                observation: ObservationEncoding, tool: String) {
        version = Self.currentVersion
        self.families = families
        self.fun = fun
        self.seed = seed
        self.recipe = recipe
        self.envs = envs
        self.threads = threads
        self.observation = observation
        self.tool = tool
    }

    /// "rock-garden, key-door with fun delight=1", for messages.
    public var summary: String {
        families.map(\.name).joined(separator: ", ") + " with fun " + fun + (tasksFrom.map { " and tasks from \($0.name)" } ?? "")
    }
}

/// A task family as a training record names it: its name and the fingerprint of its definition (a scenario
/// file's text), so a checkpoint or a cached result is only reused with the very families it was trained on.
public struct FamilyID: Codable, Hashable, Sendable {
    public var name: String
    public var fingerprint: String

    public init(name: String, fingerprint: String) {
        self.name = name
        self.fingerprint = fingerprint
    }
}

/// What each input of a policy means: the encoding's name and version, and the shape it was built for.
public struct ObservationEncoding: Codable, Hashable, Sendable, CustomStringConvertible {
    /// The encoding, e.g. `grid-features`.
    public var name: String
    /// Bumped whenever the same inputs would come to mean something else.
    public var version: Int
    /// Side of the egocentric window, for encodings that have one.
    public var viewSize: Int?
    /// Inputs per step.
    public var size: Int
    /// The number of skills whose one-hot ends the input (DIAYN), nil for a policy not given a skill.
    public var skills: Int?
    /// What goal the policy is told after the rest (`cell`: its goal cell), nil for a policy not given a goal.
    /// Absent from checkpoints written before goals, which read as nil.
    public var goals: String?

    public init(name: String, version: Int, viewSize: Int? = nil, size: Int, skills: Int? = nil, goals: String? = nil) {
        self.name = name
        self.version = version
        self.viewSize = viewSize
        self.size = size
        self.skills = skills
        self.goals = goals
    }

    /// "grid-features v2 (7×7 window, 403 inputs)", "grid-features v2 (7×7 window, 8 skills, 411 inputs)",
    /// "grid-features v2 (7×7 window, goal cell, 408 inputs)".
    public var description: String {
        "\(name) v\(version) (" + (viewSize.map { "\($0)×\($0) window, " } ?? "") + (skills.map { "\($0) skills, " } ?? "")
            + (goals.map { "goal \($0), " } ?? "") + "\(size) inputs)"
    }
}

extension TrainingIdentity {
    /// The untyped record that the first builds kept in a checkpoint (`{"scenarios": [...], "fun": ..., "seed": ...,
    /// "envs": ..., "threads": ..., "tool": ...}`), read as a version-1 identity; nil when it is not one.
    /// Those builds trained only gridworld agents on one encoding, which the policy's input size then names.
    init?(legacy text: String, observationSize: Int) {
        struct Legacy: Decodable {
            var scenarios: [FamilyID]
            var fun: String
            var seed: UInt64
            var envs: Int?
            var threads: Int?
            var tool: String?
        }
        guard let old = try? StableJSON.decode(Legacy.self, from: Data(text.utf8)) else { return nil }
        self.init(families: old.scenarios, fun: old.fun, seed: old.seed, recipe: "gridworld", envs: old.envs ?? 0,
                  threads: old.threads ?? 0, observation: ObservationEncoding(name: "grid-features", version: 0, size: observationSize),
                  tool: old.tool ?? "")
        version = 1
    }
}
