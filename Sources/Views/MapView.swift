import GridWorld
import Terminal

/// The map panel: the world's cells through a camera that follows the agent, and the chosen overlay.
public enum MapView {
    /// The overlay's name in the panel title.
    static func title(_ overlay: Overlay?) -> String? {
        switch overlay {
        case .heatmap: "visits this trial"
        case .funMap: "fun earned this trial"
        case .egocentric: "agent's view"
        case .reveal: "rules revealed"
        case nil: nil
        }
    }

    public static func draw(_ state: DashboardState, trace: Trace, in rect: Rect, palette: MapPalette, theme: Theme,
                            into screen: inout Screen) {
        let world = state.frame.world
        var heading = state.scenarioName
        if let name = title(state.overlay) { heading += theme.isUnicode ? " · \(name)" : " - \(name)" }
        let inner = screen.box(rect, title: heading, theme: theme)
        guard inner.width > 0, inner.height > 0 else { return }
        var area = inner
        if state.overlay == .reveal {
            // The rules in words on the panel's first rows; the map takes the rest.
            let lines = Screen.wrap(revealText(world, unicode: theme.isUnicode), width: max(1, inner.width - 2)).prefix(max(0, inner.height / 2))
            for (row, line) in lines.enumerated() {
                screen.write(line, x: inner.x + 1, y: inner.y + row, style: theme.style("warning"), clip: inner)
            }
            area = Rect(x: inner.x, y: inner.y + lines.count, width: inner.width, height: inner.height - lines.count)
        }
        let agent = world.agentPosition
        let camera = Camera(mapWidth: world.width, mapHeight: world.height, panel: area, focusX: agent.x, focusY: agent.y)
        drawCells(world, camera: camera, palette: palette, into: &screen)
        switch state.overlay {
        case .heatmap: heat(trace.visits, trace: trace, world: world, camera: camera, theme: theme, into: &screen)
        case .funMap: heat(trace.funByCell, trace: trace, world: world, camera: camera, theme: theme, into: &screen)
        case .egocentric: viewWindow(world, camera: camera, into: &screen)
        case .reveal: reveal(world, camera: camera, palette: palette, theme: theme, into: &screen)
        case nil: break
        }
        if camera.scrolls {
            let text = "\(camera.originX),\(camera.originY) of \(world.width)\(theme.isUnicode ? "×" : "x")\(world.height)"
            screen.write(" \(text) ", in: Rect(x: rect.x + 1, y: rect.maxY - 1, width: rect.width - 2, height: 1),
                         alignment: .right, style: theme.style("text-dim"))
        }
    }

    /// The visible cells and the agent. One table lookup per cell.
    static func drawCells(_ world: World, camera: Camera, palette: MapPalette, into screen: inout Screen) {
        let stride = world.rules.stride, pad = world.rules.pad
        world.state.cells.withUnsafeBufferPointer { cells in
            for row in 0..<camera.rows {
                let y = camera.originY + row
                let screenY = camera.screenY + row
                var index = ((y + pad) * stride + camera.originX + pad) * 3
                var screenX = camera.screenX
                for _ in 0..<camera.columns {
                    let cell = palette.cell(tile: cells[index], thing: cells[index + 1], aux: cells[index + 2])
                    screen[screenX, screenY] = cell
                    if camera.scale == 2 {
                        var gap = Cell(Glyph.space)
                        gap.background = cell.background
                        screen[screenX + 1, screenY] = gap
                    }
                    index += 3
                    screenX += camera.scale
                }
            }
        }
        let body = world.state.body
        let at = world.agentPosition
        if camera.isVisible(x: at.x, y: at.y) {
            var cell = palette.agent(facing: body.facing)
            let under = screen[camera.screenColumn(at.x), camera.screenRow(at.y)]
            if cell.background == .default { cell.background = under.background }
            screen[camera.screenColumn(at.x), camera.screenRow(at.y)] = cell
        }
    }

