import Clocks
import Foundation
import MetaAgents
import MetaRL
import Records
import ShippedFiles
import Synchronization
import Terminal
import TerminalNCurses
import Views

/// The training loop's edges: progress lines on stderr or the live training screen, the learning curve beside the
/// checkpoint, saving every 30 s, and a clean stop on `q` or Ctrl-C (SIGINT, SIGTERM, SIGHUP or SIGPIPE) with the checkpoint
/// written.
struct TrainingLoop {
    let training: GridTraining
    let out: String
    let steps: Int

    /// The files a training writes beside its checkpoint `out`: the learning curve, its plot, a goal agent's coverage.
    static func companions(of out: String) -> (curve: String, plot: String, coverage: String) {
        (out + ".curve.csv", out + ".curve.svg", out + ".coverage.csv")
    }

    /// The steps that will run: whole updates, so more than `steps` when it is not a multiple of one (a total of
    /// `steps` let the bar read "16k/6k steps").
    var plannedSteps: Int { training.trainer.plannedSteps(steps) }

    var curvePath: String { Self.companions(of: out).curve }
    var plotPath: String { Self.companions(of: out).plot }
    var coveragePath: String { Self.companions(of: out).coverage }

    /// Trains with progress lines, or on the live screen when `screen` (`Train.validate` made sure of a terminal).
    func go(screen: Bool) throws {
        StopRequest.install()
        let trainer = training.trainer
        let start = trainer.environmentSteps
        let clock = SystemClock()
        let began = clock.now
        var byFamily: String?
        if screen {
            byFamily = try onScreen()
        } else {
            var bar = ProgressBar(total: plannedSteps)
            defer { bar.finish() }
            byFamily = try train { update in
                let m = update.metrics
                let goals = Self.goalsSummary(training, update).map { "  " + $0 } ?? ""
                bar.update(done: m.environmentSteps - start, rate: m.stepsPerSecond,
                           detail: String(format: "task %.3f  fun %.3f  play %.2f", m.meanTaskReturn.isNaN ? 0 : m.meanTaskReturn,
                                          m.meanFunReturn.isNaN ? 0 : m.meanFunReturn, update.playRatio) + goals)
            }
        }
        let elapsed = (clock.now - began).components.seconds
        let trained = trainer.environmentSteps - start
        let tapes = (training.tapes.map { "; \($0.snapshotCount) snapshots in \($0.plan.directory)" } ?? "")
            + (training.coverage != nil ? ", \(coveragePath)" : "")
        if StopRequest.isRequested {
            printError("stopped after \(trained) steps in \(elapsed) s at update \(trainer.updateCount); wrote \(out) (train --resume continues it), \(curvePath), \(plotPath)\(tapes)")
        } else {
            printError("trained \(trained) steps in \(elapsed) s; wrote \(out), \(curvePath), \(plotPath)\(tapes)")
        }
        if let byFamily { printError("task return an episode by family, over the last 5% of updates: \(byFamily)") }
    }

    /// A goal run's last coverage, the goals of intermediate difficulty now, and the share of the trials since the
    /// measurement before that went to such goals (nil without goals, or before the first measurement).
    static func goalsSummary(_ training: GridTraining, _ update: GridTraining.Update) -> String? {
        training.lastCoverage.map { c in
            String(format: "coverage %.2f  goid %d", c.coverage, update.intermediateGoals ?? 0)
                + (c.trialsOnIntermediate.map { String(format: " (%.0f%% of trials)", $0 * 100) } ?? "")
        }
    }

    /// Runs the training, appending the curve and calling `report` after every update, until the steps are done or
    /// a stop is requested; then writes the plot. Returns the curve's summary family by family (nil for one family).
    func train(report: (GridTraining.Update) -> Void) throws -> String? {
        let goals = training.identity.goals
        let trainer = training.trainer
        var curve = try LearningCurve(path: curvePath, resumedAt: trainer.updateCount > 0 ? trainer.environmentSteps : nil,
                                      families: training.identity.families.map(\.name), coveragePath: goals != nil ? coveragePath : nil, goals: goals ?? "")
        if trainer.updateCount == 0, let value = training.measureCoverageNow() {
            try curve.appendCoverage(steps: 0, coverage: value, intermediate: 0, trialsOnIntermediate: nil)
        }
        do {
            try training.train(steps: steps, saving: .init(path: out, everySeconds: 30)) { update in
                try curve.append(update)
                report(update)
                return !StopRequest.isRequested
            }
        } catch let error as TrainingError {
            throw CommandFailure("training stopped: \(error); the last good parameters are saved in \(out)")
        }
        try AtomicFile.write(text: curve.svg(title: "meta-training on " + training.identity.families.map(\.name).joined(separator: ", ")),
                             to: plotPath)
        return curve.familySummary()
    }

