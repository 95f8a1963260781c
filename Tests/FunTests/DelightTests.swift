import Agents
import Fun
import GridWorld
import ScenarioFiles
import Session
import Testing

@Suite struct DelightTests {
    @Test("probe")
    func probe() throws {
        let scenario = try ScenarioCatalog.load("rock-garden")
        for view in [QAgent.StateView.observation(radius: 1), .observation(radius: 2), .observation(radius: nil)] {
            for optimism: Float in [0.2, 1] {
              for eps in [0.0, 0.05] {
                for d in ["delight=1", "delight=0"] {
                    let r = try Runner.run(scenario: scenario, agent: QAgent(stateView: view, optimism: optimism, exploration: eps), fun: FunSpec(parsing: d), seed: 1, length: .episodes(200))
                    print(view, optimism, eps, d, r.play_ratio, r.success_rate, r.play_events)
                }
              }
            }
        }
    }
}
