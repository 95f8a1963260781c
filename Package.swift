// swift-tools-version: 6.2
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
        .library(name: "TerminalNCurses", targets: ["TerminalNCurses"]),
        .library(name: "NeuralCore", targets: ["NeuralCore"]),
        .library(name: "MetaRL", targets: ["MetaRL"]),
        .library(name: "Views", targets: ["Views"]),
        // The C ABI (Sources/PlayGridC/include/playgrid.h) that the Python package loads.
        .library(name: "PlayGridC", type: .dynamic, targets: ["PlayGridC"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    ],
    targets: [
        // The one seeded generator every random choice draws from.
        .target(name: "Randomness", dependencies: [.product(name: "RealModule", package: "swift-numerics")]),
        // The one monotonic clock everything that measures or paces time reads: the system's, or a manual one in tests.
        .target(name: "Clocks"),
        // CRC-32, which tapes and checkpoints carry to detect damage, and FNV-1a, which fingerprints texts.
        .target(name: "Checksum", swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]),
        // Statistics of samples: means, intervals, tests; the one home for every figure PlayGrid reports.
        .target(name: "Statistics", dependencies: ["Randomness"]),
        // How records are written: stable JSON, CSV rows, files replaced atomically.
        .target(name: "Records", dependencies: ["Spelling"]),
        // The world core: pure, deterministic, no I/O.
        .target(name: "GridWorld", dependencies: ["Randomness", "Checksum"], swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]),
        // Where PlayGrid's shipped folders are (scenarios, themes, bundled agents, experiments), and PLAYGRID_HOME.
        .target(name: "ShippedFiles"),
        // Words for people: "did you mean" (the known name closest to a mistyped one, for every name a person types),
        // and the kind of value a file needed said plainly. Pure, so the terminal core can use it.
        .target(name: "Spelling"),
        // Scenario files: YAML into the world's scenario model, with file:line:column errors.
        .target(name: "ScenarioFiles", dependencies: ["GridWorld", "ShippedFiles", "Spelling", .product(name: "Yams", package: "Yams")]),
        // Minds: the scripted agents (learned ones join them).
        .target(name: "Agents", dependencies: ["GridWorld"]),
        // Fun: intrinsic reward models and fun specs.
        .target(name: "Fun", dependencies: ["GridWorld", "NeuralCore", "Records", "Spelling"]),
        // The headless engine: sessions of world + agent + fun, frames, step-back history, metrics, runs.
        .target(name: "Engine", dependencies: ["Clocks", "GridWorld", "Agents", "Fun", "Statistics"]),
        // Stops a program built for x86-64-v3 with one line on a CPU without AVX2/FMA, before any such code runs.
        .target(name: "CCPUCheck", cSettings: requiresX86_64_v3 ? [.define("PG_REQUIRE_X86_64_V3")] : []),
        // The neural core: flat-buffer layers, kernels, optimisers; knows nothing of gridworlds.
        .target(name: "NeuralCore", dependencies: ["Randomness", "CCPUCheck", .product(name: "RealModule", package: "swift-numerics")],
                swiftSettings: kernelSettings),
        // RL²: the recurrent actor-critic, its trainer, checkpoints, and non-grid families for checking.
        .target(name: "MetaRL", dependencies: ["Clocks", "NeuralCore", "Checksum", "Records", "Statistics",
                                             .product(name: "RealModule", package: "swift-numerics")], swiftSettings: kernelSettings),
        // The bridge between gridworlds and the meta-learner: batched environments with fun, the recurrent agent, the
        // training pipeline and the evaluation tapes it records.
        .target(name: "MetaAgents", dependencies: ["GridWorld", "Agents", "Fun", "Engine", "MetaRL", "NeuralCore", "Plots", "Records", "Statistics",
                                                   "Tapes"]),
        // Minds with episodic memory: MFEC and NEC, their memories (exact k-nearest neighbours on flat buffers) and keys.
        .target(name: "EpisodicAgents", dependencies: ["GridWorld", "Agents", "MetaAgents", "NeuralCore"], swiftSettings: kernelSettings),
        // The terminal is split as swift-nio splits NIOCore from NIOPosix. `Terminal` is the pure core that every
        // screen is drawn against: the screen model, styles, themes, geometry, diffing, pacing, keys, charts, the
        // backend protocol and the recording backend. It makes no system calls and knows no ncurses, so views and
        // their golden tests build and run anywhere. It keeps the plain name because it is what nearly everything
        // imports; the platform edge is named for the library it binds.
        .target(name: "Terminal", dependencies: ["Spelling"]),
        // The one place where ncurses macros and mutable globals are wrapped for Swift.
        .target(name: "CNCursesShim", linkerSettings: [.linkedLibrary("ncursesw")]),
        // The live backend on ncursesw and the process's terminal (tty, locale). Only the programs link it.
        .target(name: "TerminalNCurses", dependencies: ["Terminal", "CNCursesShim"]),
        // The tape format over byte buffers: prefix, header, chunks, key frames, records and their checksums, encoding
        // (TapeEncoder) and reading (TapeReader). No file calls and no clock, so it runs wherever bytes do.
        .target(name: "TapeCodec", dependencies: ["Checksum", "GridWorld", "Records", "ScenarioFiles"]),
        // Tapes: the files (writing, reading, following a growing tape, text exports) and what works on a read tape
        // (replaying, verifying, exporting). Re-exports TapeCodec, so `import Tapes` is the whole tape API. No terminal.
        .target(name: "Tapes", dependencies: ["TapeCodec", "Checksum", "Clocks", "Records", "GridWorld", "ScenarioFiles", "Agents", "Fun", "Engine"]),
        // What users see: the watch/play/replay screens drawn from session frames and tapes, the app's commands, key
        // map and help, and the loop that drives them against any `TerminalBackend`.
        .target(name: "Views", dependencies: ["Clocks", "Terminal", "Engine", "GridWorld", "Agents", "Fun", "Tapes"]),
        // The C ABI: batches of worlds with fun, map renderings and tapes behind plain C functions and handles.
        .target(name: "PlayGridC", dependencies: ["GridWorld", "Records", "ScenarioFiles", "ShippedFiles", "Fun", "Tapes", "Terminal", "Views"],
                exclude: ["include"]),
        // Charts as SVG files, for learning curves and experiment results.
        .target(name: "Plots"),
        // Experiments: fun settings × seeds trained, evaluated under changing dynamics, tables, plots and verdicts.
        .target(name: "Experiments", dependencies: ["Checksum", "Clocks", "Records", "Statistics", "GridWorld", "ScenarioFiles", "ShippedFiles", "Agents", "Fun", "Engine", "MetaRL", "MetaAgents",
                                                    "EpisodicAgents", "NeuralCore", "Plots"]),
        // Benchmarks the CLI's `bench` (and `playgrid-termcheck --bench`) run: real work, timed, reported as rates. They
        // live here, apart from the product modules they measure.
        .target(name: "Measurements", dependencies: ["Clocks", "GridWorld", "Agents", "Fun", "Engine", "Tapes", "MetaRL", "MetaAgents",
                                                     "EpisodicAgents", "Terminal", "Views"]),
        // Bad command-line input as one clear line on stderr, for every executable.
        .target(name: "CommandLineErrors", dependencies: ["Spelling", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(
            name: "PlayGridCLI",
            dependencies: ["Clocks", "CommandLineErrors", "Records", "GridWorld", "ScenarioFiles", "ShippedFiles", "Agents", "Fun", "Engine", "Tapes",
                           "Measurements", "MetaRL", "MetaAgents", "EpisodicAgents", "Plots", "Spelling", "Statistics", "Terminal", "TerminalNCurses", "Views", "Experiments",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(name: "neural-bench", dependencies: ["CommandLineErrors", "MetaRL", "Measurements", "Records", "Experiments", "ScenarioFiles",
                                                               .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: kernelSettings),
        // Diagnostic: draws the theme's glyphs and colours and echoes keys, to check a terminal.
        .executableTarget(name: "playgrid-termcheck", dependencies: ["CommandLineErrors", "Terminal", "TerminalNCurses", "Views", "Measurements", "ShippedFiles",
                                                                    .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // Counts a thread's heap allocations by replacing malloc and its kin (glibc only). It replaces them for the whole
        // process it is linked into, so only the tests link it, through TestSupport.
        .target(name: "AllocationCounter", path: "Tests/AllocationCounter"),
        // What the tests share: the repository's shipped files, scenarios drawn in a test, the built programs, the tmux
        // driver for end-to-end tests of terminal programs, scratch paths in one folder removed at exit, the `slow` tag,
        // and counts of heap allocations.
        .target(name: "TestSupport", dependencies: ["AllocationCounter", "Clocks", "GridWorld", "ScenarioFiles"], path: "Tests/Support"),
        .testTarget(name: "ClocksTests", dependencies: ["Clocks"]),
        .testTarget(name: "ShippedFilesTests", dependencies: ["ShippedFiles", "TestSupport"]),
        .testTarget(name: "GridWorldTests", dependencies: ["GridWorld", "ScenarioFiles", "Agents", "Engine", "TestSupport"]),
        .testTarget(name: "SpellingTests", dependencies: ["Spelling"]),
        .testTarget(name: "ScenarioFilesTests", dependencies: ["ScenarioFiles", "GridWorld", "TestSupport"]),
        .testTarget(name: "EngineTests", dependencies: ["GridWorld", "ScenarioFiles", "Agents", "Fun", "Engine", "Records", "Statistics", "TestSupport"]),
        // Fun models' known properties on small worlds, the tabular learner, fun specs.
        .testTarget(name: "FunTests", dependencies: ["GridWorld", "ScenarioFiles", "Agents", "Fun", "Engine", "TestSupport"]),
        .testTarget(name: "NeuralCoreTests", dependencies: ["NeuralCore", "CCPUCheck"]),
        .testTarget(name: "MetaRLTests", dependencies: ["MetaRL", "Checksum", "Records", "TestSupport"]),
        // The episodic minds: their memories' eviction and neighbours, MFEC's max-update, NEC's kernel and gradient.
        .testTarget(name: "EpisodicAgentsTests", dependencies: ["EpisodicAgents", "Agents", "GridWorld", "ScenarioFiles", "Engine", "Fun", "NeuralCore",
                                                            "Measurements", "TestSupport"]),
        .testTarget(name: "MetaAgentsTests", dependencies: ["MetaAgents", "MetaRL", "Checksum", "Records", "Plots", "ScenarioFiles", "Engine", "Statistics", "Tapes", "TestSupport"]),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "Agents", "Engine", "MetaRL", "MetaAgents", "GridWorld", "Statistics", "ScenarioFiles", "Fun", "TestSupport"]),
        .testTarget(name: "StatisticsTests", dependencies: ["Statistics"]),
        .testTarget(name: "RecordsTests", dependencies: ["Records", "TestSupport"]),
        .testTarget(name: "TapesTests", dependencies: ["TestSupport", "Clocks", "TapeCodec", "Tapes", "Checksum", "GridWorld", "ScenarioFiles", "Agents", "Fun", "Engine"],
                    exclude: ["Fixtures"]),
        // Golden screens of every panel, mode and the help, the key map, the reducers and the driver: no ncurses.
        .testTarget(name: "ViewsTests", dependencies: ["TestSupport", "Clocks", "Views", "Terminal", "Engine", "GridWorld", "Agents", "Fun",
                                                       "ScenarioFiles", "Tapes"]),
        // The pure terminal core: screens, drawing, colours, themes, diffing, pacing. No ncurses.
        .testTarget(name: "TerminalTests", dependencies: ["Terminal", "TestSupport"]),
        // The ncurses backend's facts that need the C library: glyph widths as wcwidth gives them.
        .testTarget(name: "TerminalNCursesTests", dependencies: ["Terminal", "TerminalNCurses", "TestSupport"]),
        // The built programs, end to end: playgrid and playgrid-termcheck in tmux, playgrid's tape commands.
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport", "PlayGridCLI", "playgrid-termcheck"]),
        // The C ABI called as C would call it: sizes, handles, actions and files gone wrong, tapes that verify.
        .testTarget(name: "PlayGridCTests", dependencies: ["PlayGridC", "Tapes", "GridWorld", "ScenarioFiles", "Fun", "Engine", "Agents", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
