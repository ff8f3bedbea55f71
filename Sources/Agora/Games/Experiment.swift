import Foundation

/// Everything one run produced, ready to be written as CSV.
public struct RunResult: Sendable {
  /// The single summary row, by column.
  public var summary: [(String, CSVField)]
  public var stepColumns: [String]
  public var stepRows: [[CSVField]]
  public var segmentColumns: [String]
  public var segmentRows: [[CSVField]]
  public var population: Population
  public var payoffs: [Double]
  public var interactions: [Int32]
  /// Seconds spent simulating (not writing).
  public var seconds: Double

  /// A summary value by column name.
  public subscript(_ column: String) -> CSVField? { summary.first { $0.0 == column }?.1 }
}

/// Runs a resolved scenario: samples the population, plays the game on the scheduler and computes the metrics.
public enum Experiment {
  /// The engine version, written into every manifest.
  public static let version = "0.1.0"

  /// Runs `spec`; `runIndex` labels its rows (the random streams derive from `spec.seed` alone, so any run of a
  /// sweep can be reproduced from its seed). `events` receives every interaction when given.
  public static func run(
    _ spec: ScenarioSpec, runIndex: Int = 0, events: InteractionSink? = nil,
    progress: ((Double) -> Void)? = nil
  ) throws -> RunResult {
    switch spec.game.type {
    case .ultimatum: return try run(Ultimatum(spec: spec.game), spec, runIndex, events, progress)
    case .dictator: return try run(Dictator(spec: spec.game), spec, runIndex, events, progress)
    }
  }

  static func run<G: DivisionGame>(
    _ game: G, _ spec: ScenarioSpec, _ runIndex: Int, _ events: InteractionSink?,
    _ progress: ((Double) -> Void)?
  ) throws -> RunResult {
    let start = DispatchTime.now().uptimeNanoseconds
    let seeds = SeedSequence(master: spec.seed)
    let population = Population(spec: spec.population, seeds: seeds, generator: spec.generator)
    var run = DivisionRun(game: game, scenario: spec, population: population, seeds: seeds)
    try run.run(events: events, progress: progress)
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return try result(of: run, spec: spec, runIndex: runIndex, seconds: seconds)
  }

  static func result<G: DivisionGame>(of run: DivisionRun<G>, spec: ScenarioSpec, runIndex: Int, seconds: Double) throws
    -> RunResult
  {
    let ids: [(String, CSVField)] = [("run_index", .int(runIndex)), ("seed", .string(String(spec.seed)))]
    let n = run.population.count
    let payoffs = run.payoffs
    var summary: [(String, CSVField)] = [("run_id", .string("\(spec.name)/seed-\(spec.seed)"))] + ids
    summary += [
      ("scenario", .string(spec.name)), ("game", .string(spec.game.type.rawValue)),
      ("matching", .string(spec.matching.type.rawValue)), ("roles", .string(spec.game.roles.rawValue)),
      ("population_size", .int(n)), ("stake", .double(spec.game.stake)), ("offer_step", .double(spec.game.offerStep)),
      ("rounds", .int(spec.game.rounds)),
    ]
    let totalPayoff = payoffs.reduce(0, +)
    summary += [
      ("interactions", .int(run.total.interactions)), ("efficiency", .double(run.total.efficiency)),
      ("mean_payoff", .double(totalPayoff / Double(n))), ("total_payoff", .double(totalPayoff)),
    ]
    summary += run.game.rates(run.total).map { ($0.0, .double($0.1)) }
    summary += try Inequality.all(payoffs).map { ($0.0, .double($0.1)) }

    var segmentRows: [[CSVField]] = []
    let dims = Preference.allCases
    for (s, segment) in run.population.segments.enumerated() {
      let range = run.population.ranges[s]
      let own = Array(payoffs[range])
      let mean = own.isEmpty ? Double.nan : own.reduce(0, +) / Double(own.count)
      let key = segment.name.snakeCased
      summary.append(("mean_payoff_\(key)", .double(mean)))
      let asProposer = run.game.rates(run.byProposerSegment[s])
      for (name, value) in asProposer { summary.append(("\(name)_\(key)", .double(value))) }
      if run.game.responderDecides {
        summary.append(("acceptance_rate_as_responder_\(key)", .double(run.byResponderSegment[s].acceptanceRate)))
      }
      var row: [CSVField] = ids.map(\.1) + [.string(segment.name), .int(range.count), .double(segment.share)]
      row += [.double(mean), .double(own.isEmpty ? .nan : try Inequality.gini(own))]
      row += asProposer.map { .double($0.1) }
      row.append(.double(run.byProposerSegment[s].efficiency))
      if run.game.responderDecides { row.append(.double(run.byResponderSegment[s].acceptanceRate)) }
      for d in dims {
        let column = run.population[d]
        row.append(.double(range.isEmpty ? .nan : column[range].reduce(0, +) / Double(range.count)))
      }
      segmentRows.append(row)
    }
    var segmentColumns = ["run_index", "seed", "segment", "agents", "share", "mean_payoff", "gini"]
    segmentColumns += run.game.rates(run.total).map(\.0)
    segmentColumns.append("efficiency")
    if run.game.responderDecides { segmentColumns.append("acceptance_rate_as_responder") }
    segmentColumns += dims.map { "mean_\($0.name)" }

    var stepRows: [[CSVField]] = []
    for step in run.steps {
      var row: [CSVField] = ids.map(\.1) + [.int(step.step), .double(step.time), .int(step.tally.interactions)]
      row += run.game.rates(step.tally).map { .double($0.1) }
      row += [.double(step.tally.efficiency), .double(step.meanPayoff), .double(step.gini)]
      stepRows.append(row)
    }
    var stepColumns = ["run_index", "seed", "step", "time", "interactions"]
    stepColumns += run.game.rates(run.total).map(\.0)
    stepColumns += ["efficiency", "mean_payoff", "gini"]

    return RunResult(
      summary: summary, stepColumns: stepColumns, stepRows: stepRows, segmentColumns: segmentColumns,
      segmentRows: segmentRows, population: run.population, payoffs: payoffs, interactions: run.interactions,
      seconds: seconds)
  }

  /// A conservative estimate of the memory a run of `spec` needs, in bytes: the agent table (preference columns,
  /// segment, payoff, interaction count, role), the context windows, and the pairing and sorting buffers.
  public static func estimatedBytes(_ spec: ScenarioSpec) -> Int {
    let n = spec.population.size
    let window = spec.population.segments.map(\.memory.window).max() ?? 0
    let perAgent = Preference.allCases.count * 8 * 2 + 4 + 8 + 4 + 1 + 1 + window * 2 + 4 + 16 + 8 * 2
    return n * perAgent + (1 << 24)
  }
}
