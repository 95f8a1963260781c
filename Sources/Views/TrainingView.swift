import Clocks
import Engine
import GridWorld
import Tapes
import Terminal

/// What the live training screen shows: the training loop fills it after every update and whenever an evaluation
/// snapshot lands. A value, so the screen is a pure function of it (golden tests draw it without a terminal).
public struct TrainingProgress: Sendable {
    /// One update's figures.
    public struct Point: Sendable, Equatable {
        public var steps: Int
        /// Mean task and fun return of the episodes that ended in the update's rollout (NaN when none did).
        public var task: Double
        public var fun: Double
        public var play: Double
        public var effectivePlay: Double
        /// Play events of the rollout by `EventKind.rawValue`.
        public var playEvents: [Int]

        public init(steps: Int, task: Double, fun: Double, play: Double, effectivePlay: Double, playEvents: [Int]) {
            self.steps = steps
            self.task = task
            self.fun = fun
            self.play = play
            self.effectivePlay = effectivePlay
            self.playEvents = playEvents
        }
    }

    /// What is trained and where it goes, for the top line.
    public var title: String
    public var points: [Point] = []
    /// Environment steps trained in this run, of `total`.
    public var done = 0
    public var total: Int
    public var stepsPerSecond = 0.0
    /// The newest snapshot of each scenario (empty without `--tapes`, or before the first lands).
    public var snapshots: [PlayedSnapshot] = []
    /// Where the snapshots go, for the pane's empty state.
    public var tapes: String?
    /// A line in place of the key hint: stopping, or what went wrong.
    public var status: String?
    /// A goal-conditioned run's last coverage and the goals labelled intermediate, after the speed (nil: none).
    public var goals: String?

    public init(title: String, total: Int, tapes: String? = nil) {
        self.title = title
        self.total = total
        self.tapes = tapes
    }
}

/// The live training screen: learning curves over the whole run, play events by kind, progress with speed and ETA,
/// and a pane replaying the newest evaluation snapshot.
///
/// ```
///  title ─────────────────────────────────────────────────────────────
///  ┌ task return ────────┐ ┌ rock-garden · update 120 ─┐
///  │ chart               │ │ map of the snapshot       │
///  ┌ fun return ─────────┐ │                           │
///  ┌ play / effective ───┐ │ task, play, step          │
///  ┌ play events /1k ────┐ └───────────────────────────┘
///  progress bar, steps, speed, ETA, keys
/// ```
public enum TrainingView {
    /// Which frame of which snapshot the pane shows.
    public struct Cursor: Hashable, Sendable {
        public var snapshot: Int
        public var frame: Int
        public init(snapshot: Int = 0, frame: Int = 0) {
            self.snapshot = snapshot
            self.frame = frame
        }
    }

    public static func draw(_ progress: TrainingProgress, cursor: Cursor, palette: MapPalette, theme: Theme,
                            into screen: inout Screen) {
        screen.clear()
        let (width, height) = (screen.width, screen.height)
        guard width >= 40, height >= 16 else {
            TooSmallView.draw(into: &screen, minimum: Size(width: 40, height: 16), theme: theme)
            return
        }
        screen.write(Format.pad(" " + progress.title, width), x: 0, y: 0, style: theme.style("title"))
        let body = Rect(x: 0, y: 1, width: width, height: height - 2)
        let paneWidth = min(width / 2, max(30, width * 2 / 5))
        let charts = Rect(x: 0, y: body.y, width: width - paneWidth, height: body.height)
        drawCharts(progress, in: charts, theme: theme, into: &screen)
        drawSnapshot(progress, cursor: cursor, in: Rect(x: charts.maxX, y: body.y, width: paneWidth, height: body.height),
                     palette: palette, theme: theme, into: &screen)
        drawFooter(progress, y: height - 1, width: width, theme: theme, into: &screen)
    }

    // MARK: Curves

