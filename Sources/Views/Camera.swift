import Terminal

/// Which part of the map a panel shows, and where: a scrolling window that follows the agent.
///
/// Pure: the same map size, panel and agent position always give the same view, so stepping back shows
/// exactly the picture seen before. A map that fits is centred in the panel at two columns per cell
/// (terminal cells are about twice as tall as wide, so this keeps the map square); one that does not fit
/// drops to one column per cell, and if it still does not fit the window centres on the agent, clamped
/// to the map's edges.
public struct Camera: Equatable, Sendable {
    /// Columns each map cell takes (1 or 2).
    public var scale: Int
    /// The first visible map cell.
    public var originX: Int
    public var originY: Int
    /// Visible map cells across and down.
    public var columns: Int
    public var rows: Int
    /// Where the first visible cell is drawn on screen.
    public var screenX: Int
    public var screenY: Int

    /// The view of a `mapWidth × mapHeight` map in `panel`, following `focus` (map coordinates).
    public init(mapWidth: Int, mapHeight: Int, panel: Rect, focusX: Int, focusY: Int) {
        scale = mapWidth * 2 <= panel.width ? 2 : 1
        columns = min(mapWidth, panel.width / scale)
        rows = min(mapHeight, panel.height)
        originX = Camera.origin(focus: focusX, visible: columns, total: mapWidth)
        originY = Camera.origin(focus: focusY, visible: rows, total: mapHeight)
        screenX = panel.x + (panel.width - columns * scale) / 2
        screenY = panel.y + (panel.height - rows) / 2
        scrolls = columns < mapWidth || rows < mapHeight
    }

    static func origin(focus: Int, visible: Int, total: Int) -> Int {
        guard visible < total else { return 0 }
        return min(max(0, focus - visible / 2), total - visible)
    }

    /// Whether part of the map is off screen (the title then says where the window is).
    public var scrolls: Bool

    /// Screen column of map column `x` (only meaningful when visible).
    @inline(__always) func screenColumn(_ x: Int) -> Int { screenX + (x - originX) * scale }
    @inline(__always) func screenRow(_ y: Int) -> Int { screenY + (y - originY) }
    @inline(__always) func isVisible(x: Int, y: Int) -> Bool {
        x >= originX && x < originX + columns && y >= originY && y < originY + rows
    }
}
