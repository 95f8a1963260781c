import Foundation
import GridWorld
import ShippedFiles
import Tapes
import Terminal
import Views

/// A world's map as the terminal draws it, off the terminal: text in the theme's glyphs (with ANSI colour escapes
/// if asked), or an RGB raster of those glyphs for video. Cells are looked up through `MapPalette`, exactly as the
/// watch screen draws them.
enum MapRendering {
    /// The map in the scenario file's symbols, or in a theme's glyphs, with or without colour.
    static func text(_ world: World, style: Int32, theme: String) throws(CallError) -> String {
        guard style == 1 || style == 2 else {
            guard style == 0 else { throw CallError(.argument, "no rendering numbered \(style); they are 0 to 2") }
            return WorldText.render(world)
        }
        let palette = try Palettes.shared.palette(theme)
        var text = ""
        var current: Cell?
        for y in 0..<world.height {
            if y > 0 { text += "\n" }
            for x in 0..<world.width {
                let cell = cellAt(world, x, y, palette)
                if style == 2, cell.style != current?.style {
                    text += escape(cell)
                    current = cell
                }
                text += cell.glyph.description
            }
            if style == 2 {
                text += "\u{1B}[0m"
                current = nil
            }
        }
        return text
    }

    /// What the map shows at (x, y): the cell's thing or ground, or the agent on it.
    static func cellAt(_ world: World, _ x: Int, _ y: Int, _ palette: MapPalette) -> Cell {
        let c = world.cell(at: GridPoint(x: x, y: y))
        let under = palette.cell(tile: world.tile(c).rawValue, thing: world.thing(c).rawValue, aux: world.aux(c))
        guard c == world.state.body.cell else { return under }
        var agent = palette.agent(facing: world.state.body.facing)
        if agent.background == .default { agent.background = under.background }
        return agent
    }

    /// The SGR escape that sets a cell's colours and attributes.
    static func escape(_ cell: Cell) -> String {
        var codes = ["0"]
        if cell.attributes.contains(.bold) { codes.append("1") }
        if cell.attributes.contains(.dim) { codes.append("2") }
        if cell.attributes.contains(.underline) { codes.append("4") }
        if cell.attributes.contains(.reverse) { codes.append("7") }
        codes.append(sgr(cell.foreground, base: 30))
        codes.append(sgr(cell.background, base: 40))
        return "\u{1B}[" + codes.joined(separator: ";") + "m"
    }

    /// A colour's SGR parameters: `base` 30 for the foreground, 40 for the background.
    static func sgr(_ color: Color, base: Int) -> String {
        switch color.kind {
        case .default: return String(base + 9)
        case .indexed(let n) where n < 8: return String(base + Int(n))
        case .indexed(let n) where n < 16: return String(base + 60 + Int(n) - 8)
        case .indexed(let n): return "\(base + 8);5;\(n)"
        case .rgb(let r, let g, let b): return "\(base + 8);2;\(r);\(g);\(b)"
        }
    }

    // MARK: Raster

    /// What the terminal's default colours are taken to be in a raster.
    static let defaultForeground: (UInt8, UInt8, UInt8) = (208, 208, 208)
    static let defaultBackground: (UInt8, UInt8, UInt8) = (18, 18, 18)

    /// Bytes of a raster of this world at `cellPixels` per cell.
    static func rasterSize(_ world: World, cellPixels: Int) -> Int { world.width * world.height * cellPixels * cellPixels * 3 }

    /// Draws the map into `out` (`rasterSize` bytes), one `cellPixels` square a cell: the background colour, and
    /// the glyph's picture in the foreground colour.
    static func raster(_ world: World, cellPixels: Int, theme: String, into out: UnsafeMutablePointer<UInt8>) throws(CallError) {
        let palette = try Palettes.shared.palette(theme)
        let rowBytes = world.width * cellPixels * 3
        for y in 0..<world.height {
            for x in 0..<world.width {
                let cell = cellAt(world, x, y, palette)
                let picture = Icons.picture(name(world, x, y))
                let fg = cell.foreground.components ?? defaultForeground
                let bg = cell.background.components ?? defaultBackground
                for py in 0..<cellPixels {
                    let row = picture[py * Icons.size / cellPixels]
                    var p = (y * cellPixels + py) * rowBytes + x * cellPixels * 3
                    for px in 0..<cellPixels {
                        let on = row >> (Icons.size - 1 - px * Icons.size / cellPixels) & 1 == 1
                        let color = on ? fg : bg
                        out[p] = color.0
                        out[p + 1] = color.1
                        out[p + 2] = color.2
                        p += 3
                    }
                }
            }
        }
    }

    /// The theme's name for what (x, y) shows, which picks its picture.
    static func name(_ world: World, _ x: Int, _ y: Int) -> String {
        let c = world.cell(at: GridPoint(x: x, y: y))
        if c == world.state.body.cell { return MapPalette.name(of: world.state.body.facing) }
        let thing = world.thing(c)
        if let name = MapPalette.name(of: thing, on: Aux.isOn(world.aux(c))) { return name }
        return MapPalette.name(of: world.tile(c)) ?? ""
    }
}

/// Themes' map palettes, loaded once per theme name.
final class Palettes: @unchecked Sendable {
    static let shared = Palettes()
    private let lock = NSLock()
    private var loaded: [String: MapPalette] = [:]

    func palette(_ name: String) throws(CallError) -> MapPalette {
        lock.lock()
        defer { lock.unlock() }
        if let palette = loaded[name] { return palette }
        do {
            let theme = try Theme.load(named: name, in: try ShippedFolder.locate(ShippedFolder.themes).url)
            let palette = MapPalette(theme: theme)
            loaded[name] = palette
            return palette
        } catch {
            throw CallError(.theme, "\(error)")
        }
    }
}

