import Clocks
import Foundation

/// Why driving tmux failed: the tmux command and what it said, or what was awaited and the last screen.
public struct TmuxError: Error, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// Runs a terminal program in a private, detached tmux server so end-to-end tests can type at it and read
/// its screen, like a person at a terminal.
///
/// The program runs under a small wrapper in the pane that records its pid, its exit status and
/// `stty -a` of the pane's tty after it exits, so a test can check both the status and that the
/// terminal was given back (canonical mode and echo on, alternate screen off). Each session has its own
/// socket and scratch folder, removed by `close()`.
public final class TmuxSession {
    /// The tmux executable on PATH, if any.
    public static let executable: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/tmux"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }()

    /// Whether tmux is installed; use as a Swift Testing condition.
    public static var isAvailable: Bool { executable != nil }

    public let folder: URL
    private let socket: String
    private let target = "playgrid"
    private var isClosed = false

    /// Starts `command` (program and arguments) in a `width × height` pane.
    ///
    /// `environment` is added to the pane's environment (tmux passes its own otherwise); LANG defaults to
    /// C.UTF-8 and TERM is tmux-256color.
    public init(command: [String], width: Int = 100, height: Int = 32, environment: [String: String] = [:],
                workingDirectory: String? = nil) throws {
        guard let tmux = TmuxSession.executable else { throw TmuxError("tmux is not installed") }
        folder = URL(fileURLWithPath: try Scratch.folder("tmux"))
        socket = folder.appendingPathComponent("socket").path
        let config = folder.appendingPathComponent("tmux.conf")
        try """
        set -g remain-on-exit on
        set -g status off
        set -g default-terminal "tmux-256color"
        set -g escape-time 0
        """.write(to: config, atomically: true, encoding: .utf8)
        let wrapper = folder.appendingPathComponent("run.sh")
        try """
        #!/bin/sh
        dir="$1"; shift
        # Ctrl-C reaches the whole foreground group, and a closed window sends SIGHUP: survive them, to report the
        # program's status (a trap, unlike '', is not inherited).
        trap ':' INT QUIT HUP
        sh -c 'echo $$ > "$0/pid"; exec "$@"' "$dir" "$@"
        status=$?
        stty -a > "$dir/stty.txt" 2>&1
        echo "$status" > "$dir/status.tmp" && mv "$dir/status.tmp" "$dir/status"
        printf '\\n[exited with status %s]\\n' "$status"
        """.write(to: wrapper, atomically: true, encoding: .utf8)
        var variables = ["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"]
        variables.merge(environment) { _, new in new }
        var arguments = [tmux, "-S", socket, "-f", config.path, "new-session", "-d", "-s", target,
                         "-x", "\(width)", "-y", "\(height)"]
        if let workingDirectory { arguments += ["-c", workingDirectory] }
        for (key, value) in variables.sorted(by: { $0.key < $1.key }) { arguments += ["-e", "\(key)=\(value)"] }
        arguments += ["/bin/sh", wrapper.path, folder.path] + command
        try TmuxSession.run(arguments)
    }

    deinit { close() }

