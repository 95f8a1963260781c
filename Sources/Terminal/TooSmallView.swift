/// What to show instead of a layout when the terminal is smaller than the layout needs.
public enum TooSmallView {
    /// Clears `screen` and centres a framed note with the current and the needed size.
    ///
    /// Degrades to bare text, and then to as much of it as fits, on very small terminals.
    public static func draw(into screen: inout Screen, minimum: Size, theme: Theme) {
        screen.clear()
        let times = theme.isUnicode ? "×" : "x"
        let message = "Terminal too small: \(screen.width)\(times)\(screen.height), needs \(minimum.width)\(times)\(minimum.height). Enlarge the window, or press q to quit."
        let width = min(screen.width, 44)
        let lines = Screen.wrap(message, width: max(1, width - 4))
        let height = lines.count + 2
        if screen.width >= 12 && screen.height >= height {
            let frame = screen.bounds.centered(Size(width: width, height: height))
            let inner = screen.box(frame, title: nil, theme: theme, style: theme.style("warning"))
            screen.writeWrapped(message, in: inner.inset(by: 0).shrunkHorizontally(by: 1), alignment: .center, style: theme.style("warning"))
        } else {
            screen.writeWrapped(message, in: screen.bounds, style: theme.style("warning"))
        }
    }
}

extension Rect {
    func shrunkHorizontally(by amount: Int) -> Rect {
        Rect(x: x + amount, y: y, width: width - 2 * amount, height: height)
    }
}
