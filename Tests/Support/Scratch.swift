import Foundation

/// Scratch paths and folders for tests, all inside one folder of this test process (`playgrid-tests-<pid>` in the
/// temporary directory), which is removed when the process exits.
///
/// Why one home: tests that each wrote straight into the temporary directory left their files behind on every run,
/// hundreds after a few runs. Swift Testing has no global teardown, so the folder is made once, on first use (a
/// `static let`, so thread-safely), and an `atexit` handler registered then removes it whole. Nothing is removed
/// earlier, so a file handed to another process (a program in a tmux pane, a tape being followed) lasts as long as
/// the test does; a test may still remove its own paths when it is done. Every name starts with a fresh UUID prefix,
/// so tests running in parallel never meet. A process that crashes leaves its folder; only a clean exit removes it.
public enum Scratch {
    /// This process's scratch folder; made, and its removal at exit registered, the first time it is asked for.
    public static let root: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("playgrid-tests-\(getpid())").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: Scratch.root) }
        return path
    }()

    /// A fresh path ending in `name`, with nothing there yet; its folder exists.
    public static func path(_ name: String) -> String {
        "\(root)/\(UUID().uuidString.prefix(8))-\(name)"
    }

    /// A fresh, empty folder ending in `name`: for a test that lists its folder and must see only what it wrote.
    public static func folder(_ name: String) throws -> String {
        let folder = path(name)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        return folder
    }
}