    /// Closes the window (see `closeWindow()`) and removes the session's folder (idempotent).
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        closeWindow()
        try? FileManager.default.removeItem(at: folder)
    }

    /// Closes the window as a person would: the program's terminal hangs up, and a program still running gets
    /// SIGHUP twice, as a shell passes it on to its jobs and the kernel sends it to the terminal's foreground
    /// group. (The wrapper ignores its own SIGHUP, to report the status.) The session's folder stays, for `waitForExit`.
    public func closeWindow() {
        _ = try? tmux("kill-server")
        let exited = FileManager.default.fileExists(atPath: folder.appendingPathComponent("status").path)
        guard !exited, let text = try? String(contentsOf: folder.appendingPathComponent("pid"), encoding: .utf8),
              let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { return }
        for _ in 0..<2 { kill(pid, SIGHUP) }
    }

    /// Sends keys by tmux name ("q", "Up", "Space", "Enter", "Escape", "C-c").
    public func sendKeys(_ keys: String...) throws {
        try tmux(["send-keys", "-t", target] + keys)
    }

    /// Types `text` literally.
    public func type(_ text: String) throws {
        try tmux("send-keys", "-t", target, "-l", text)
    }

    /// The pane's text now, one line per row (`-e` adds colour escape sequences).
    public func capture(colours: Bool = false) throws -> String {
        try tmux(["capture-pane", "-p", "-t", target] + (colours ? ["-e"] : []))
    }

    /// Waits until the pane shows `text`; throws with the last screen on timeout.
    @discardableResult
    public func waitFor(_ text: String, timeout: Duration = .seconds(10)) throws -> String {
        try waitUntil("'\(text)' to appear", timeout: timeout) { $0.contains(text) }
    }

    /// Waits until `predicate` holds for the pane's text; throws with the last screen on timeout. `settled` also asks
    /// that the same text be captured twice in a row: a capture can land in the middle of a redraw (one panel new,
    /// another still old), which a screen that is not advancing by itself, such as a paused or manual one, never shows twice.
    @discardableResult
    public func waitUntil(_ what: String, timeout: Duration = .seconds(10), settled: Bool = false,
                          _ predicate: (String) -> Bool) throws -> String {
        let clock = SystemClock()
        let deadline = clock.now + timeout
        var screen = ""
        while true {
            let previous = screen
            screen = try capture()
            if predicate(screen) && (!settled || screen == previous) { return screen }
            guard clock.now < deadline else { throw TmuxError("timed out waiting for \(what); the screen was:\n\(screen)") }
            clock.sleep(for: .milliseconds(50))
        }
    }

    /// Resizes the window (the program sees SIGWINCH).
    public func resize(width: Int, height: Int) throws {
        try tmux("resize-window", "-t", target, "-x", "\(width)", "-y", "\(height)")
    }

    /// The program's pid once it has started.
    public func programPID(timeout: Duration = .seconds(10)) throws -> Int32 {
        let file = folder.appendingPathComponent("pid")
        let clock = SystemClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if let text = try? String(contentsOf: file, encoding: .utf8),
               let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return pid
            }
            clock.sleep(for: .milliseconds(20))
        }
        throw TmuxError("the program did not start within \(timeout)")
    }

    /// Sends `signal` to the program.
    public func signalProgram(_ signal: Int32) throws {
        let pid = try programPID()
        guard kill(pid, signal) == 0 else { throw TmuxError("kill(\(pid), \(signal)) failed: errno \(errno)") }
    }

    /// Waits for the program to exit and returns its status as the shell reports it (128 + n after signal n).
    public func waitForExit(timeout: Duration = .seconds(10)) throws -> Int32 {
        let file = folder.appendingPathComponent("status")
        let clock = SystemClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if let text = try? String(contentsOf: file, encoding: .utf8),
               let status = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return status
            }
            clock.sleep(for: .milliseconds(50))
        }
        throw TmuxError("the program did not exit within \(timeout); the screen was:\n\((try? capture()) ?? "")")
    }

    /// `stty -a` of the pane's tty, taken right after the program exited.
    public func ttySettingsAfterExit() throws -> String {
        try String(contentsOf: folder.appendingPathComponent("stty.txt"), encoding: .utf8)
    }

    /// Whether the program gave the terminal back: canonical input and echo on, alternate screen off.
    /// Call after `waitForExit`.
    public func terminalWasRestored() throws -> Bool {
        let flags = Set(try ttySettingsAfterExit().split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init))
        let alternate = try tmux("display-message", "-p", "-t", target, "#{alternate_on}")
        return flags.contains("icanon") && flags.contains("echo") && !flags.contains("-icanon") && !flags.contains("-echo")
            && alternate.trimmingCharacters(in: .whitespacesAndNewlines) == "0"
    }

    @discardableResult
    private func tmux(_ arguments: String...) throws -> String {
        try tmux(arguments)
    }

    @discardableResult
    private func tmux(_ arguments: [String]) throws -> String {
        try TmuxSession.run([TmuxSession.executable ?? "tmux", "-S", socket] + arguments)
    }

    /// Runs a tmux command and returns its stdout.
    ///
    /// Spawned directly and reaped with `waitpid`: output goes through files, not pipes, because
    /// `new-session` forks the tmux server, which would hold a pipe open and block a reader forever.
    @discardableResult
    static func run(_ arguments: [String]) throws -> String {
        let base = Scratch.path("tmux-output")
        let outPath = base + ".out", errPath = base + ".err"
        defer {
            unlink(outPath)
            unlink(errPath)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // Test runners spawn from threads that block signals; tmux's server must start with none blocked
        // and default handlers, or it cannot reap its panes and never exits on kill-server.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t(), all = sigset_t()
        sigemptyset(&empty)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, arguments[0], &actions, &attributes, &argv, environ)
        guard spawned == 0 else { throw TmuxError("cannot start \(arguments[0]): error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let text = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let exited = status & 0x7f == 0
        let code = (status >> 8) & 0xff
        guard exited && code == 0 else {
            let message = ((try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            throw TmuxError("tmux \(arguments.dropFirst(3).joined(separator: " ")) failed (status \(status)): \(message)")
        }
        return text
    }
}

/// Runs a program with stdout and stderr on pipes (so not a terminal) and no stdin; returns its exit status,
/// what it printed, and what it said on stderr.
public func runWithoutTerminal(_ program: String, _ arguments: [String]) throws -> (status: Int32, printed: String, message: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = arguments
    let output = Pipe(), errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, printed, message)
}
