import AgoraCore
import AgoraOutput
import AgoraScenario
import Foundation

/// A sweep expanded into runs: the scenario text, the fixed overrides, the design points and the seeds.
///
/// Run `i` is design point `i / repetitions`, repetition `i % repetitions`; its seed derives from the sweep seed and
/// `i` (DESIGN.md §3) and is below 2^53, so any run can be re-run alone and the `seed` column reads exactly as an
/// int64 or a float64. The plan is stored as `sweep.json` in the sweep's folder; a sweep resumes only into a folder
/// whose plan is the same.
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
  /// How many bits run seeds have: ``runSeedBits`` for plans made now; 64 for a `sweep.json` written before run
  /// seeds were kept below 2^53 (it has no `seed_bits`), so that its runs still re-run with the seeds they had.
  public var seedBits: Int

  /// The column type of each swept parameter (not stored: derived from the model's declarations).
  public private(set) var fieldTypes: [ColumnType] = []

  /// The bits of the run seeds of new plans: below 2^53, every seed is exact in int64 and float64 readers.
  public static let runSeedBits = 53

  enum CodingKeys: String, CodingKey {
    case agoraVersion = "agora_version", name, scenarioFile = "scenario_file", scenarioYAML = "scenario_yaml"
    case overrides, seed, seedBits = "seed_bits", design, samples, repetitions, parameters, metrics, keep, points
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
    public var fields: [(String, Cell)]

    public static func == (a: Run, b: Run) -> Bool {
      a.index == b.index && a.seed == b.seed && a.overrides == b.overrides
    }
  }

  /// Run number `index` (0-based).
  public func run(_ index: Int) -> Run {
    precondition((0..<runCount).contains(index), "run index \(index) outside 0..<\(runCount)")
    let point = index / repetitions
    let seed = SweepPlan.runSeed(sweepSeed: self.seed, runIndex: index, bits: seedBits)
    let values = points[point]
    var fields: [(String, Cell)] = [
      ("run_index", .int(index)), ("seed", .string(String(seed))), ("point", .int(point)),
      ("repetition", .int(index % repetitions)),
    ]
    fields += zip(zip(parameters, values), fieldTypes).map { ($0.0.name, SweepPlan.cell($0.1, as: $1)) }
    return Run(
      index: index, point: point, repetition: index % repetitions, seed: seed,
      overrides: overrides + zip(parameters, values).map { "\($0.key)=\($1)" }, fields: fields)
  }

  /// The seed of run `runIndex` of a sweep with seed `sweepSeed`. With 53 bits (plans made now): a bijective mix
  /// (``SeedSequence/mix53(_:)``) of the run index offset by a key drawn from the sweep seed, so the runs of one
  /// sweep never share a seed and every seed is below 2^53. With 64 bits (earlier plans): the SplitMix64 seed of
  /// `(sweep seed, run index)`.
  public static func runSeed(sweepSeed: UInt64, runIndex: Int, bits: Int = runSeedBits) -> UInt64 {
    precondition(bits == runSeedBits || bits == 64, "run seeds have \(runSeedBits) or 64 bits, not \(bits)")
    guard bits == runSeedBits else {
      return SeedSequence(master: sweepSeed, runIndex: UInt64(runIndex)).seed(for: .run)
    }
    let key = SeedSequence(master: sweepSeed).seed(for: .run)
    return SeedSequence.mix53(UInt64(runIndex) &+ key)
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
    seedBits = SweepPlan.runSeedBits
    design = spec.design
    samples = spec.samples
    repetitions = spec.repetitions
    parameters = spec.parameters
    metrics = spec.metrics
    keep = spec.keep
    if let model = ModelRegistry.model(base.game.type) {
      keep = keep.expanded(events: model.logsEvents, tables: model.tables)
      let type = model.type.rawValue
      if keep.events && !model.logsEvents {
        let withEvents = ModelRegistry.models.filter(\.logsEvents).map(\.type.rawValue).joined(separator: ", ")
        throw ScenarioIssue(path: "keep.events", message: "\(type) logs no events (these do: \(withEvents))")
      }
      for table in keep.tables where !model.tables.contains(table) {
        let own = model.tables.isEmpty ? "" : ", or \(type)'s own: " + model.tables.joined(separator: ", ")
        throw ScenarioIssue(
          path: "keep", value: table, message: "is not a table of \(type): keep steps, segments, agents, events\(own)")
      }
    }
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
    let model = ModelRegistry.model(base.game.type)
    fieldTypes = parameters.map { SweepPlan.columnType(of: $0, model: model) }
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

  /// Decodes a stored `sweep.json`; one without `seed_bits` was written before run seeds were kept below 2^53 and
  /// keeps its 64-bit run seeds.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    agoraVersion = try c.decode(String.self, forKey: .agoraVersion)
    name = try c.decode(String.self, forKey: .name)
    scenarioFile = try c.decode(String.self, forKey: .scenarioFile)
    scenarioYAML = try c.decode(String.self, forKey: .scenarioYAML)
    overrides = try c.decode([String].self, forKey: .overrides)
    seed = try c.decode(UInt64.self, forKey: .seed)
    seedBits = try c.decodeIfPresent(Int.self, forKey: .seedBits) ?? 64
    guard [SweepPlan.runSeedBits, 64].contains(seedBits) else {
      throw DecodingError.dataCorruptedError(
        forKey: .seedBits, in: c, debugDescription: "seed_bits is \(seedBits); expected \(SweepPlan.runSeedBits) or 64")
    }
    design = try c.decode(SweepDesign.self, forKey: .design)
    samples = try c.decode(Int.self, forKey: .samples)
    repetitions = try c.decode(Int.self, forKey: .repetitions)
    parameters = try c.decode([SweepParameter].self, forKey: .parameters)
    metrics = try c.decodeIfPresent([String].self, forKey: .metrics)
    keep = try c.decode(SweepKeep.self, forKey: .keep)
    points = try c.decode([[String]].self, forKey: .points)
    let model = baseModel()?.model
    fieldTypes = parameters.map { SweepPlan.columnType(of: $0, model: model) }
  }

  /// The scenario of run `index`, decoded with its overrides and seed.
  public func spec(ofRun index: Int, template: ScenarioTemplate) throws(ScenarioIssue) -> ScenarioSpec {
    let run = run(index)
    // A swept value is named as the sweep's parameter in an error, not as a `--set` the user never typed.
    let labels =
      overrides.map { "--set \($0)" }
      + parameters.indices.map { "swept parameter \(parameters[$0].key) = \(points[run.point][$0])" }
    return try template.spec(overrides: run.overrides, labels: labels, seed: run.seed)
  }

  /// The scenario template of the plan's stored YAML text.
  public func template() throws(ScenarioIssue) -> ScenarioTemplate {
    try ScenarioTemplate(
      yaml: scenarioYAML, source: scenarioFile, defaultName: ScenarioLoader.defaultName(for: scenarioFile))
  }
}