    static func drawCharts(_ p: TrainingProgress, in rect: Rect, theme: Theme, into screen: inout Screen) {
        let kinds = topPlayKinds(p.points, limit: 4)
        let eventsHeight = max(3, min(kinds.count, 4) + 2)
        let chartHeight = (rect.height - eventsHeight) / 3
        var y = rect.y
        func box(_ title: String, height: Int) -> Rect {
            defer { y += height }
            return screen.box(Rect(x: rect.x, y: y, width: rect.width, height: height), title: title, theme: theme)
        }
        let columns = max(1, rect.width - 2)
        let last = p.points.last
        func latest(_ value: (TrainingProgress.Point) -> Double) -> String {
            guard let v = p.points.reversed().lazy.map(value).first(where: { $0.isFinite }) else { return "" }
            return String(format: " %.3f", v)
        }
        var inner = box("task return" + latest(\.task), height: chartHeight)
        screen.chart([ChartSeries(values: binned(p.points.map(\.task), into: columns), kind: .bars, style: theme.style("task"))],
                     in: inner, theme: theme)
        inner = box("fun return" + latest(\.fun), height: chartHeight)
        screen.chart([ChartSeries(values: binned(p.points.map(\.fun), into: columns), kind: .bars, style: theme.style("fun"))],
                     in: inner, theme: theme)
        let ratios = last.map { String(format: " %.2f / %.2f", $0.play, $0.effectivePlay) } ?? ""
        inner = box("play ratio (bars) / effective (points)" + ratios, height: rect.maxY - y - eventsHeight)
        screen.chart([ChartSeries(values: binned(p.points.map(\.play), into: columns), kind: .bars, style: theme.style("fun")),
                      ChartSeries(values: binned(p.points.map(\.effectivePlay), into: columns), kind: .line, style: theme.style("task"))],
                     in: inner, range: 0...1, theme: theme)
        inner = box("play events per 1k steps", height: eventsHeight)
        guard !kinds.isEmpty else {
            screen.write(p.points.isEmpty ? "none yet" : "no play events yet", x: inner.x + 1, y: inner.y, style: theme.style("text-dim"),
                         clip: inner)
            return
        }
        let labelWidth = min(18, kinds.map { $0.name.count }.max() ?? 0)
        let countWidth = 6
        let sparkWidth = max(1, inner.width - labelWidth - countWidth - 3)
        // The steps of each update: the gap to the point before it (the first takes the second's gap).
        let stepsPerUpdate = p.points.indices.map { i in
            max(1, i > 0 ? p.points[i].steps - p.points[i - 1].steps : p.points.count > 1 ? p.points[1].steps - p.points[0].steps : p.points[0].steps)
        }
        for (row, kind) in kinds.prefix(inner.height).enumerated() {
            let k = Int(kind.rawValue)
            let rates = p.points.indices.map { i -> Double in
                k < p.points[i].playEvents.count ? Double(p.points[i].playEvents[k]) * 1000 / Double(stepsPerUpdate[i]) : 0
            }
            let shown = binned(rates, into: sparkWidth)
            let y = inner.y + row
            screen.write(Format.pad(kind.name, labelWidth), x: inner.x + 1, y: y, style: theme.style("text"), clip: inner)
            screen.sparkline(shown, x: inner.x + 2 + labelWidth, y: y, width: sparkWidth, range: 0...max(1e-9, shown.max() ?? 0),
                             theme: theme, style: theme.style("fun"))
            let now = shown.last ?? 0
            screen.write(Format.right(String(format: "%.1f", now), countWidth), x: inner.maxX - countWidth - 1, y: y,
                         style: theme.style("text-dim"), clip: inner)
        }
    }

    /// The play event kinds seen most over the run, most first.
    static func topPlayKinds(_ points: [TrainingProgress.Point], limit: Int) -> [EventKind] {
        var totals = [Int](repeating: 0, count: EventKind.allCases.count)
        for point in points { for (k, n) in point.playEvents.enumerated() where k < totals.count { totals[k] += n } }
        return EventKind.allCases.filter { totals[Int($0.rawValue)] > 0 }
            .sorted { (totals[Int($0.rawValue)], $1.rawValue) > (totals[Int($1.rawValue)], $0.rawValue) }
            .prefix(limit).map { $0 }
    }

    /// `values` in at most `columns` columns, oldest first: each column the mean of the finite values of an equal
    /// share of the run (NaN where it has none), so the whole run fits the chart's width.
    static func binned(_ values: [Double], into columns: Int) -> [Double] {
        guard values.count > columns, columns > 0 else { return values }
        return (0..<columns).map { c in
            let range = (c * values.count / columns)..<((c + 1) * values.count / columns)
            var sum = 0.0, n = 0
            for v in values[range] where v.isFinite { sum += v; n += 1 }
            return n == 0 ? .nan : sum / Double(n)
        }
    }

    // MARK: The snapshot pane

    static func drawSnapshot(_ p: TrainingProgress, cursor: Cursor, in rect: Rect, palette: MapPalette, theme: Theme,
                             into screen: inout Screen) {
        guard !p.snapshots.isEmpty else {
            let inner = screen.box(rect, title: "newest snapshot", theme: theme)
            let text = p.tapes == nil ? "train with --tapes DIR to watch the agent play here"
                                      : "the first snapshot is being played"
            for (row, line) in Screen.wrap(text, width: max(1, inner.width - 2)).enumerated() where row < inner.height {
                screen.write(line, x: inner.x + 1, y: inner.y + row, style: theme.style("text-dim"), clip: inner)
            }
            return
        }
        let s = p.snapshots[min(cursor.snapshot, p.snapshots.count - 1)]
        let dot = theme.isUnicode ? " · " : " - "
        let inner = screen.box(rect, title: s.scenario + dot + "update \(s.update)" + dot + Format.count(s.trainingStep) + " steps",
                               theme: theme)
        guard !s.frames.isEmpty, inner.height > 3 else { return }
        let frame = s.frames[min(cursor.frame, s.frames.count - 1)]
        let lines = [
            "trial: task \(String(format: "%.2f", s.report.taskReturnMean))/episode" + dot + "play \(Format.percent(s.report.playRatio))",
            "episode \(frame.episode + 1)" + dot + "step \(frame.step)" + dot
                + (frame.decision.map { Format.action($0.action, unicode: theme.isUnicode) } ?? ""),
            "so far: task " + Format.signed(frame.episodeReturn.task) + dot + "fun " + Format.signed(frame.episodeReturn.funTotal),
        ]
        let mapArea = Rect(x: inner.x, y: inner.y, width: inner.width, height: inner.height - lines.count)
        let world = frame.world
        let at = world.agentPosition
        let camera = Camera(mapWidth: world.width, mapHeight: world.height, panel: mapArea, focusX: at.x, focusY: at.y)
        MapView.drawCells(world, camera: camera, palette: palette, into: &screen)
        for (row, line) in lines.enumerated() {
            screen.write(line, x: inner.x + 1, y: mapArea.maxY + row, style: theme.style(row == 0 ? "text" : "text-dim"), clip: inner)
        }
    }

