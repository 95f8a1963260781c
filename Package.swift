// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "PlayGrid",
    products: [
        .executable(name: "playgrid", targets: ["PlayGridCLI"]),
        .library(name: "GridWorld", targets: ["GridWorld"]),
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
        // Tapes: recording, reading, indexing, replaying, verifying and exporting trajectories. No terminal code.
        .target(name: "Tapes", dependencies: ["GridWorld", "ScenarioFiles", "Agents", "Fun", "Session"]),
        // Benchmarks the CLI's `bench` runs: real work, timed, reported as rates.
        .target(name: "Measurements", dependencies: ["GridWorld", "Agents", "Fun", "Session", "Tapes"]),
        .executableTarget(
            name: "PlayGridCLI",
            dependencies: ["GridWorld", "ScenarioFiles", "Agents", "Fun", "Session", "Tapes", "Measurements", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(name: "GridWorldTests", dependencies: ["GridWorld", "ScenarioFiles", "Agents", "Session"]),
        .testTarget(name: "TapesTests", dependencies: ["Tapes", "GridWorld", "ScenarioFiles", "Agents", "Fun", "Session"]),
    ]
)
