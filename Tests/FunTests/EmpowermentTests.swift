import Foundation
import Fun
import GridWorld
import Testing

@Suite struct EmpowermentTests {
    static func bits(at start: GridPoint, horizon: Int) -> Float {
        let world = Rooms.world(Rooms.open(side: 11, start: start))
        var model = Empowerment(horizon: horizon, actions: Rooms.fiveActions)
        return model.bits(world)
    }

    @Test("n-step empowerment in an open 11×11 room, 5 actions: log2 5, 13, 25 at the centre; log2 3, 6, 10 in a corner",
          arguments: [(1, 2.32, 1.58), (2, 3.70, 2.58), (3, 4.64, 3.32)])
    func openRoom(horizon: Int, centre: Double, corner: Double) {
        let c = Self.bits(at: GridPoint(x: 5, y: 5), horizon: horizon)
        let k = Self.bits(at: GridPoint(x: 0, y: 0), horizon: horizon)
        #expect(abs(Double(c) - centre) < 0.01, "centre \(c)")
        #expect(abs(Double(k) - corner) < 0.01, "corner \(k)")
    }

    @Test("with the world's own action set, use acts like stay in an empty room and changes nothing")
    func worldActions() {
        let world = Rooms.world(Rooms.open(side: 11, start: GridPoint(x: 5, y: 5)))
        var model = Empowerment(horizon: 2)
        #expect(abs(model.bits(world) - log2(13)) < 1e-4)
    }
}
