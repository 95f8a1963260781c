import Foundation
import GridWorld
import Spelling

/// A weighted list of fun models, as written on the command line: `delight=1,novelty=0.1`.
public struct FunSpec: Hashable, Sendable, CustomStringConvertible {
    public struct Term: Hashable, Sendable {
        public var model: String
        public var weight: Float
        public init(model: String, weight: Float) {
            self.model = model
            self.weight = weight
        }
    }

    public var terms: [Term]

    public init(terms: [Term]) { self.terms = terms }

    /// The default when a command is given no `--fun`: the scenario's own delight events.
    public static let standard = FunSpec(terms: [Term(model: "delight", weight: 1)])

    /// Names of every model a spec may use.
    public static var knownModels: [String] { FunCatalog.entries.map(\.name) }

    /// Parses `name=weight,name=weight`; a bare name means weight 1; `none` (or empty) means no fun. An error quotes
    /// what was typed with escapes (`oneLine`), as the argument parser's line that carries it prints it as it is.
    public init(parsing text: String) throws(FunSpecError) {
        terms = []
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed == "none" { return }
        for part in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = pieces[0].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { throw FunSpecError("empty term in fun spec '\(oneLine(text))'; expected name=weight, e.g. delight=1,novelty=0.1") }
            guard Self.knownModels.contains(name) else {
                let hint = didYouMean(name, among: Self.knownModels)
                throw FunSpecError("unknown fun model '\(oneLine(name))'; \(hint)known models: \(Self.knownModels.joined(separator: ", "))")
            }
            var weight: Float = 1
            if pieces.count == 2 {
                let raw = pieces[1].trimmingCharacters(in: .whitespaces)
                guard let value = Float(raw), value.isFinite else {
                    throw FunSpecError("fun weight for '\(name)' must be a finite number, found '\(oneLine(raw))'")
                }
                weight = value
            }
            guard !terms.contains(where: { $0.model == name }) else { throw FunSpecError("fun model '\(name)' is named twice") }
            terms.append(Term(model: name, weight: weight))
        }
    }

    public var description: String {
        terms.isEmpty ? "none" : terms.map { "\($0.model)=\(formatWeight($0.weight))" }.joined(separator: ",")
    }

    /// The total positive weight: how much fun a step can pay next to the task's reward, in units of one
    /// model's reward. An optimistic learner starts its fun values in proportion to it (0: nothing to hope for).
    public var optimismWeight: Float { terms.reduce(0) { $0 + max(0, $1.weight) } }

    /// Builds the models for a scenario, in spec order.
    public func makeModels(for scenario: Scenario, seed: UInt64) -> [any FunModel] {
        terms.map { term in FunCatalog.entries.first { $0.name == term.model }!.make(scenario, seed) }
    }
}

func formatWeight(_ w: Float) -> String {
    w == w.rounded() && abs(w) < 1e6 ? String(Int(w)) : String(w)
}

public struct FunSpecError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Every fun model by name, with its scope and how to build it for a scenario.
public enum FunCatalog {
    public struct Entry: Sendable {
        public var name: String
        public var summary: String
        /// How long the model's memory lasts (what `FunModel.scope` of the built model says).
        public var scope: FunScope
        public var make: @Sendable (Scenario, UInt64) -> any FunModel
    }

    public static let entries: [Entry] = [
        Entry(name: "delight", summary: "the scenario's declared delight events (a rock sinking, a bell ringing), habituating within an episode", scope: .episode) { scenario, _ in
            Delight(scenario: scenario)
        },
        Entry(name: "novelty", summary: "count-based novelty 1/√N(s), counted within the episode", scope: .episode) { scenario, seed in
            Novelty(scope: .episode, keyer: StateKeyer(scenario: scenario, seed: seed))
        },
        Entry(name: "novelty-lifelong", summary: "count-based novelty 1/√N(s), counted over the whole run", scope: .lifetime) { scenario, seed in
            Novelty(scope: .lifetime, keyer: StateKeyer(scenario: scenario, seed: seed))
        },
        Entry(name: "curiosity", summary: "forward-model prediction error on random features (ICM-style)", scope: .lifetime) { scenario, seed in
            Curiosity(features: FeatureSpace(scenario: scenario), seed: seed)
        },
        Entry(name: "rnd", summary: "random network distillation error, normalised by its running RMS", scope: .lifetime) { scenario, seed in
            RandomNetworkDistillation(features: FeatureSpace(scenario: scenario), seed: seed)
        },
        Entry(name: "progress", summary: "learning progress: the fall of per-region prediction error", scope: .lifetime) { scenario, seed in
            LearningProgress(features: FeatureSpace(scenario: scenario), seed: seed)
        },
        Entry(name: "empowerment", summary: "2-step empowerment: log2 of the distinct states reachable in 2 steps", scope: .lifetime) { _, _ in
            Empowerment(horizon: 2)
        },
        Entry(name: "entropy", summary: "state entropy: -log of the running visitation frequency of the state", scope: .lifetime) { scenario, seed in
            StateEntropy(keyer: StateKeyer(scenario: scenario, seed: seed))
        },
        Entry(name: "entropy-centred", summary: "state entropy gain: -log of the visitation frequency minus the current entropy", scope: .lifetime) { scenario, seed in
            StateEntropy(keyer: StateKeyer(scenario: scenario, seed: seed), centred: true)
        },
        Entry(name: "skill", summary: "DIAYN skill discriminability log q(z|s) - log p(z), 4 skills", scope: .lifetime) { scenario, seed in
            SkillDiscovery(features: FeatureSpace(scenario: scenario), skills: 4, seed: seed)
        },
    ]
}
