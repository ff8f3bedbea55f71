import AgoraCore
import AgoraOutput
import AgoraScenario
import Foundation

/// A sweep expanded into runs: the scenario text, the fixed overrides, the design points and the seeds.
///
/// Run `i` is design point `i / repetitions`, repetition `i % repetitions`; its seed derives from the sweep seed and
/// `i` (DESIGN.md §3), so any run can be re-run alone. The plan is stored as `sweep.json` in the sweep's folder; a
/// sweep resumes only into a folder whose plan is the same.
public struct SweepPlan: Sendable, Equatable, Codable {
  /// The engine version that made the plan.
  public var agoraVersion: String
  /// The sweep's name.
  public var name: String
  /// The scenario file as given.
  public var scenarioFile: String
  /// The scenario's YAML text at the time the sweep started.
  public var scenarioYAML: String
  /// Fixed overrides applied to every run, before the swept values.
  public var overrides: [String]
  /// The sweep seed.
  public var seed: UInt64
  public var design: SweepDesign
  public var samples: Int
  public var repetitions: Int
  public var parameters: [SweepParameter]
  /// The metric columns kept (`nil`: all).
  public var metrics: [String]?
  public var keep: SweepKeep
  /// The design points: one value text per parameter, in parameter order.
  public var points: [[String]]

  enum CodingKeys: String, CodingKey {
    case agoraVersion = "agora_version", name, scenarioFile = "scenario_file", scenarioYAML = "scenario_yaml"
    case overrides, seed, design, samples, repetitions, parameters, metrics, keep, points
  }

  /// The number of runs.
  public var runCount: Int { points.count * repetitions }

  /// One run of the plan.
  public struct Run: Sendable, Equatable {
    public var index: Int
    public var point: Int
    public var repetition: Int
    public var seed: UInt64
    /// The fixed overrides followed by this run's swept values.
    public var overrides: [String]
    /// The columns that identify the run in `summary.csv`: run index, seed, point, repetition, swept values.
    public var fields: [(String, CSVField)]

    public static func == (a: Run, b: Run) -> Bool {
      a.index == b.index && a.seed == b.seed && a.overrides == b.overrides
    }
  }

  /// Run number `index` (0-based).
  public func run(_ index: Int) -> Run {
    precondition((0..<runCount).contains(index), "run index \(index) outside 0..<\(runCount)")
    let point = index / repetitions
    let seed = SweepPlan.runSeed(sweepSeed: self.seed, runIndex: index)
    let values = points[point]
    var fields: [(String, CSVField)] = [
      ("run_index", .int(index)), ("seed", .string(String(seed))), ("point", .int(point)),
      ("repetition", .int(index % repetitions)),
    ]
    fields += zip(parameters, values).map { ($0.name, .string($1)) }
    return Run(
      index: index, point: point, repetition: index % repetitions, seed: seed,
      overrides: overrides + zip(parameters, values).map { "\($0.key)=\($1)" }, fields: fields)
  }

  /// The seed of run `runIndex` of a sweep with seed `sweepSeed`.
  public static func runSeed(sweepSeed: UInt64, runIndex: Int) -> UInt64 {
    SeedSequence(master: sweepSeed, runIndex: UInt64(runIndex)).seed(for: .run)
  }

