import Foundation
import Testing
import TestSupport

/// End to end: what `scenarios show` prints for a researcher's own file.
@Suite struct ScenariosCommandTests {
    typealias CLI = TapeCommandTests

    @Test("show lists every dynamics setting of a file, in the same order on every run, rule redraws included")
    func showDynamics() throws {
        let path = Scratch.path("drifting.yaml")
        try """
        name: drifting
        map: |
          ########
          #A.*=fk#
          #..o~.G#
          ########
        task: reach-goal
        mechanics: {bridge: bridge}
        dynamics:
          drift: {key: 0.3, block: 0.2, ball: 0.1}
          respawn: {key: 5, fruit: 20}
          redraw-rules-every: 7
          redraw-rules-between-episodes: true

        """.write(toFile: path, atomically: true, encoding: .utf8)
        for _ in 0..<4 {
            let r = try CLI.playgrid("scenarios", "show", path, "--variety", "0")
            #expect(r.status == 0, "\(r.err)")
            #expect(r.out.hasPrefix("drifting\ntask: reach the goal\n"), "no summary, so no colon after the name: \(r.out)")
            #expect(r.out.split(separator: "\n").contains("dynamics: ball drifts (p=0.1); key drifts (p=0.3); block drifts (p=0.2); "
                + "key grows back after 5 steps; fruit grows back after 20 steps; hidden rules drawn anew every 7 steps; "
                + "hidden rules drawn anew between episodes"), "\(r.out)")
        }
    }
}
