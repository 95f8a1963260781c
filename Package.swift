// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "PlayGrid",
    products: [
        .executable(name: "playgrid", targets: ["PlayGridCLI"]),
        .executable(name: "playgrid-termcheck", targets: ["playgrid-termcheck"]),
        .library(name: "GridWorld", targets: ["GridWorld"]),
        .library(name: "Terminal", targets: ["Terminal"]),
        .library(name: "Views", targets: ["Views"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // The world core: pure, deterministic, no I/O.
        .target(name: "GridWorld", swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]),
        // Scenario files: YAML into the world's scenario model, with file:line:column errors.
        .target(name: "ScenarioFiles", dependencies: ["GridWorld", .product(name: "Yams", package: "Yams")]),
        // Minds: the scripted agents (learned ones join them).
        .target(name: "Agents", dependencies: ["GridWorld"]),
        // Fun: intrinsic reward models and fun specs.
        .target(name: "Fun", dependencies: ["GridWorld"]),
        // The headless engine: sessions of world + agent + fun, frames, metrics, runs.
        .target(name: "Session", dependencies: ["GridWorld", "Agents", "Fun"]),
        // The one place where ncurses macros and mutable globals are wrapped for Swift.
        .target(name: "CNCursesShim", linkerSettings: [.linkedLibrary("ncursesw")]),
        // Screen model, themes, input mapping, pacing (pure) plus the live ncurses and recording backends.
        .target(name: "Terminal", dependencies: ["CNCursesShim"]),
        // Tapes: recording, reading, indexing, replaying, verifying and exporting trajectories. No terminal code.
        .target(name: "Tapes", dependencies: ["GridWorld", "ScenarioFiles", "Agents", "Fun", "Session"]),
        // What users see: the watch/play/replay screens drawn from session frames and tapes, and the loop that drives them.
        .target(name: "Views", dependencies: ["Terminal", "Session", "GridWorld", "Agents", "Fun", "Tapes"]),
        // Benchmarks the CLI's `bench` runs: real work, timed, reported as rates.
        .target(name: "Measurements", dependencies: ["GridWorld", "Agents", "Fun", "Session", "Tapes"]),
        .executableTarget(
            name: "PlayGridCLI",
            dependencies: ["GridWorld", "ScenarioFiles", "Agents", "Fun", "Session", "Tapes", "Measurements", "Terminal", "Views",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Diagnostic: draws the theme's glyphs and colours and echoes keys, to check a terminal.
        .executableTarget(name: "playgrid-termcheck", dependencies: ["Terminal"]),
        // tmux driver shared by end-to-end tests of terminal programs.
        .target(name: "TerminalTestSupport", path: "Tests/Support"),
        .testTarget(name: "GridWorldTests", dependencies: ["GridWorld", "ScenarioFiles", "Agents", "Session"]),
        .testTarget(name: "SessionTests", dependencies: ["GridWorld", "ScenarioFiles", "Agents", "Fun", "Session"]),
        // Fun models' known properties on small worlds, the tabular learner, fun specs.
        .testTarget(name: "FunTests", dependencies: ["GridWorld", "ScenarioFiles", "Agents", "Fun", "Session"]),
        .testTarget(name: "TapesTests", dependencies: ["Tapes", "GridWorld", "ScenarioFiles", "Agents", "Fun", "Session"]),
        // Golden screens of every panel and mode, the watch reducer, and the real binary in tmux.
        .testTarget(name: "ViewsTests", dependencies: ["Views", "Terminal", "TerminalTestSupport", "Session", "GridWorld",
                                                       "Agents", "Fun", "ScenarioFiles", "Tapes", "PlayGridCLI"]),
        .testTarget(name: "TerminalTests", dependencies: ["Terminal", "TerminalTestSupport", "playgrid-termcheck"]),
    ],
    swiftLanguageModes: [.v6]
)
