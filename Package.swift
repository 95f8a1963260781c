// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "PlayGrid",
    products: [
        .library(name: "Terminal", targets: ["Terminal"]),
        .executable(name: "playgrid-termcheck", targets: ["playgrid-termcheck"]),
    ],
    targets: [
        // The one place where ncurses macros and mutable globals are wrapped for Swift.
        .target(
            name: "CNCursesShim",
            linkerSettings: [.linkedLibrary("ncursesw")]
        ),
        // Screen model, themes, input mapping, pacing (pure) plus the live ncurses and recording backends.
        .target(
            name: "Terminal",
            dependencies: ["CNCursesShim"]
        ),
        // Diagnostic: draws the theme's glyphs and colours and echoes keys, to check a terminal.
        .executableTarget(
            name: "playgrid-termcheck",
            dependencies: ["Terminal"]
        ),
        // tmux driver shared by end-to-end tests of terminal programs.
        .target(
            name: "TerminalTestSupport",
            path: "Tests/Support"
        ),
        .testTarget(
            name: "TerminalTests",
            dependencies: ["Terminal", "TerminalTestSupport", "playgrid-termcheck"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
