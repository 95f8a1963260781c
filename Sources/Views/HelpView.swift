import Terminal

/// The help overlay: every key of the current mode in a framed box over whatever is on screen.
///
/// Reads `KeyMap.bindings(for:)`, so it lists exactly what the input handling does. Entries flow into
/// as many columns as the height needs; on a screen too small for them all it shows what fits and says
/// how many were left out.
public enum HelpView {
    /// Draws the overlay centred on `screen`, titled "Keys: `title`" (by default the mode's title).
    public static func draw(into screen: inout Screen, mode: InputMode, title: String? = nil, theme: Theme) {
        let bindings = KeyMap.bindings(for: mode)
        let labels = bindings.map { theme.isUnicode ? $0.label : asciiLabel($0.label) }
        let labelWidth = labels.map { Screen.columns(of: $0) }.max() ?? 0
        let entryWidth = labelWidth + 2 + (bindings.map { Screen.columns(of: $0.summary) }.max() ?? 0)
        let footer = "press ? or esc to close"

        let maxRows = max(1, screen.height - 3)
        let columns = (bindings.count + maxRows - 1) / maxRows
        let rows = (bindings.count + columns - 1) / columns
        let gap = 3
        let width = min(screen.width, columns * entryWidth + (columns - 1) * gap + 4)
        let height = min(screen.height, rows + 3)
        let frame = screen.bounds.centered(Size(width: width, height: height))
        screen.fill(frame, with: Cell(Glyph.space, style: theme.style("text")))
        let inner = screen.box(frame, title: "Keys: \(title ?? mode.title)", theme: theme)
        let content = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: inner.height - 1)
        let shownRows = content.height
        var hidden = 0
        for (index, binding) in bindings.enumerated() {
            let column = index / rows, row = index % rows
            guard row < shownRows, column * (entryWidth + gap) < content.width else {
                hidden += 1
                continue
            }
            let x = content.x + column * (entryWidth + gap), y = content.y + row
            screen.write(labels[index], x: x, y: y, style: theme.style("key-label"), clip: content)
            screen.write(binding.summary, x: x + labelWidth + 2, y: y, style: theme.style("text"), clip: content)
        }
        let note = hidden > 0 ? "\(hidden) more: enlarge the window" : footer
        screen.write(note, in: Rect(x: inner.x, y: inner.maxY - 1, width: inner.width, height: 1),
                     alignment: .center, style: theme.style("text-dim"))
    }

    /// A key label with arrows spelled out, for ASCII themes.
    static func asciiLabel(_ label: String) -> String {
        label.replacingArrows()
    }
}

extension String {
    func replacingArrows() -> String {
        var out = ""
        for character in self {
            switch character {
            case "↑": out += "up"
            case "↓": out += "down"
            case "←": out += "left"
            case "→": out += "right"
            default: out.append(character)
            }
        }
        return out
    }
}