    /// Trains on a thread of its own while this one draws the live screen; gives the terminal back before reporting.
    func onScreen() throws -> String? {
        let names = training.identity.families.map(\.name).joined(separator: ", ")
        let progress = Mutex(TrainingProgress(title: "PlayGrid meta-training on \(names) → \(out)", total: plannedSteps,
                                              tapes: training.tapes?.plan.directory))
        let outcome = Mutex<String??>(nil)
        let byFamily = Mutex<String?>(nil)
        let start = training.trainer.environmentSteps
        let loop = Unchecked(self)
        let thread = Thread {
            do {
                let summary = try loop.value.train { update in
                    let m = update.metrics
                    let point = TrainingProgress.Point(steps: m.environmentSteps, task: m.meanTaskReturn, fun: m.meanFunReturn,
                                                       play: update.playRatio, effectivePlay: update.effectivePlayRatio,
                                                       playEvents: update.playEvents)
                    let goals = Self.goalsSummary(loop.value.training, update)
                    progress.withLock {
                        $0.goals = goals
                        $0.points.append(point)
                        $0.done = m.environmentSteps - start
                        $0.stepsPerSecond = m.stepsPerSecond
                    }
                }
                byFamily.withLock { $0 = summary }
                outcome.withLock { $0 = .some(nil) }
            } catch {
                let line = "\(error)"
                outcome.withLock { $0 = .some(line) }
            }
        }
        thread.stackSize = 8 << 20
        let themes = try ShippedFolder.locate(ShippedFolder.themes)
        let utf8 = TerminalEnvironment.prepareLocale()
        let theme = try Theme.load(named: utf8 ? "unicode" : "ascii", in: themes.url)
        let terminal = try NCursesTerminal(raw: true)
        thread.start()
        let tapes = training.tapes
        let driver = TrainingScreenDriver(backend: terminal, theme: theme, clock: SystemClock())
        driver.run(progress: {
            var p = progress.withLock { $0 }
            if let tapes {
                p.snapshots = tapes.newest
                if let failure = tapes.failure { p.status = "tapes stopped: \(failure)" }
            }
            return p
        }, stop: StopRequest.request, isDone: { outcome.withLock { $0 != nil } })
        terminal.close()
        if case .some(.some(let failure)) = outcome.withLock({ $0 }) { throw CommandFailure(failure) }
        return byFamily.withLock { $0 }
    }
}

/// A value handed to another thread that only that thread uses from then on.
final class Unchecked<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// A request to stop where it is — training with the checkpoint written, a screen as `q` ends it — from `q` on the
/// training screen, or the first Ctrl-C (SIGINT), SIGTERM, SIGHUP (the terminal window closed) or SIGPIPE (whatever
/// read the progress lines, `| tee log` or `| head`, has gone); a second SIGINT or SIGTERM ends the process as usual.
/// A closed window sends SIGHUP more than once (the shell passes it on to its jobs, the kernel sends it to the
/// foreground group), and every later line to a closed pipe raises SIGPIPE again, so later ones are ignored, or the
/// stop could not finish: by default SIGPIPE killed a training with its last half-minute unsaved.
enum StopRequest {
    static let flag = Atomic<Bool>(false)
    static let signalNumber = Atomic<Int32>(0)

    static var isRequested: Bool { flag.load(ordering: .relaxed) }

    /// The signal that asked, if one did: a screen ends the process by it once it has finished.
    static var receivedSignal: Int32? {
        let number = signalNumber.load(ordering: .relaxed)
        return number == 0 ? nil : number
    }

    static func request() { flag.store(true, ordering: .relaxed) }

    /// Catches SIGINT, SIGTERM, SIGHUP and SIGPIPE (unless the parent made the process ignore them, as nohup does
    /// SIGHUP).
    static func install() {
        func address(_ handler: __sighandler_t?) -> Int { handler.map { unsafeBitCast($0, to: Int.self) } ?? 0 }
        for sig in [SIGINT, SIGTERM, SIGHUP, SIGPIPE] where address(signal(sig, SIG_IGN)) != address(SIG_IGN) {
            signal(sig) { sig in
                StopRequest.signalNumber.store(sig, ordering: .relaxed)
                StopRequest.flag.store(true, ordering: .relaxed)
                signal(sig, sig == SIGHUP || sig == SIGPIPE ? SIG_IGN : SIG_DFL)
            }
        }
    }
}
