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
    // The decoder's exponential in C: 4-wide with AVX2 and FMA where the processor has them, the same bits on the
    // portable path.
    .target(name: "CAgoraMath"),
    // The engine: random streams (GSL), the scheduler, agents and the decoder, metrics, scenario values, records,
    // the model protocol with its registry and the run's prologue. No YAML, no crypto, no networking.
    .target(
      name: "AgoraCore",
      dependencies: [
        "CGSL", "CAgoraMath",
        .product(name: "HeapModule", package: "swift-collections"),
        .product(name: "DequeModule", package: "swift-collections"),
      ]
    ),
    // The built-in models: the division and match game families with their games, and the civilization worlds.
    .target(
      name: "AgoraModels",
      dependencies: [
        "AgoraCore", "CGSL", .product(name: "HeapModule", package: "swift-collections"),
        .product(name: "DequeModule", package: "swift-collections"),
      ]
    ),
    // Scenario files: YAML reading with its limits, `--set` overrides, templates, population presets.
    .target(name: "AgoraScenario", dependencies: ["AgoraCore", "AgoraModels", "Yams"]),
    // The language-model client: prompts, an OpenAI-compatible HTTP client, the hashed response cache, batches in
    // passes; it implements the core's ExternalDeciders.
    .target(
      name: "AgoraLanguageModel",
      dependencies: ["AgoraCore", "Yams", .product(name: "Crypto", package: "swift-crypto")]
    ),
    // Outputs (CSV files, run folders, manifests) and analysis (summaries, regressions, charts, reports).
    .target(name: "AgoraOutput", dependencies: ["AgoraCore", "AgoraModels", "AgoraLanguageModel", "CGSL"]),
    // Sweeps: plans, shards, journals, folder locks, Slurm jobs, merges.
    .target(name: "AgoraSweep", dependencies: ["AgoraCore", "AgoraScenario", "AgoraOutput", "AgoraLanguageModel"]),
    // The library users import: validation and calibration on top, and every layer below re-exported.
    .target(
      name: "Agora",
      dependencies: ["AgoraCore", "AgoraModels", "AgoraScenario", "AgoraLanguageModel", "AgoraOutput", "AgoraSweep"]
    ),
    .target(
      name: "AgoraCLI",
      dependencies: ["Agora", .product(name: "ArgumentParser", package: "swift-argument-parser")]
    ),
    .executableTarget(name: "agora", dependencies: ["AgoraCLI"]),
    .executableTarget(name: "AgoraBench", dependencies: ["Agora"], path: "bench/AgoraBench"),
    .testTarget(
      name: "AgoraTests",
      dependencies: [
        "Agora", "AgoraCore", "AgoraModels", "AgoraScenario", "AgoraLanguageModel", "AgoraOutput", "AgoraSweep",
        .product(name: "Crypto", package: "swift-crypto"), "Yams", "CAgoraMath",
      ],
      exclude: ["Golden/digests.txt"]),
  ]
)
