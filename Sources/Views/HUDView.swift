import Agents
import GridWorld
import Engine
import Terminal

/// The side panel: where we are, what was done and why, what it earned, and how play and task compare.
///
/// Sections are drawn top-down in order of importance; the reward chart takes the rows left over, so a
/// short terminal loses chart height before it loses facts.
public enum HUDView {
    public static func draw(_ state: DashboardState, trace: Trace, in rect: Rect, theme: Theme, into screen: inout Screen) {
        let inner = screen.box(rect, title: state.mode == .manual ? "You drive" : "Agent: \(state.agentName)", theme: theme)
        guard inner.width > 4, inner.height > 0 else { return }
        var pen = Pen(rect: Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: inner.height), theme: theme)
        swap(&pen.screen, &screen)
        defer { swap(&pen.screen, &screen) }
        let frame = state.frame
        let world = frame.world
        let text = theme.style("text"), dim = theme.style("text-dim"), title = theme.style("title")

        pen.line([(state.scenarioName, title)], right: ("seed \(state.seed)", dim))
        let counter = " \(frame.step)/\(world.rules.maxSteps)"
        var place = "trial \(frame.trial + 1)  episode \(frame.episode + 1)/\(state.episodesPerTrial)  "
        if place.count + 4 + counter.count > pen.rect.width {
            place = "trial \(frame.trial + 1) ep \(frame.episode + 1)/\(state.episodesPerTrial) "
        }
        pen.line([(place, text), ("step", title), (counter, text)])
        if let position = state.position { pen.line([(position, dim)]) }
        pen.gap()

        // The action: the one just taken, or (driving) the one being composed and the agent's suggestion.
        let unicode = theme.isUnicode
        let shown: Decision?
        if state.mode == .manual {
            if state.inputMode == .manualSimultaneous {
                let next = "⟨move/use/wait, \(state.pendingPlay.name)⟩"
                pen.line([("next ", dim), (unicode ? next : "<move/use/wait, \(state.pendingPlay.name)>", theme.style("key-label"))])
            }
            for line in playKeyLines(world, width: pen.rect.width) { pen.line([(line, dim)]) }
            shown = state.preview
            if let preview = state.preview {
                pen.line([("agent would ", dim), (Format.action(preview.action, unicode: unicode), text)])
            }
        } else {
            shown = frame.decision
            if let decision = frame.decision {
                let who = frame.manual ? "you " : "action "
                pen.line([(who, dim), (Format.action(decision.action, unicode: unicode), title)])
            } else {
                pen.line([("action ", dim), ("none yet", dim)])
            }
        }
        var facts: [(String, Style)] = []
        if let value = shown?.value { facts.append(("value \(Format.signed(value).trimmingLeadingSpace())  ", text)) }
        if case .simultaneous(let energy, _, _) = world.rules.coupling {
            facts.append(("energy \(world.state.body.energy)/\(energy)", text))
        }
        if !facts.isEmpty { pen.line(facts) }
        if case .simultaneous(let energy, _, _) = world.rules.coupling, let row = pen.take() {
            pen.screen.bar(Double(world.state.body.energy) / Double(max(1, energy)), x: pen.rect.x, y: row,
                       width: pen.rect.width, theme: theme, style: theme.style("fun"))
        }

        if let task = shown?.taskProbabilities, let play = shown?.playProbabilities {
            probabilities(task: task, play: play, chosen: shown!.action, pen: &pen)
        } else if let memory = shown?.memory {
            remembered(memory, chosen: shown!.action, pen: &pen)
        } else if let shown {
            // A value without probabilities is a value learner's (`q` takes the pair its values rank best), not a script.
            let basis = switch (shown.value == nil, state.mode == .manual) {
            case (true, true): "scripted agent"
            case (true, false): "scripted"
            case (false, true): "agent by value"
            case (false, false): "by value"
            }
            pen.line([(basis + ": no probabilities", dim)])
            pen.line([("task ", dim), (Format.pad(shown.action.task.name, 7), theme.style("task")),
                      ("play ", dim), (shown.action.play.name, theme.style("fun"))])
        }
        if let recall = shown?.recall { recalled(recall, pen: &pen) }
        if let skill = shown?.skill { judged(skill, pen: &pen) }
        pen.gap()

        // Rewards: this step and this episode, task and each fun model, kept apart.
        let width = pen.rect.width
        let nameWidth = max(8, width - 20)
        pen.line([(Format.pad("reward", nameWidth), dim), (Format.right("step", 10), dim), (Format.right("episode", 10), dim)])
        let reward = frame.reward
        func row(_ name: String, _ step: Float, _ total: Float, _ style: Style) {
            pen.line([(Format.pad(name, nameWidth), style), (Format.right(Format.signed(step), 10), style),
                      (Format.right(Format.signed(total), 10), style)])
        }
        row("task", reward?.task ?? 0, frame.episodeReturn.task, theme.style("task"))
        for (index, name) in state.funNames.enumerated() where pen.remaining > 2 {
            row("  " + name, reward?.fun[safe: index] ?? 0, frame.episodeReturn.fun[safe: index] ?? 0, theme.style("fun"))
        }
        row("fun", reward?.funTotal ?? 0, frame.episodeReturn.funTotal, theme.style("fun"))

