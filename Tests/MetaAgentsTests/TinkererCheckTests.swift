import Engine
import Fun
import MetaAgents
import MetaRL
import Statistics
import TestSupport
import Testing

/// Issue #14's check on the bundled tinkerer, meta-trained on task reward alone in the four worlds whose hidden
/// rules play finds out: on held-out trials (seed 424242, as the README's commands; new MDPs, as the families draw
/// from 10⁷–10⁸) it solves them, plays to do so, and beats its controls — the same training unable to play
/// (`tinkerer-no-play`) and itself without memory across episodes — in the last episode of a trial, paired trial by
/// trial. It only runs the agents: seconds in a debug build.
@Suite struct TinkererCheckTests {
    static let families = ["bridge-builder", "buried-key", "signal-doors", "tinker-lab"]
    static let noFun = FunSpec(terms: [])

    func run(_ family: String, agent name: String, memory: MemorySpan? = nil, trials: Int) throws -> RunReport {
        let world = try shipped(family)
        return try Runner.run(scenario: world, agent: try bundledAgent(name, in: world, memory: memory), fun: Self.noFun,
                              seed: 424242, length: .trials(trials))
    }

    @Test("the tinkerer solves every hidden-rule family on held-out trials, and some of its play changes the world", arguments: families)
    func solves(family: String) throws {
        let r = try run(family, agent: "tinkerer", trials: 40)
        #expect(r.successRate >= 0.8, "success \(r.successRate)")
        #expect(r.effectivePlayRatio > 0.02, "effective play ratio \(r.effectivePlayRatio)")
    }

    @Test("the tinkerer's last episode beats the same training unable to play", arguments: families)
    func beatsNoPlay(family: String) throws {
        try expectBeats(try run(family, agent: "tinkerer", trials: 150), try run(family, agent: "tinkerer-no-play", trials: 150))
    }

    /// Where finding the rule takes tries (three patches, three mechanisms), remembering what worked pays; where it
    /// shows at once (a ford or a bridge in sight, the one bell) memory adds little.
    @Test("in buried-key and tinker-lab the tinkerer's last episode beats its first and itself without memory across episodes",
          arguments: ["buried-key", "tinker-lab"])
    func remembers(family: String) throws {
        let r = try run(family, agent: "tinkerer", trials: 150)
        let last = r.returnByEpisodeIndex.count - 1
        #expect(r.returnByEpisodeIndex[last] > r.returnByEpisodeIndex[0], "return by episode \(r.returnByEpisodeIndex)")
        try expectBeats(r, try run(family, agent: "tinkerer", memory: .episode, trials: 150))
    }

    @Test("in buried-key the tinkerer digs about twice as often in a trial's first episode as in its last")
    func digsFirst() throws {
        let plays = try run("buried-key", agent: "tinkerer", trials: 150).playStepsByEpisodeIndex
        #expect(plays[0] >= 1.5 * plays[plays.count - 1], "play steps by episode \(plays)")
    }

    /// The last episode's task return of `a` minus `control`'s, paired trial by trial, has a 95% interval above zero.
    func expectBeats(_ a: RunReport, _ control: RunReport) throws {
        func last(_ r: RunReport) -> [Double] { r.taskReturnByTrial.map { $0[$0.count - 1] } }
        let paired = try #require(Sample.paired(last(a), last(control)))
        #expect(paired.difference.lower > 0, "\(control.agent): difference \(paired.difference)")
    }
}