  /// Expands `spec` over the scenario `template`: grid axes form a full factorial (the last parameter varies
  /// fastest); range parameters are sampled `samples` times (random or Latin hypercube, drawn with GSL from the
  /// sweep seed) and crossed with the grid.
  public init(_ spec: SweepSpec, template: ScenarioTemplate) throws(ScenarioIssue) {
    let base = try template.spec(overrides: spec.overrides)
    agoraVersion = Experiment.version
    name = spec.name ?? "\(base.name)-sweep"
    scenarioFile = template.source
    scenarioYAML = template.yaml
    overrides = spec.overrides
    seed = spec.seed ?? base.seed
    design = spec.design
    samples = spec.samples
    repetitions = spec.repetitions
    parameters = spec.parameters
    metrics = spec.metrics
    keep = spec.keep
    let parameters = spec.parameters, design = spec.design, samples = spec.samples, seed = self.seed
    let names = parameters.map(\.name)
    if let twice = names.first(where: { n in names.filter { $0 == n }.count > 1 }) {
      throw ScenarioIssue(path: "parameters", value: twice, message: "two parameters have this column name; name one")
    }
    let reserved = ["run_index", "seed", "point", "repetition"]
    if let clash = names.first(where: reserved.contains) {
      throw ScenarioIssue(
        path: "parameters", value: clash, message: "is a reserved column name (\(reserved.joined(separator: ", ")))")
    }
    let ranges = parameters.indices.filter { parameters[$0].isRange }
    if design == .grid, let r = ranges.first {
      throw ScenarioIssue(
        path: "parameters.\(parameters[r].key)", message: "is a range, which needs design: random or lhs")
    }
    if design != .grid {
      guard !ranges.isEmpty else {
        throw ScenarioIssue(path: "design", value: design.rawValue, message: "needs at least one {min, max} range")
      }
      guard samples >= 1 else {
        throw ScenarioIssue(path: "samples", message: "a \(design.rawValue) design needs samples >= 1")
      }
    }
    let axes = parameters.map { p -> [String] in
      if case .values(let v) = p.domain { return v }
      return [""]
    }
    // Checked arithmetic: the run count is refused before anything of its size is made.
    var runs = design == .grid ? 1 : samples
    for factor in axes.map(\.count) + [spec.repetitions] {
      let (product, overflow) = runs.multipliedReportingOverflow(by: factor)
      guard !overflow, product <= SweepPlan.maximumRuns else {
        throw ScenarioIssue(
          path: "parameters",
          value: axes.map { String($0.count) }.joined(separator: " x ")
            + (design == .grid ? "" : " x \(samples) samples") + " x \(spec.repetitions) repetitions",
          message: "more than \(SweepPlan.maximumRuns) runs; split the sweep")
      }
      runs = product
    }
    let grid = SweepPlan.factorial(axes)
    var sampled: [[Double]] = [[]]
    if design != .grid {
      let stream = SeedSequence(master: seed).stream(for: .design)
      sampled =
        design == .lhs
        ? SweepPlan.latinHypercube(samples: samples, dimensions: ranges.count, stream: stream)
        : (0..<samples).map { _ in ranges.map { _ in stream.uniform() } }
    }
    let count = grid.count * sampled.count
    var points: [[String]] = []
    points.reserveCapacity(count)
    for g in grid {
      for u in sampled {
        var values = g
        for (k, r) in ranges.enumerated() { values[r] = parameters[r].value(at: u[k]) }
        points.append(values)
      }
    }
    self.points = points
  }

  /// The most runs one sweep may have (run indices, seeds and part files stay well inside their integer types).
  public static let maximumRuns = 100_000_000

  /// The full factorial of `axes`, the last axis varying fastest.
  static func factorial(_ axes: [[String]]) -> [[String]] {
    axes.reduce([[]]) { partial, axis in partial.flatMap { prefix in axis.map { prefix + [$0] } } }
  }

  /// `samples` points of a Latin hypercube in [0, 1)^dimensions: in each dimension, each of the `samples` equal
  /// strata holds exactly one point, placed uniformly within it; strata are matched by independent permutations.
  public static func latinHypercube(samples: Int, dimensions: Int, stream: RandomStream) -> [[Double]] {
    var points = [[Double]](repeating: [Double](repeating: 0, count: dimensions), count: samples)
    for d in 0..<dimensions {
      var strata = Array(0..<samples)
      stream.shuffle(&strata)
      for i in 0..<samples { points[i][d] = (Double(strata[i]) + stream.uniform()) / Double(samples) }
    }
    return points
  }

  /// The scenario of run `index`, decoded with its overrides and seed.
  public func spec(ofRun index: Int, template: ScenarioTemplate) throws(ScenarioIssue) -> ScenarioSpec {
    let run = run(index)
    return try template.spec(overrides: run.overrides, seed: run.seed)
  }

  /// The scenario template of the plan's stored YAML text.
  public func template() throws(ScenarioIssue) -> ScenarioTemplate {
    try ScenarioTemplate(
      yaml: scenarioYAML, source: scenarioFile, defaultName: ScenarioLoader.defaultName(for: scenarioFile))
  }
}