        // The chart of recent task and fun rewards (at most six rows), then the play ratio, and in worlds with hidden
        // rules the play of each episode of this trial (play first, then use what it found).
        let byEpisode = world.rules.mechanics.isEmpty ? nil : playByEpisode(state, unicode: unicode)
        let footer = byEpisode == nil ? 1 : 2
        if pen.remaining >= 2 + footer {
            pen.gap()
            let legend = unicode ? "recent: ▇ task  • fun" : "recent: # task  * fun"
            pen.line([(legend, dim)])
            let chartHeight = min(6, pen.remaining - footer)
            if chartHeight > 0 {
                let recent = trace.recentRewards(pen.rect.width)
                pen.screen.chart([ChartSeries(values: recent.task, kind: .bars, style: theme.style("task")),
                                  ChartSeries(values: recent.fun, kind: .line, style: theme.style("fun"))],
                                 in: Rect(x: pen.rect.x, y: pen.y, width: pen.rect.width, height: chartHeight), theme: theme)
                for _ in 0..<chartHeight { pen.skip() }
            }
        }
        var ratio = "play ratio \(Format.percent(state.playRatio))"
        if let recent = trace.recentPlayRatio(50) { ratio += "  last 50: \(Format.percent(recent))" }
        pen.line([(ratio, theme.style("fun"))])
        if let byEpisode { pen.line([(byEpisode, theme.style("fun"))]) }
    }

    /// "play by episode: 12% 3% 2% –": each episode of the current trial, the ones not reached yet as dashes.
    static func playByEpisode(_ state: DashboardState, unicode: Bool) -> String {
        let shown = (0..<max(state.episodesPerTrial, state.playByEpisode.count)).map {
            $0 < state.playByEpisode.count ? Format.percent(state.playByEpisode[$0]) : (unicode ? "–" : "-")
        }
        return "play by episode: " + shown.joined(separator: " ")
    }

    /// "play keys: 1 push 2 kick 4 dig …": the play actions this scenario affords, by their digit, in lines of at most
    /// `width` columns that never part a digit from its action's name.
    static func playKeyLines(_ world: World, width: Int) -> [String] {
        let keys = PlayAction.allCases.filter { $0 != .none && world.rules.playMask & (1 << $0.rawValue) != 0 }
            .map { "\($0.rawValue) \($0.name)" }
        var lines = ["play keys:"]
        for key in keys {
            if lines[lines.count - 1].count + 1 + key.count <= width {
                lines[lines.count - 1] += " " + key
            } else {
                lines.append(key)
            }
        }
        return lines
    }

    /// What an episodic LSTM recalled for this trial: the similarity of the memory it read back (1: a world met
    /// before), and how far its reinstatement gate is open, as a bar.
    static func recalled(_ recall: Decision.Recall, pen: inout Pen) {
        let theme = pen.theme
        let similarity = recall.similarity == 0 ? "nothing stored yet" : "similarity " + String(format: "%.2f", recall.similarity)
        pen.line([("recall ", theme.style("text-dim")), (similarity, theme.style("text"))])
        guard let y = pen.take() else { return }
        let label = "gate   ", number = String(format: " %.2f", recall.gate)
        pen.screen.write(label, x: pen.rect.x, y: y, style: theme.style("text-dim"))
        pen.screen.bar(Double(recall.gate), x: pen.rect.x + label.count, y: y, width: pen.rect.width - label.count - number.count,
                       theme: theme, style: theme.style("task"))
        pen.screen.write(number, x: pen.rect.maxX - number.count, y: y, style: theme.style("text"))
    }

    /// What a skill agent's discriminator makes of the place it stands in: "skill 5  judged 5  reward +2.05" (the
    /// skill it was given, the skill the discriminator takes the place for, the skill reward there), the judged skill
    /// in the warning colour when it is another's, so a researcher sees a skill stray into another's places.
    static func judged(_ skill: Decision.Skill, pen: inout Pen) {
        let theme = pen.theme
        let recognisedStyle = skill.recognised == skill.given ? theme.style("text") : theme.style("warning")
        pen.line([("skill ", theme.style("text-dim")), ("\(skill.given)", theme.style("text")), ("  judged ", theme.style("text-dim")),
                  ("\(skill.recognised)", recognisedStyle), ("  reward ", theme.style("text-dim")),
                  (Format.signed(skill.reward), theme.style("fun"))])
    }

    /// What an episodic-control agent read from its memories: how many situations they hold and how near the closest
    /// is to this one, then each task action's value as a bar (against the largest), the chosen one highlighted.
    static func remembered(_ memory: Decision.Memory, chosen: ActionPair, pen: inout Pen) {
        let theme = pen.theme, dim = theme.style("text-dim"), text = theme.style("text")
        let nearest = memory.nearest.map { $0 == 0 ? "met before" : "nearest " + String(format: "%.2f", $0) } ?? "empty"
        var size = "\(memory.size) situations  "
        // Cut at the panel's edge, "nearest 0.37" would read "nearest 0": a narrow panel gets the short count instead.
        if "memory ".count + size.count + nearest.count > pen.rect.width { size = Format.count(memory.size) + "  " }
        pen.line([("memory ", dim), (size, text), (nearest, text)])
        pen.line([("task value by action", theme.style("task"))])
        let nameWidth = 6, numberWidth = 7
        let barWidth = max(1, pen.rect.width - nameWidth - numberWidth)
        let top = max(memory.taskValues.max() ?? 0, 1e-6)
        for (index, value) in memory.taskValues.enumerated() {
            guard let y = pen.take(), let name = TaskAction(rawValue: UInt8(index))?.name else { return }
            let isChosen = chosen.task.rawValue == index
            pen.screen.write(Format.pad(name, nameWidth), x: pen.rect.x, y: y, style: isChosen ? theme.style("selected") : dim)
            pen.screen.bar(Double(max(value, 0) / top), x: pen.rect.x + nameWidth, y: y, width: barWidth, theme: theme,
                           style: theme.style("task"))
            pen.screen.write(Format.right(Format.signed(value), numberWidth), x: pen.rect.x + nameWidth + barWidth, y: y,
                             style: isChosen ? theme.style("title") : text)
        }
    }

    /// Both heads side by side: each action's probability as a bar, the chosen one highlighted.
    static func probabilities(task: [Float], play: [Float], chosen: ActionPair, pen: inout Pen) {
        let theme = pen.theme
        let half = (pen.rect.width - 1) / 2
        let nameWidth = 6, numberWidth = 4
        let barWidth = max(1, half - nameWidth - numberWidth - 1)
        pen.line([(Format.pad("task head", half + 1), theme.style("task")), ("play head", theme.style("fun"))])
        let rows = max(task.count, play.count)
        for index in 0..<rows {
            guard let y = pen.take() else { return }
            func column(_ x: Int, _ name: String?, _ p: Float?, _ isChosen: Bool, _ style: Style) {
                guard let name, let p else { return }
                let label = isChosen ? theme.style("selected") : theme.style("text-dim")
                pen.screen.write(Format.pad(name, nameWidth), x: x, y: y, style: label)
                pen.screen.bar(Double(p), x: x + nameWidth, y: y, width: barWidth, theme: theme, style: style)
                pen.screen.write(Format.right(Format.probability(p), numberWidth), x: x + nameWidth + barWidth, y: y,
                             style: isChosen ? theme.style("title") : theme.style("text"))
            }
            let taskName = TaskAction(rawValue: UInt8(index))?.name
            let playName = PlayAction(rawValue: UInt8(index))?.name
            column(pen.rect.x, index < task.count ? taskName : nil, task[safe: index], chosen.task.rawValue == index,
                   theme.style("task"))
            column(pen.rect.x + half + 1, index < play.count ? playName : nil, play[safe: index], chosen.play.rawValue == index,
                   theme.style("fun"))
        }
    }
}