/// 8×8 pictures of the theme's map glyphs (after the unicode theme's), by theme name: the raster draws these, so a
/// video of a run looks like the terminal. Names without a picture (things added later) draw a small square.
enum Icons {
    static let size = 8

    static func picture(_ name: String) -> [UInt8] { pictures[name] ?? fallback }

    static let fallback = rows([
        "........", "........", "..####..", "..####..", "..####..", "..####..", "........", "........",
    ])

    static func rows(_ art: [String]) -> [UInt8] {
        art.map { line in line.reduce(UInt8(0)) { $0 << 1 | ($1 == "#" ? 1 : 0) } }
    }

    static let pictures: [String: [UInt8]] = {
        let up = [
            "...##...", "...##...", "..####..", "..####..", ".######.", ".######.", "########", "........",
        ]
        let right = (0..<8).map { row in String((0..<8).map { column in Array(up[7 - column])[row] }) }
        let art: [String: [String]] = [
            "floor": ["........", "........", "........", "...##...", "...##...", "........", "........", "........"],
            "wall": Array(repeating: "########", count: 8),
            "sand": ["#...#...", "..#...#.", "#...#...", "..#...#.", "#...#...", "..#...#.", "#...#...", "..#...#."],
            "water": ["........", ".##...##", "#..###..", "........", ".##...##", "#..###..", "........", "........"],
            "grass": ["........", ".#...#..", ".#...#..", "#.#.#.#.", "........", "...#...#", "...#...#", "..#.#.#."],
            "rock": ["........", "..####..", ".######.", ".######.", ".######.", ".######.", "..####..", "........"],
            "sunk-rock": ["........", "..#..#..", "........", ".#....#.", ".#....#.", "........", "..#..#..", "........"],
            "ball": ["........", "..####..", ".#....#.", ".#....#.", ".#....#.", ".#....#.", "..####..", "........"],
            "key": ["..###...", ".#...#..", ".#...#..", "..###...", "...#....", "...###..", "...#....", "...##..."],
            "door": Array(repeating: ".######.", count: 8),
            "door-open": [".######."] + Array(repeating: ".#....#.", count: 6) + [".######."],
            "goal": ["...##...", "...##...", "########", ".######.", "..####..", ".###.##.", ".#....#.", "........"],
            "fruit": ["....#...", "...#....", "..####..", ".######.", ".######.", ".######.", "..####..", "........"],
            "bell": ["...####.", "...#..#.", "...#..#.", "...#..#.", ".###.##.", "########", ".##..##.", "........"],
            "switch": ["...##...", "..#..#..", ".#....#.", "#......#", ".#....#.", "..#..#..", "...##...", "........"],
            "switch-on": ["...##...", "..####..", ".######.", "########", ".######.", "..####..", "...##...", "........"],
            "lamp": ["........", "#......#", ".#.##.#.", "..#..#..", "..#..#..", ".#.##.#.", "#......#", "........"],
            "lamp-on": ["#..##..#", ".#.##.#.", "..####..", "########", "########", "..####..", ".#.##.#.", "#..##..#"],
            "block": ["........", ".######.", ".######.", ".######.", ".######.", ".######.", ".######.", "........"],
            "hole": ["..####..", ".#....#.", "#..##..#", "#.####.#", "#.####.#", "#..##..#", ".#....#.", "..####.."],
            "pad": ["........", "........", "..####..", "..#..#..", "..#..#..", "..####..", "........", "........"],
            "lever": ["...#....", "...#....", "...#....", "...#....", "...#....", "...#....", "########", "........"],
            "agent-up": up,
            "agent-down": up.reversed(),
            "agent-right": right,
            "agent-left": right.map { String($0.reversed()) },
        ]
        return art.mapValues(rows)
    }()
}

@_cdecl("pg_render_text")
public func pgRenderText(_ handle: UInt64, _ index: Int, _ style: Int32, _ theme: UnsafePointer<CChar>?,
                         _ buffer: UnsafeMutablePointer<CChar>?, _ capacity: Int, _ length: UnsafeMutablePointer<Int>?) -> Int32 {
    withBatch(handle) { batch throws(CallError) in
        let index = try environment(index, of: batch)
        let text = try MapRendering.text(batch.environments[index].trialWorld.world, style: style, theme: theme.map { String(cString: $0) } ?? "unicode")
        try output(text, buffer, capacity, length)
    }
}

@_cdecl("pg_render_rgb")
public func pgRenderRGB(_ handle: UInt64, _ index: Int, _ cellPixels: Int32, _ theme: UnsafePointer<CChar>?,
                        _ buffer: UnsafeMutablePointer<UInt8>?, _ bytes: Int) -> Int32 {
    withBatch(handle) { batch throws(CallError) in
        let index = try environment(index, of: batch)
        guard cellPixels >= 4, cellPixels <= 64 else { throw CallError(.argument, "cell_pixels is \(cellPixels); expected 4 to 64") }
        let world = batch.environments[index].trialWorld.world
        let needed = MapRendering.rasterSize(world, cellPixels: Int(cellPixels))
        let bytes = try size(bytes, "bytes")
        guard bytes >= needed else {
            throw CallError(.argument, "the raster buffer has \(bytes) bytes; a \(world.width)×\(world.height) map at \(cellPixels) pixels a cell needs \(needed)")
        }
        try MapRendering.raster(world, cellPixels: Int(cellPixels), theme: theme.map { String(cString: $0) } ?? "unicode",
                                into: try required(buffer, "buffer"))
    }
}
