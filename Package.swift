// swift-tools-version: 6.1
import PackageDescription

/// Vector width for the hot matrix kernels. On x86-64 the default code generation stops at SSE2, which leaves the
/// GEMM micro-kernels at a quarter of the machine's speed; x86-64-v3 (AVX2 + FMA, every x86 server since 2015)
/// is the portable floor that the kernels are tuned for (`haswell` names that level to the compiler). Such a build
/// stops at start-up with one line on an older CPU (CCPUCheck); `PLAYGRID_PORTABLE=1 swift build` makes one that
/// runs on any x86-64 CPU with the same results, ~45× slower (fused multiply-adds become library calls).
#if arch(x86_64)
let requiresX86_64_v3 = Context.environment["PLAYGRID_PORTABLE"] == nil
#else
let requiresX86_64_v3 = false
#endif
let vectorSettings: [SwiftSetting] = requiresX86_64_v3 ? [.unsafeFlags(["-target-cpu", "haswell"])] : []

/// The numeric modules are optimised in debug builds too: unoptimised SIMD code runs ~100× slower, which
/// would make the meta-learning test take minutes instead of seconds. Tests still build with testability.
let kernelSettings: [SwiftSetting] = vectorSettings + [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "PlayGrid",
    products: [
        .executable(name: "playgrid", targets: ["PlayGridCLI"]),
        .executable(name: "playgrid-termcheck", targets: ["playgrid-termcheck"]),
        .library(name: "GridWorld", targets: ["GridWorld"]),
        .library(name: "Terminal", targets: ["Terminal"]),
        .library(name: "NeuralCore", targets: ["NeuralCore"]),
        .library(name: "MetaRL", targets: ["MetaRL"]),
        .library(name: "Views", targets: ["Views"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // The one seeded generator every random choice draws from.
        .target(name: "Randomness"),
        // CRC-32, which tapes and checkpoints carry to detect damage, and FNV-1a, which fingerprints texts.
        .target(name: "Checksum", swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]),
        // The world core: pure, deterministic, no I/O.
        .target(name: "GridWorld", dependencies: ["Randomness", "Checksum"], swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]),
        // Scenario files: YAML into the world's scenario model, with file:line:column errors.
        .target(name: "ScenarioFiles", dependencies: ["GridWorld", .product(name: "Yams", package: "Yams")]),
        // Minds: the scripted agents (learned ones join them).
        .target(name: "Agents", dependencies: ["GridWorld"]),
        // Fun: intrinsic reward models and fun specs.
        .target(name: "Fun", dependencies: ["GridWorld"]),
        // The headless engine: sessions of world + agent + fun, frames, step-back history, metrics, runs.
        .target(name: "Engine", dependencies: ["GridWorld", "Agents", "Fun"]),
        // Stops a program built for x86-64-v3 with one line on a CPU without AVX2/FMA, before any such code runs.
        .target(name: "CCPUCheck", cSettings: requiresX86_64_v3 ? [.define("PG_REQUIRE_X86_64_V3")] : []),
        // The neural core: flat-buffer layers, kernels, optimisers; knows nothing of gridworlds.
        .target(name: "NeuralCore", dependencies: ["Randomness", "CCPUCheck"], swiftSettings: kernelSettings),
        // RL²: the recurrent actor-critic, its trainer, checkpoints, and non-grid families for checking.
        .target(name: "MetaRL", dependencies: ["NeuralCore", "Checksum"], swiftSettings: kernelSettings),
        // The bridge between gridworlds and the meta-learner: batched environments with fun, the recurrent agent.
        .target(name: "MetaAgents", dependencies: ["GridWorld", "Agents", "Fun", "MetaRL", "NeuralCore"]),
        // The one place where ncurses macros and mutable globals are wrapped for Swift.
        .target(name: "CNCursesShim", linkerSettings: [.linkedLibrary("ncursesw")]),
        // Screen model, themes, input mapping, pacing (pure) plus the live ncurses and recording backends.
        .target(name: "Terminal", dependencies: ["CNCursesShim"]),
        // Tapes: recording, reading, indexing, replaying, verifying and exporting trajectories. No terminal code.
        .target(name: "Tapes", dependencies: ["Checksum", "GridWorld", "ScenarioFiles", "Agents", "Fun", "Engine"]),
        // What users see: the watch/play/replay screens drawn from session frames and tapes, and the loop that drives them.
        .target(name: "Views", dependencies: ["Terminal", "Engine", "GridWorld", "Agents", "Fun", "Tapes"]),
        // Charts as SVG files, for learning curves and experiment results.
        .target(name: "Plots"),
        // Experiments: fun settings × seeds trained, evaluated under changing dynamics, tables, plots and verdicts.
        .target(name: "Experiments", dependencies: ["Checksum", "GridWorld", "ScenarioFiles", "Agents", "Fun", "Engine", "MetaRL", "MetaAgents",
                                                    "NeuralCore", "Plots"]),
        // Benchmarks the CLI's `bench` runs: real work, timed, reported as rates.
        .target(name: "Measurements", dependencies: ["GridWorld", "Agents", "Fun", "Engine", "Tapes", "MetaRL", "MetaAgents"]),
        .executableTarget(
            name: "PlayGridCLI",
            dependencies: ["GridWorld", "ScenarioFiles", "Agents", "Fun", "Engine", "Tapes", "Measurements", "MetaRL", "MetaAgents", "Plots", "Terminal", "Views", "Experiments",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(name: "neural-bench", dependencies: ["MetaRL", "Measurements"], swiftSettings: kernelSettings),
        // Diagnostic: draws the theme's glyphs and colours and echoes keys, to check a terminal.
        .executableTarget(name: "playgrid-termcheck", dependencies: ["Terminal"]),
        // tmux driver shared by end-to-end tests of terminal programs.
        .target(name: "TerminalTestSupport", path: "Tests/Support"),
        .testTarget(name: "GridWorldTests", dependencies: ["GridWorld", "ScenarioFiles", "Agents", "Engine"]),
        .testTarget(name: "EngineTests", dependencies: ["GridWorld", "ScenarioFiles", "Agents", "Fun", "Engine"]),
        // Fun models' known properties on small worlds, the tabular learner, fun specs.
        .testTarget(name: "FunTests", dependencies: ["GridWorld", "ScenarioFiles", "Agents", "Fun", "Engine"]),
        .testTarget(name: "NeuralCoreTests", dependencies: ["NeuralCore", "CCPUCheck"]),
        .testTarget(name: "MetaRLTests", dependencies: ["MetaRL", "Checksum"]),
        .testTarget(name: "MetaAgentsTests", dependencies: ["MetaAgents", "ScenarioFiles", "Engine"]),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "ScenarioFiles", "Fun"]),
        .testTarget(name: "TapesTests", dependencies: ["Tapes", "Checksum", "GridWorld", "ScenarioFiles", "Agents", "Fun", "Engine"]),
        // Golden screens of every panel and mode, the watch reducer, and the real binary in tmux.
        .testTarget(name: "ViewsTests", dependencies: ["Views", "Terminal", "TerminalTestSupport", "Engine", "GridWorld",
                                                       "Agents", "Fun", "ScenarioFiles", "Tapes", "PlayGridCLI"]),
        .testTarget(name: "TerminalTests", dependencies: ["Terminal", "TerminalTestSupport", "playgrid-termcheck"]),
    ],
    swiftLanguageModes: [.v6]
)
