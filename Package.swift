// swift-tools-version: 6.0
import PackageDescription

let package = Package(
  name: "Agora",
  products: [
    // The engine: models, scenarios, outputs, sweeps, analysis.
    .library(name: "Agora", targets: ["Agora"]),
    // The command line's commands, for a package that registers its own models and ships the same CLI.
    .library(name: "AgoraCLI", targets: ["AgoraCLI"]),
    .executable(name: "agora", targets: ["agora"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
  ],
  targets: [
    .systemLibrary(name: "CGSL", path: "Sources/CGSL"),
    // The engine: random streams (GSL), the scheduler, agents and the decoder, metrics, scenario values, the model
    // protocol with its registry, and the built-in games and worlds. No YAML, no crypto, no networking.
    .target(
      name: "AgoraCore",
      dependencies: [
        "CGSL",
        .product(name: "HeapModule", package: "swift-collections"),
        .product(name: "DequeModule", package: "swift-collections"),
      ]
    ),
    // On top of the engine: scenario files (YAML), the language-model client (HTTP, a hashed response cache),
    // outputs and reports, analysis, sweeps and validation. Re-exports AgoraCore.
    .target(
      name: "Agora",
      dependencies: ["AgoraCore", "Yams", .product(name: "Crypto", package: "swift-crypto")]
    ),
    .target(
      name: "AgoraCLI",
      dependencies: ["Agora", .product(name: "ArgumentParser", package: "swift-argument-parser")]
    ),
    .executableTarget(name: "agora", dependencies: ["AgoraCLI"]),
    .executableTarget(name: "AgoraBench", dependencies: ["Agora"], path: "bench/AgoraBench"),
    .testTarget(
      name: "AgoraTests",
      dependencies: ["Agora", "AgoraCore", .product(name: "Crypto", package: "swift-crypto"), "Yams"],
      exclude: ["Golden/digests.txt"]),
  ]
)
