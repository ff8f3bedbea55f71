// swift-tools-version: 6.0
// A game defined outside Agora: the stag hunt, in one file, registered with Agora's model registry and run by
// Agora's own command line (run, sweep, analyze, plot, report) from a YAML file. See docs/extending.md.
import PackageDescription

let package = Package(
  name: "CustomGame",
  dependencies: [.package(name: "Agora", path: "../..")],
  targets: [
    // The game: its parameters, its play, its metrics (one file).
    .target(name: "StagHunt", dependencies: [.product(name: "Agora", package: "Agora")]),
    // `agora` with the stag hunt registered: every subcommand of Agora's CLI.
    .executableTarget(
      name: "stag-agora", dependencies: ["StagHunt", .product(name: "AgoraCLI", package: "Agora")]),
    .testTarget(name: "StagHuntTests", dependencies: ["StagHunt", .product(name: "Agora", package: "Agora")]),
  ]
)
