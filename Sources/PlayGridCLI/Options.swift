import Agents
import EpisodicAgents
import Foundation
import MetaAgents
import MetaRL
import ArgumentParser
import Fun
import GridWorld
import ScenarioFiles
import ShippedFiles
import Spelling

/// Refuses a `--steps` outside 1 to `TrainerConfiguration.mostSteps`: every command that trains or learns takes the
/// same range, so none accepts a count another refuses, and none can overflow rounding it up to whole updates.
func validateSteps(_ steps: Int) throws {
    guard (1...TrainerConfiguration.mostSteps).contains(steps) else {
        throw ValidationError("--steps must be from 1 to \(TrainerConfiguration.mostSteps), found \(steps)")
    }
}

/// Options shared by every command that runs an agent in a scenario.
struct WorldOptions: ParsableArguments {
    @Argument(help: "A shipped scenario's name or a path to a scenario file.")
    var scenario: String = ScenarioCatalog.defaultName

    @Option(help: "Seed of the run: the same seed gives the same run.")
    var seed: UInt64 = 1

    /// Parsed with the arguments, so an unknown model or a bad weight is a usage mistake (status 64); the parser shows
    /// no default for a value it transforms, so the help says it.
    @Option(help: "Fun models and weights, e.g. delight=1,novelty=0.1 (none for no fun). (default: \(FunSpec.standard))", transform: { try FunSpec(parsing: $0) })
    var fun: FunSpec = .standard

    func loadScenario() throws -> Scenario { try ScenarioCatalog.load(scenario) }
}

extension MemorySpan: ExpressibleByArgument {}
extension RecurrentCore: ExpressibleByArgument {}
extension GridRecipe: ExpressibleByArgument {}
extension GoalSampling: ExpressibleByArgument {}
extension SkillMethod: ExpressibleByArgument {}
extension PositionLayout: ExpressibleByArgument {
    /// On the command line a layout goes by its name (cell, row-column); its saved raw value is accepted too.
    public init?(argument: String) { self.init(name: argument) }
    public static var allValueStrings: [String] { allCases.map(\.name) }
    public var defaultValueDescription: String { name }
    /// The option's help describes both layouts; left to the parser, they were listed again with empty descriptions
    /// (it looks descriptions up by the saved raw values, not by the names shown).
    public static var allValueDescriptions: [String: String] { [:] }
}

/// The controls that every claim of emergent play is checked against, applied to a learned agent at run time.
struct AgentControls: ParsableArguments {
    @Flag(help: "Fix a learned agent's play head to none: the same agent without the ability to play (a control).")
    var noPlay = false

    @Option(help: ArgumentHelp("Clear a learned agent's memory at every episode (a control: the same agent without memory across episodes), or only between trials (trial: as it was trained, for RL² agents).",
                               valueName: "span"))
    var resetMemory: MemorySpan?

    @Option(help: "Run one skill of an agent trained with --skills (numbered from 0) in every trial; without it, trial k runs skill k mod K.")
    var skill: Int?

    var isSet: Bool { noPlay || resetMemory != nil || skill != nil }

    /// A negative skill is a usage mistake, refused before any work like `--skill -1` is (as a value out of range),
    /// not once the agent is loaded.
    func validate() throws {
        if let skill, skill < 0 { throw ValidationError("--skill numbers skills from 0, found \(skill)") }
    }
}

extension Checkpoint {
    /// The scenario this checkpoint was first trained on, for a command whose --scenario defaults to it. A checkpoint
    /// names its scenarios, not their files, so only the shipped scenario of that name and fingerprint is taken: a file
    /// of one's own is not looked up as a shipped name ("no such scenario"), nor swapped for a shipped one it shadows.
    /// `path` names the checkpoint in errors.
    func trainedScenario(path: String) throws -> Scenario {
        guard let family = identity?.families.first else {
            throw CommandFailure("\(path): does not say what it was trained on; name the scenario with --scenario")
        }
        guard try ScenarioCatalog.names().contains(family.name) else {
            throw CommandFailure("\(path): was trained on \(family.name), which is no shipped scenario; name its file with --scenario")
        }
        let shipped = try ScenarioCatalog.load(family.name)
        guard FamilyID(shipped) == family else {
            throw CommandFailure("\(path): was trained on a scenario named \(family.name) whose file is not the shipped one; name that file with --scenario")
        }
        return shipped
    }
}

/// Turns an `--agent` argument into an agent: a scripted agent's name, a bundled agent's name, or a checkpoint path.
enum AgentChoice {
    /// Agents that need no checkpoint: scripted ones and the online learners (q, mfec, nec).
    static let scripted = ["random", "greedy", "player", "q", "mfec", "nec"]

