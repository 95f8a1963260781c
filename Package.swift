// swift-tools-version: 6.1
import PackageDescription

/// Vector width for the hot matrix kernels. On x86-64 the default code generation stops at SSE2, which leaves the
/// GEMM micro-kernels at a quarter of the machine's speed; x86-64-v3 (AVX2 + FMA, every x86 server since 2015)
/// is the portable floor that the kernels are tuned for (`haswell` names that level to the compiler).
#if arch(x86_64)
let vectorSettings: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
#else
let vectorSettings: [SwiftSetting] = []
#endif

/// The numeric modules are optimised in debug builds too: unoptimised SIMD code runs ~100× slower, which
/// would make the meta-learning test take minutes instead of seconds. Tests still build with testability.
let kernelSettings: [SwiftSetting] = vectorSettings + [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "PlayGrid",
    products: [
        .library(name: "NeuralCore", targets: ["NeuralCore"]),
        .library(name: "MetaRL", targets: ["MetaRL"]),
        .executable(name: "neural-bench", targets: ["neural-bench"]),
    ],
    targets: [
        .target(name: "NeuralCore", swiftSettings: kernelSettings),
        .target(name: "MetaRL", dependencies: ["NeuralCore"], swiftSettings: kernelSettings),
        .executableTarget(name: "neural-bench", dependencies: ["MetaRL"], swiftSettings: kernelSettings),
        .testTarget(name: "NeuralCoreTests", dependencies: ["NeuralCore"]),
        .testTarget(name: "MetaRLTests", dependencies: ["MetaRL"]),
    ],
    swiftLanguageModes: [.v6]
)
