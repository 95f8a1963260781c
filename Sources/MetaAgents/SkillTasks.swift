import Checksum
import Foundation
import Fun
import GridWorld
import MetaRL
import NeuralCore
import Records

/// Unsupervised meta-RL's task distribution (Gupta, Eysenbach, Finn & Levine 2018): a trained DIAYN discriminator
/// q(z|s) makes each of its K skills a reward r_z(s′), so a trial draws a z, pays r_z on the task stream and never
/// shows z: an RL² agent must find out from the reward alone which skill's places pay (`playgrid train skill-tasks
/// --tasks-from SKILLS.pgck`). No hand-made reward is involved.
///
/// The reward is DIAYN's log q(z|s′) − log p(z), clipped at 0 and divided by ln K, so it lies in [0, 1]: 1 where
/// the discriminator is sure of z, 0 where it can only guess or takes the state for another skill. The goal-reaching
/// tasks the agent is tested on pay between 0.1 and 1, once, and never less than 0; the agent reads the last reward
/// as an input, so tasks on that scale keep test rewards inside what it saw. Unclipped, a step in another skill's
/// place pays down to ln(1e-6) + ln K ≈ −12.4, a value no test world gives and one that would swamp the value
/// loss. The − log p(z) term is the one DIAYN adds so that the reward at chance is 0, not negative.
public struct SkillTasks: Sendable {
    /// The frozen discriminator (its scratch changes as it classifies; its weights never do).
    public private(set) var discriminator: SkillDiscriminator
    /// The checkpoint the discriminator came from: its file name and the fingerprint of the discriminator.
    public let source: FamilyID
    public var count: Int { discriminator.skills }

    /// The tasks of `discriminator`, read from a checkpoint named `name`.
    public init(discriminator: SkillDiscriminator, name: String) {
        self.discriminator = discriminator
        let text = (try? StableJSON.string(discriminator)) ?? ""
        source = FamilyID(name: name, fingerprint: FNV1a.hex64(text))
    }

    /// The tasks of the checkpoint at `path`, refused in one line when it holds no discriminator; `argument` names
    /// where the path was given (train's `--tasks-from`, skills meta-test's `SKILLS`), first on that line.
    public init(path: String, argument: String = "--tasks-from") throws(SkillTasksError) {
        let checkpoint: Checkpoint
        do { checkpoint = try Checkpoint.read(from: path) } catch { throw SkillTasksError("\(argument): \(error)") }
        guard let discriminator = checkpoint.discriminator else {
            throw SkillTasksError("\(argument): \(path): holds no skill discriminator; give an agent trained with playgrid train --skills K")
        }
        self.init(discriminator: discriminator, name: URL(fileURLWithPath: path).lastPathComponent)
    }

    /// Refuses, in one line, a scenario whose places the discriminator cannot read (another map size) or that has a
    /// task of its own (its reward would be replaced, but its goal would still end episodes: a hand-made signal).
    public func check(_ scenario: Scenario) throws(ScenarioProblem) {
        do throws(SkillFeaturesError) {
            _ = try SkillFeatures(reading: discriminator, scenario: scenario)
        } catch {
            throw ScenarioProblem("\(source.name): \(error.message) (meta-train on the room its skills were learned in, e.g. skill-tasks for skill-room)")
        }
        guard scenario.task == .none else {
            throw ScenarioProblem("\(scenario.name) has a task of its own (\(scenario.task.name)); --tasks-from pays the skills' rewards alone: give a scenario without a task, e.g. skill-tasks")
        }
    }

    /// r_z(s′) of the state `world` is in. O(active · hidden), no allocation.
    public mutating func reward(in world: World, skill z: Int, features: SkillFeatures, active: inout ContiguousArray<Int32>) -> Float {
        discriminator.classifyPosition(in: world, features: features, active: &active)
        return Self.reward(logProbability: discriminator.logProbability(of: z), skills: count)
    }

    /// max(0, log q − log(1/K)) / ln K.
    public static func reward(logProbability: Float, skills: Int) -> Float {
        max(0, SkillDiscriminator.reward(logProbability: logProbability, skills: skills)) / log(Float(skills))
    }
}

/// Why a checkpoint's skills cannot be made tasks.
public struct SkillTasksError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