    /// Bundled meta-trained agents (assets/agents/NAME.pgck), none when the folder cannot be found.
    static var bundled: [String] {
        (try? ShippedFolder.locate(ShippedFolder.agents))?.names(withSuffix: ".pgck") ?? []
    }

    static var known: [String] { scripted + bundled }

    /// Whether an `--agent` argument names a checkpoint file (a `.pgck` file or anything with a folder in it) rather
    /// than an agent by name.
    static func isPath(_ name: String) -> Bool { name.contains("/") || name.hasSuffix(".pgck") }

    /// The file of the bundled agent called `name`; nil when `name` is a path or no bundled agent has that name.
    static func bundledPath(_ name: String) -> String? {
        guard !isPath(name), let agents = try? ShippedFolder.locate(ShippedFolder.agents),
              agents.names(withSuffix: ".pgck").contains(name) else { return nil }
        return agents.path + "/\(name).pgck"
    }

    /// The `--agent` help: every name the option takes, the bundled agents as they are installed.
    static var help: String {
        let learned = bundled.isEmpty ? "" : "; bundled meta-trained agents: " + bundled.joined(separator: ", ")
        return "random, greedy (solves the task; plays only where hidden rules need it, reading them as an oracle), player (plays, then solves), q (tabular Q-learning on task + fun), mfec (model-free episodic control: the best return remembered per situation), nec (neural episodic control: a learned embedding and a differentiable memory per action)\(learned); or a checkpoint path (.pgck)"
    }

    /// The agent `playgrid` shows when none is named: the bundled meta-trained agent when it is installed,
    /// else the scripted player (it plays, then solves).
    static var best: String { bundled.contains("explorer") ? "explorer" : "player" }

    /// The agent `name` for `scenario`; `fun` is what it will be rewarded with (the q agent's optimism follows it),
    /// `controls` what it acts without. A learned agent that cannot see the scenario's observations is refused with
    /// one line, and so are controls for a scripted agent. (`controls` is nil for commands without them: a parsed
    /// option group cannot be made by hand.)
    static func make(_ name: String, fun: FunSpec, scenario: Scenario, controls: AgentControls? = nil) throws -> any Agent {
        if controls?.isSet == true && scripted.contains(name) {
            throw CommandFailure("--no-play, --reset-memory and --skill apply to meta-trained agents (checkpoints); \(name) is not one")
        }
        switch name {
        case "random": return RandomAgent()
        case "greedy": return GreedyAgent()
        case "player": return PlayerAgent()
        case "q": return QAgent(funWeight: fun.optimismWeight)
        case "mfec": return MFECAgent(funWeight: fun.optimismWeight)
        case "nec": return NECAgent(funWeight: fun.optimismWeight)
        default:
            if isPath(name) {
                return try load(path: name, name: name, scenario: scenario, controls: controls)
            }
            if let path = bundledPath(name) { return try load(path: path, name: name, scenario: scenario, controls: controls) }
            // A bare word that is no agent's name but is there on disk (train --out agent.ckpt) is that file, to say
            // what it holds, not "unknown agent".
            if FileManager.default.fileExists(atPath: name) {
                return try load(path: name, name: name, scenario: scenario, controls: controls)
            }
            do {
                _ = try ShippedFolder.locate(ShippedFolder.agents)
            } catch {
                throw CommandFailure("--agent: unknown agent '\(name)'; known agents: \(scripted.joined(separator: ", ")), or a checkpoint path (no bundled agents: \(error.message))")
            }
            let hint = didYouMean(name, among: known)
            throw CommandFailure("--agent: unknown agent '\(name)'; \(hint)known agents: \(known.joined(separator: ", ")), or a checkpoint path")
        }
    }

    static func load(path: String, name: String, scenario: Scenario, controls: AgentControls?) throws -> any Agent {
        let checkpoint = try Checkpoint.read(from: path)
        if checkpoint.skillModel != nil {
            if let controls, controls.noPlay || controls.resetMemory != nil || controls.skill != nil {
                throw CommandFailure("--agent \(name): a high-level agent over skills takes none of --no-play, --reset-memory, --skill")
            }
            return try SkillLevelAgent(checkpoint: checkpoint, name: (name as NSString).lastPathComponent, scenario: scenario)
        }
        return try RecurrentAgent(checkpoint: checkpoint, name: (name as NSString).lastPathComponent, scenario: scenario,
                                  noPlay: controls?.noPlay ?? false, memory: controls?.resetMemory, skill: controls?.skill)
    }
}
