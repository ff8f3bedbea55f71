import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraLanguageModel
@testable import AgoraModels
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

/// Paths the tests read: the repository root and its `Validation/` data.
enum TestSupport {
  static let repositoryRoot: URL = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url
  }()

  /// A file of the repository's `Validation/` folder (published numbers with their sources).
  static func validation(_ name: String) -> String {
    repositoryRoot.appendingPathComponent("Validation").appendingPathComponent(name).path
  }
}

extension TestSupport {
  /// A numeric summary value of a run (NaN, and a recorded issue, when the column is missing or not a number).
  static func number(_ result: RunResult, _ column: String) -> Double {
    if case .double(let v)? = result[column] { return v }
    if case .int(let v)? = result[column] { return Double(v) }
    Issue.record("no numeric column \(column)")
    return .nan
  }

  /// Runs `Scenarios/<file>` with `output.events` on and `overrides` into a temporary folder, and reads its events.csv,
  /// (returned with the folder), whose header must be the standard columns then `M`'s declared ``Model/eventColumns``, with its data dictionary
  /// beside it.
  static func events<M: Model>(_ model: M.Type, _ file: String, _ overrides: [String]) throws -> (
    result: RunResult, events: CSVTable, folder: String
  ) {
    let spec = try ScenarioLoader.load(
      file: repositoryRoot.path + "/Scenarios/" + file, overrides: ["output.events=true"] + overrides)
    let folder = temporaryDirectory()
    let (result, files) = try RunFolder.execute(spec, into: folder, report: false)
    #expect(files.contains("events.csv") && files.contains(DataDictionary.fileName(for: "events.csv")))
    let events = try CSVTable(contentsOf: folder + "/events.csv")
    #expect(events.columns == StandardColumns.eventTable(M.eventColumns).map(\.name))
    #expect(!events.rows.isEmpty)
    return (result, events, folder)
  }

  /// Loads a scenario from YAML text with `overrides` and runs it.
  static func run(_ yaml: String, _ overrides: [String] = []) throws -> RunResult {
    try Experiment.run(ScenarioLoader.load(yaml: yaml, overrides: overrides))
  }

  /// A scenario built in Swift from a model's typed parameters rather than read from YAML: `M` under `matching` (the
  /// model's default when nil), over `size` agents in `segments`, checked as the loader checks a scenario's bounds.
  static func scenario<M: Model>(
    _ model: M.Type, _ parameters: M.Parameters, size: Int, segments: [SegmentSpec], matching: MatchingType? = nil,
    seed: UInt64 = 1
  ) throws -> ScenarioSpec {
    BuiltInModels.register()
    var spec = ScenarioSpec(
      name: "scenario", game: GameSpec(type: M.type, parameters: parameters),
      population: PopulationSpec(size: size, segments: segments))
    spec.seed = seed
    spec.matching.type = matching ?? M.matchings[0]
    try spec.checkBounds()
    return spec
  }

  /// A segment's preferences with each named dimension fixed at its value (as `preferences: {envy: 1}` reads).
  static func preferences(_ values: [Preference: Double]) -> PreferenceDistributions {
    PreferenceDistributions(
      marginals: values.sorted { $0.key.rawValue < $1.key.rawValue }.map {
        ($0.key, ClampedDistribution(distribution: .constant($0.value)))
      })
  }

  /// A new empty folder under the system's temporary directory.
  static func temporaryDirectory() -> String {
    let path = NSTemporaryDirectory() + "agora-test-" + UUID().uuidString
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  /// A file's bytes (empty when it does not exist).
  static func bytes(_ path: String) -> Data { FileManager.default.contents(atPath: path) ?? Data() }

  /// The `agora` executable of this build (built by `swift test` with the test target).
  static var agoraExecutable: String {
    let bundle = Bundle.main.bundleURL.deletingLastPathComponent()
    for candidate in [bundle, bundle.deletingLastPathComponent()] {
      let path = candidate.appendingPathComponent("agora").path
      if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return repositoryRoot.appendingPathComponent(".build/debug/agora").path
  }

  /// Runs `agora` with `arguments` in the repository root; returns the exit status and what it printed.
  @discardableResult
  static func agora(_ arguments: [String]) throws -> (status: Int32, output: String) {
    try run([agoraExecutable] + arguments)
  }

  /// Runs a program (a path, or a name on the PATH) in the repository root; returns its status and output.
  @discardableResult
  static func run(_ command: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: command[0].hasPrefix("/") ? command[0] : "/usr/bin/env")
    process.arguments = command[0].hasPrefix("/") ? Array(command.dropFirst()) : command
    process.currentDirectoryURL = repositoryRoot
    if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  /// Renders `html` in headless Chromium (`browser`) to the PNG `shot` and checks that it rendered: exit 0, no
  /// console errors, and a screenshot that is not blank (`.ci/check-screenshot.py`).
  static func screenshot(_ html: String, browser: String, to shot: String) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
      browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--enable-logging=stderr",
      "--v=0", "--window-size=1400,3000", "--screenshot=\(shot)", URL(fileURLWithPath: html).absoluteString,
    ]
    let pipe = Pipe()
    process.standardError = pipe
    process.standardOutput = pipe
    try process.run()
    let log = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(log)")
    let consoleErrors = log.split(separator: "\n").filter { $0.contains("CONSOLE") || $0.contains("Uncaught") }
    #expect(consoleErrors.isEmpty, "console: \(consoleErrors)")
    let check = try run(["python3", repositoryRoot.path + "/.ci/check-screenshot.py", shot])
    #expect(check.status == 0, "\(check.output)")
  }
}

extension TestSupport {
  /// `Validation/stake_targets.csv`'s rows for `game` (a recorded issue when there are none).
  static func stakeTargets(_ game: String) throws -> [ValidationTarget] {
    let rows = try ValidationTarget.load(validation("stake_targets.csv")).filter { $0.game == game }
    if rows.isEmpty { Issue.record("no stake targets for \(game)") }
    return rows
  }

  /// The human preset's one-shot `game` (ultimatum or dictator) at `stake`, on a grid of 1% of the stake, fixed
  /// roles, 40,000 agents: the validation recipes' design at any stake.
  static func humanOneShot(_ game: String, stake: Double) throws -> RunResult {
    let spec = try ScenarioLoader.load(
      yaml: """
        game: {type: \(game), stake: \(stake), offer_grid: 0.01, rounds: 1, roles: fixed}
        output: {agents: false, steps: false}
        population: {preset: human, size: 40000}
        """)
    return try Experiment.run(spec)
  }
}