    /// Tints visited cells through the theme's heat ramp; cells with nothing stay as they are.
    static func heat(_ values: ContiguousArray<Float>, trace: Trace, world: World, camera: Camera, theme: Theme,
                     into screen: inout Screen) {
        guard trace.mapWidth == world.width, trace.mapHeight == world.height else { return }
        let width = camera.columns * camera.scale
        var shown = [Double](repeating: .nan, count: width * camera.rows)
        var high: Float = 0
        for value in values { high = max(high, value) }
        guard high > 0 else { return }
        for row in 0..<camera.rows {
            for column in 0..<camera.columns {
                let value = values[(camera.originY + row) * world.width + camera.originX + column]
                guard value > 0 else { continue }
                for half in 0..<camera.scale { shown[row * width + column * camera.scale + half] = Double(value) }
            }
        }
        screen.heatOverlay(shown, in: Rect(x: camera.screenX, y: camera.screenY, width: width, height: camera.rows),
                           range: 0...Double(high), ramp: theme.heat)
    }

    /// "rules: rocks sink in water (decoy) · bell opens the yellow door · plates open nothing (decoy)".
    static func revealText(_ world: World, unicode: Bool) -> String {
        let parts = RuleText.parts(world)
        return parts.isEmpty ? "no hidden rules in this scenario" : "rules: " + parts.joined(separator: unicode ? " · " : "; ")
    }

    /// Marks what this trial's hidden rules make of the map: what works, and the doors it opens, in the theme's
    /// `selected` style (reverse video); rocks that sink and objects that are decoys dimmed; the buried thing drawn,
    /// selected, where it lies hidden. O(visible cells).
    static func reveal(_ world: World, camera: Camera, palette: MapPalette, theme: Theme, into screen: inout Screen) {
        let rules = world.rules, m = rules.mechanics, d = world.state.mechanics.draw
        guard !m.isEmpty else { return }
        let selected = theme.style("selected")
        let hidden = d.buried == MechanicDraw.noCell || world.state.mechanics.buriedFound ? -1 : rules.buriedCells[Int(d.buried)]
        let signalledBy = m.signal?.by ?? [], opened = [d.signal, d.trigger].filter { $0 != MechanicDraw.off }
        for row in 0..<camera.rows {
            for column in 0..<camera.columns {
                let c = world.cell(at: GridPoint(x: camera.originX + column, y: camera.originY + row))
                guard c != world.state.body.cell else { continue }
                let thing = world.thing(c)
                let x = camera.screenX + column * camera.scale, y = camera.screenY + row
                var works: Bool
                if c == hidden, let buried = m.buried {
                    let background = screen[x, y].background
                    screen[x, y] = palette.cell(tile: Tile.floor.rawValue, thing: buried.thing.rawValue, aux: buried.aux)
                    screen[x, y].background = background
                    works = true
                } else if thing == .rock && m.bridge != nil {
                    works = d.bridges
                } else if signalledBy.contains(thing) {
                    works = d.signal != MechanicDraw.off
                } else if world.tile(c) == .plate && m.trigger != nil {
                    works = d.trigger != MechanicDraw.off
                } else if thing == .door && opened.contains(Aux.color(world.aux(c))) {
                    works = true
                } else {
                    continue
                }
                var cell = screen[x, y]
                if works {
                    cell.attributes.formUnion(selected.attributes)
                    if selected.foreground != .default { cell.foreground = selected.foreground }
                    if selected.background != .default { cell.background = selected.background }
                } else {
                    cell.attributes.insert(.dim)
                }
                screen[x, y] = cell
            }
        }
    }

    /// Marks the agent's observation window: cells inside keep their look on a lifted background, the
    /// rest is dimmed, so one sees exactly what the policy sees.
    static func viewWindow(_ world: World, camera: Camera, into screen: inout Screen) {
        let radius = world.rules.viewSize / 2
        let at = world.agentPosition
        for row in 0..<camera.rows {
            for column in 0..<camera.columns {
                let x = camera.originX + column, y = camera.originY + row
                let inside = abs(x - at.x) <= radius && abs(y - at.y) <= radius
                for half in 0..<camera.scale {
                    let sx = camera.screenX + column * camera.scale + half, sy = camera.screenY + row
                    var cell = screen[sx, sy]
                    if inside {
                        if cell.background == .default { cell.background = .indexed(237) }
                    } else {
                        cell.attributes.insert(.dim)
                    }
                    screen[sx, sy] = cell
                }
            }
        }
    }
}