/// Writes panel lines top-down and knows how many rows are left; holds the screen while a panel draws.
struct Pen {
    let rect: Rect
    let theme: Theme
    var screen: Screen
    private(set) var y: Int

    /// A pen over `rect`; swap the screen in with `swap(&pen.screen, &screen)` and back when done.
    init(rect: Rect, theme: Theme) {
        self.rect = rect
        self.theme = theme
        screen = Screen(width: 0, height: 0)
        y = rect.y
    }

    /// Rows still free.
    var remaining: Int { rect.maxY - y }

    /// Claims the next row, if one is left.
    mutating func take() -> Int? {
        guard remaining > 0 else { return nil }
        defer { y += 1 }
        return y
    }

    mutating func skip() { if remaining > 0 { y += 1 } }

    /// A blank row between sections, only when the panel is tall enough to spare it.
    mutating func gap() { if rect.height >= 26 { skip() } }

    /// Writes styled pieces left to right on the next row, and optionally one piece right-aligned; the left pieces
    /// are cut a space short of it, so a long scenario name and a long seed never run into each other.
    mutating func line(_ pieces: [(String, Style)], right: (String, Style)? = nil) {
        guard let row = take() else { return }
        var left = rect
        if let (text, _) = right { left.width = max(0, rect.width - Screen.columns(of: text) - 1) }
        var x = rect.x
        for (text, style) in pieces { x = screen.write(text, x: x, y: row, style: style, clip: left) }
        if let (text, style) = right {
            screen.write(text, in: Rect(x: rect.x, y: row, width: rect.width, height: 1), alignment: .right, style: style)
        }
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { index >= 0 && index < count ? self[index] : nil }
}

extension String {
    func trimmingLeadingSpace() -> String { hasPrefix(" ") ? String(dropFirst()) : self }
}