    // MARK: Progress

    static func drawFooter(_ p: TrainingProgress, y: Int, width: Int, theme: Theme, into screen: inout Screen) {
        let fraction = min(1, Double(p.done) / Double(max(1, p.total)))
        let eta = p.stepsPerSecond > 0 ? Double(max(0, p.total - p.done)) / p.stepsPerSecond : .nan
        let barWidth = min(24, width / 5)
        screen.bar(fraction, x: 1, y: y, width: barWidth, theme: theme)
        let figures = " \(Format.percent(fraction)) \(Format.count(p.done))/\(Format.count(p.total)) steps  "
            + "\(Format.count(Int(p.stepsPerSecond)))/s  ETA \(eta.isFinite ? Format.minutesAndSeconds(eta) : "-")"
            + (p.goals.map { "  \($0)" } ?? "")
        screen.write(figures, x: barWidth + 1, y: y, style: theme.style("text"))
        let hint = p.status ?? "q stop and save"
        let x = max(barWidth + 1 + figures.count + 2, width - hint.count - 1)
        screen.write(hint, x: x, y: y, style: theme.style(p.status == nil ? "key-label" : "warning"),
                     clip: Rect(x: 0, y: y, width: width, height: 1))
    }
}

extension TrainingView.Cursor {
    /// The cursor `frames` frames later: through the shown snapshot, a pause of `hold` frames on its last frame, then
    /// the next scenario's snapshot from its start (round and round).
    public func advanced(by frames: Int, in snapshots: [PlayedSnapshot], hold: Int = 10) -> Self {
        guard !snapshots.isEmpty else { return Self() }
        var next = self
        next.snapshot = min(next.snapshot, snapshots.count - 1)
        next.frame += frames
        while next.frame >= snapshots[next.snapshot].frames.count + hold {
            next.frame -= snapshots[next.snapshot].frames.count + hold
            next.snapshot = (next.snapshot + 1) % snapshots.count
        }
        return next
    }
}

/// The live training screen's loop against any `TerminalBackend`: it draws what the training loop reports, plays
/// the newest snapshot in the pane at `replaySpeed` steps a second (from the start when a newer one lands), and turns
/// `q` or Ctrl-C into one request to stop. Training itself runs elsewhere (the command runs it on a thread of its
/// own); this only reads its progress.
public final class TrainingScreenDriver {
    public let backend: any TerminalBackend
    public let theme: Theme
    let palette: MapPalette
    let clock: any MonotonicClock
    public private(set) var cursor = TrainingView.Cursor()
    /// The update of the snapshots in the pane.
    private var shownUpdate: Int?
    private var screen: Screen
    public static let replaySpeed = 10

    public init(backend: any TerminalBackend, theme: Theme, clock: any MonotonicClock) {
        self.backend = backend
        self.theme = theme
        palette = MapPalette(theme: theme)
        self.clock = clock
        screen = Screen(size: backend.size)
    }

    /// Draws and reads keys until `isDone()` (training has ended, its checkpoint written); calls `stop` once when
    /// the user asks to stop.
    public func run(progress: () -> TrainingProgress, stop: () -> Void, isDone: () -> Bool) {
        var stopped = false
        var last = clock.now
        var carried = Duration.zero
        let framePeriod = Duration.seconds(1) / TrainingScreenDriver.replaySpeed
        while true {
            var state = progress()
            let now = clock.now
            carried += now - last
            last = now
            let newest = state.snapshots.first?.update
            if newest != shownUpdate {
                shownUpdate = newest
                cursor = TrainingView.Cursor()
                carried = .zero
            } else {
                let frames = Int(carried / framePeriod)
                carried -= framePeriod * frames
                cursor = cursor.advanced(by: frames, in: state.snapshots)
            }
            if stopped && state.status == nil { state.status = "stopping: saving the checkpoint" }
            if backend.size != screen.size { screen = Screen(size: backend.size) }
            TrainingView.draw(state, cursor: cursor, palette: palette, theme: theme, into: &screen)
            backend.present(screen)
            if isDone() { return }
            if let key = backend.readKey(timeoutMilliseconds: 100), !stopped, KeyMap.command(for: key, in: .watch) == .quit {
                stopped = true
                stop()
            }
        }
    }
}
