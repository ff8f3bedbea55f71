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
  /// The game's main metric columns, printed first after a run.
  public var headline: [String] = []
  /// The summary column that counts what the run played (interactions, matches, villages, ...).
  public var countColumn = "interactions"
  /// Further tables the run writes, as `<name>.csv` (e.g. one row per village of the commons).
  public var tables: [(name: String, columns: [String], rows: [[CSVField]])] = []
  /// What the language-model agents used, when a segment has `policy: llm`.
  public var languageModelUsage: LanguageModelUsage? = nil
  /// What they would use, after an estimate (`agora run --estimate`).
  public var languageModelEstimate: LanguageModelEstimate? = nil

  /// A summary value by column name.
  public subscript(_ column: String) -> CSVField? { summary.first { $0.0 == column }?.1 }
}

/// Runs a resolved scenario: samples the population, plays the game on the scheduler and computes the metrics.
public enum Experiment {
  /// The engine version, written into every manifest.
  public static let version = "0.1.0"

  /// Runs `spec` (synchronous ultimatum and dictator rounds on up to `threads` threads; the output is the same for
  /// any number); `runIndex` labels its rows (the random streams derive from `spec.seed` alone, so any run of a
  /// sweep can be reproduced from its seed). `events` receives every interaction when given.
  public static func run(
    _ spec: ScenarioSpec, runIndex: Int = 0, events: InteractionSink? = nil,
    progress: ((Double) -> Void)? = nil, threads: Int = 1, languageModel: LanguageModelOptions = LanguageModelOptions()
  ) throws -> RunResult {
    let lm = languageModel
    switch spec.game.type {
    case .ultimatum: return try run(Ultimatum(spec: spec.game), spec, runIndex, events, progress, threads, lm)
    case .dictator: return try run(Dictator(spec: spec.game), spec, runIndex, events, progress, threads, lm)
    case .trust: return try run(Trust(spec: spec.game), spec, runIndex, progress, lm)
    case .publicGoods:
      return try run(PublicGoods(spec: spec.game, groupSize: spec.matching.size), spec, runIndex, progress, lm)
    case .prisonersDilemma: return try run(PrisonersDilemma(spec: spec.game), spec, runIndex, progress, lm)
    case .bargaining: return try run(Bargaining(spec: spec.game), spec, runIndex, progress, lm)
    case .negotiation: return try run(Negotiation(spec: spec.game), spec, runIndex, progress, lm)
    case .persuasion: return try run(Persuasion(spec: spec.game), spec, runIndex, progress, lm)
    case .matrix: return try run(MatrixGame(spec: spec.game), spec, runIndex, progress, lm)
    case .doubleAuction: return try run(DoubleAuction(spec: spec.game), spec, runIndex, progress, lm)
    case .commons:
      let (world, start) = try simulate(CommonsRun.self, spec, progress, lm)
      return try with(world.languageModel, result(of: world, spec: spec, runIndex: runIndex, start: start))
    case .darkForest:
      let (world, start) = try simulate(DarkForestRun.self, spec, progress, lm)
      return try with(world.languageModel, result(of: world, spec: spec, runIndex: runIndex, start: start))
    case .polity:
      let (world, start) = try simulate(PolityRun.self, spec, progress, lm)
      return try with(world.languageModel, result(of: world, spec: spec, runIndex: runIndex, start: start))
    }
  }

  /// Samples the population of `spec` and runs a civilization world on it; returns the world and the start time.
  static func simulate<W: World>(
    _ type: W.Type, _ spec: ScenarioSpec, _ progress: ((Double) -> Void)?, _ options: LanguageModelOptions
  ) throws -> (W, UInt64) {
    let start = DispatchTime.now().uptimeNanoseconds
    let seeds = SeedSequence(master: spec.seed)
    let population = Population(spec: spec.population, seeds: seeds, generator: spec.generator)
    var world = W(scenario: spec, population: population, seeds: seeds)
    world.languageModel = try LanguageModelAgents.make(
      scenario: spec, population: population, seeds: seeds, options: options)
    world.run(progress: progress)
    return (world, start)
  }

  static func run<G: MatchGame>(
    _ game: G, _ spec: ScenarioSpec, _ runIndex: Int, _ progress: ((Double) -> Void)?,
    _ options: LanguageModelOptions
  ) throws -> RunResult {
    let start = DispatchTime.now().uptimeNanoseconds
    let seeds = SeedSequence(master: spec.seed)
    let population = Population(spec: spec.population, seeds: seeds, generator: spec.generator)
    let model = try LanguageModelAgents.make(scenario: spec, population: population, seeds: seeds, options: options)
    var run = MatchRun(game: game, scenario: spec, population: population, seeds: seeds, languageModel: model)
    run.run(progress: progress)
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return try with(model, try result(of: run, spec: spec, runIndex: runIndex, seconds: seconds))
  }

  static func run<G: DivisionGame>(
    _ game: G, _ spec: ScenarioSpec, _ runIndex: Int, _ events: InteractionSink?,
    _ progress: ((Double) -> Void)?, _ threads: Int, _ options: LanguageModelOptions
  ) throws -> RunResult {
    let start = DispatchTime.now().uptimeNanoseconds
    let seeds = SeedSequence(master: spec.seed)
    let population = Population(spec: spec.population, seeds: seeds, generator: spec.generator)
    var run = DivisionRun(game: game, scenario: spec, population: population, seeds: seeds)
    run.threads = threads
    run.languageModel = try LanguageModelAgents.make(
      scenario: spec, population: population, seeds: seeds, options: options)
    try run.run(events: events, progress: progress)
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return try with(run.languageModel, try result(of: run, spec: spec, runIndex: runIndex, seconds: seconds))
  }

  /// `result` with the language model's accounting: its summary columns and usage, or its estimate; throws the
  /// model's failure when it stopped the run.
  static func with(_ model: LanguageModelAgents?, _ result: RunResult) throws -> RunResult {
    guard let model else { return result }
    if let failure = model.failure { throw failure }
    var result = result
    if model.estimating {
      result.languageModelEstimate = model.estimate
    } else {
      result.summary += model.usage.summaryColumns
      result.languageModelUsage = model.usage
    }
    return result
  }

  static func result<G: DivisionGame>(of run: DivisionRun<G>, spec: ScenarioSpec, runIndex: Int, seconds: Double) throws
    -> RunResult
  {
    let ids = identifiers(spec, runIndex)
    let n = run.population.count
    let payoffs = run.payoffs
    var summary = header(spec, runIndex, n)
    summary.insert(("roles", .string(spec.game.roles.rawValue)), at: 6)
    summary.insert(
      contentsOf: [("stake", .double(spec.game.stake)), ("offer_step", .double(spec.game.offerStep))], at: 8)
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
      row += preferenceMeans(run.population, range)
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
      seconds: seconds,
      headline: run.game.responderDecides
        ? ["mean_offer", "acceptance_rate"] : ["mean_share_given", "share_giving_zero"])
  }

  /// Every inequality metric of `payoffs`, or undefined (NaN, an empty cell) for all of them when some payoff is
  /// negative (a game with losses, such as a negotiation below value), where they are not defined.
  static func inequality(_ payoffs: [Double]) -> [(String, Double)] {
    if let all = try? Inequality.all(payoffs) { return all }
    return ((try? Inequality.all([1])) ?? []).map { ($0.0, Double.nan) }
  }

  /// `run_index` and `seed`, which stand first on every row of every file.
  static func identifiers(_ spec: ScenarioSpec, _ runIndex: Int) -> [(String, CSVField)] {
    [("run_index", .int(runIndex)), ("seed", .string(String(spec.seed)))]
  }

  /// The summary columns every game shares: the run's identity, the game, the matching, the size and the rounds.
  static func header(_ spec: ScenarioSpec, _ runIndex: Int, _ n: Int) -> [(String, CSVField)] {
    [("run_id", .string("\(spec.name)/seed-\(spec.seed)"))] + identifiers(spec, runIndex) + [
      ("scenario", .string(spec.name)), ("game", .string(spec.game.type.rawValue)),
      ("matching", .string(spec.matching.type.rawValue)), ("population_size", .int(n)),
      ("rounds", .int(spec.game.rounds)),
    ]
  }

  /// The mean of every latent preference over the agents in `range`.
  static func preferenceMeans(_ population: Population, _ range: Range<Int>) -> [CSVField] {
    Preference.allCases.map { d in
      .double(range.isEmpty ? .nan : range.reduce(0.0) { $0 + population.value(d, of: $1) } / Double(range.count))
    }
  }

  static func result<G: MatchGame>(of run: MatchRun<G>, spec: ScenarioSpec, runIndex: Int, seconds: Double) throws
    -> RunResult
  {
    let ids = identifiers(spec, runIndex)
    let population = run.population
    let n = population.count
    let context = run.context
    let payoffs = context.payoffs
    let game = run.game
    var summary = header(spec, runIndex, n)
    if spec.matching.type == .groups {
      summary += [("group_size", .int(spec.matching.size)), ("partner", .int(spec.matching.partner ? 1 : 0))]
    }
    summary += game.parameterColumns
    let totalPayoff = payoffs.reduce(0, +)
    summary.append(("matches", .int(Int(context.matches.reduce(0) { $0 + Int($1) }) / run.groupSize)))
    let metrics = game.metrics(context.total)
    summary += metrics.map { ($0.0, .double($0.1)) }
    summary += [("mean_payoff", .double(totalPayoff / Double(n))), ("total_payoff", .double(totalPayoff))]
    summary += inequality(payoffs).map { ($0.0, .double($0.1)) }
    if spec.game.rounds > 1, let main = game.headline.first, let first = run.steps.first, let last = run.steps.last {
      let value = { (c: GameCounters) in game.metrics(c).first { $0.0 == main }?.1 ?? .nan }
      summary += [
        ("\(main)_round_1", .double(value(first.counters))), ("\(main)_round_last", .double(value(last.counters))),
      ]
    }
    let segments = population.segments
    var segmentRows: [[CSVField]] = []
    for (s, segment) in segments.enumerated() {
      let range = population.ranges[s]
      let own = Array(payoffs[range])
      let mean = own.isEmpty ? Double.nan : own.reduce(0, +) / Double(own.count)
      let key = segment.name.snakeCased
      let rates = game.metrics(context.bySegment[s])
      summary.append(("mean_payoff_\(key)", .double(mean)))
      for (name, value) in rates where game.headline.contains(name) {
        summary.append(("\(name)_\(key)", .double(value)))
      }
      var row: [CSVField] = ids.map(\.1) + [.string(segment.name), .int(range.count), .double(segment.share)]
      row += [.string(segment.policy.rawValue), .double(mean), .double((try? Inequality.gini(own)) ?? .nan)]
      row += rates.map { .double($0.1) }
      row += preferenceMeans(population, range)
      segmentRows.append(row)
    }
    if !game.pairMetrics.isEmpty {
      for (a, first) in segments.enumerated() {
        for (b, second) in segments.enumerated() {
          let rates = game.metrics(context.byPair[a * segments.count + b])
          for (name, value) in rates where game.pairMetrics.contains(name) {
            summary.append(("\(name)_\(first.name.snakeCased)_vs_\(second.name.snakeCased)", .double(value)))
          }
        }
      }
    }
    let metricNames = metrics.map(\.0)
    let segmentColumns =
      ["run_index", "seed", "segment", "agents", "share", "policy", "mean_payoff", "gini"] + metricNames
      + Preference.allCases.map { "mean_\($0.name)" }
    let stepColumns = ["run_index", "seed", "step", "time", "matches"] + metricNames + ["mean_payoff", "gini"]
    let stepRows: [[CSVField]] = run.steps.map { step in
      ids.map(\.1) + [.int(step.step), .double(step.time), .int(step.matches)]
        + game.metrics(step.counters).map { .double($0.1) } + [.double(step.meanPayoff), .double(step.gini)]
    }
    return RunResult(
      summary: summary, stepColumns: stepColumns, stepRows: stepRows, segmentColumns: segmentColumns,
      segmentRows: segmentRows, population: population, payoffs: payoffs, interactions: context.matches,
      seconds: seconds, headline: game.headline, countColumn: "matches")
  }

  static func result(of run: CommonsRun, spec: ScenarioSpec, runIndex: Int, start: UInt64) -> RunResult {
    let c = spec.game.commons
    let months = spec.game.rounds
    let ids = identifiers(spec, runIndex)
    let population = run.population
    let villages = run.stock.count
    let alive = run.collapsedAt.filter { $0 == nil }.count
    let perMonth = c.regrowth == .doubling ? c.capacity / 2 : c.growthRate * c.capacity / 4
    let gains = run.gains
    let totalGain = gains.reduce(0, +)
    var summary = header(spec, runIndex, population.count)
    summary += [
      ("village_size", .int(c.villageSize)), ("stock", .double(c.stock)), ("capacity", .double(c.capacity)),
      ("threshold", .double(c.threshold)), ("regrowth", .string(c.regrowth.rawValue)),
      ("max_harvest", .int(c.maxHarvest)),
      ("audit_rate", .double(c.auditRate)), ("fine", .double(c.fine)), ("migration_rate", .double(c.migrationRate)),
      ("turnover_rate", .double(c.turnoverRate)), ("drought_rate", .double(c.droughtRate)),
      ("villages", .int(villages)),
      ("survival_rate", .double(Double(alive) / Double(villages))),
      ("mean_survival_months", .double(run.total.survivalMonths / Double(villages))),
      ("share_collapsed", .double(Double(villages - alive) / Double(villages))), ("total_gain", .double(totalGain)),
      ("efficiency", .double(run.total.harvested / (Double(villages) * Double(months) * perMonth))),
      ("over_usage_rate", .double(run.total.overUsageRate)),
      ("equality", .double((try? 1 - Inequality.gini(gains.map { max(0, $0) })) ?? .nan)),
      ("mean_gain", .double(totalGain / Double(population.count))), ("fines", .double(run.total.fines)),
      ("droughts", .int(run.total.droughts)), ("departures", .int(run.total.departures)),
      ("arrivals", .int(run.total.arrivals)), ("mean_payoff", .double(totalGain / Double(population.count))),
    ]
    summary += inequality(gains).filter { $0.0 != "equality" }.map { ($0.0, .double($0.1)) }
    var segmentRows: [[CSVField]] = []
    for (s, segment) in population.segments.enumerated() {
      let range = population.ranges[s]
      let own = Array(gains[range])
      let mean = own.isEmpty ? Double.nan : own.reduce(0, +) / Double(own.count)
      summary.append(("mean_payoff_\(segment.name.snakeCased)", .double(mean)))
      summary.append(("over_usage_rate_\(segment.name.snakeCased)", .double(run.bySegment[s].overUsageRate)))
      var row: [CSVField] = ids.map(\.1) + [.string(segment.name), .int(range.count), .double(segment.share)]
      row += [.double(mean), .double((try? Inequality.gini(own)) ?? .nan), .double(run.bySegment[s].overUsageRate)]
      row += [.int(run.bySegment[s].harvests)] + preferenceMeans(population, range)
      segmentRows.append(row)
    }
    let stepRows: [[CSVField]] = run.steps.map { step in
      ids.map(\.1) + [
        .int(step.month), .double(Double(step.month)), .int(step.alive), .double(step.stock),
        .double(step.tally.harvested), .double(step.tally.overUsageRate), .double(step.quota),
        .int(step.tally.collapses), .int(step.tally.departures), .double(step.gini),
      ]
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return RunResult(
      summary: summary,
      stepColumns: [
        "run_index", "seed", "step", "time", "villages_alive", "total_stock", "harvested", "over_usage_rate",
        "mean_quota", "collapses", "departures", "gini",
      ], stepRows: stepRows,
      segmentColumns: [
        "run_index", "seed", "segment", "agents", "share", "mean_payoff", "gini", "over_usage_rate", "harvests",
      ]
        + Preference.allCases.map { "mean_\($0.name)" }, segmentRows: segmentRows, population: population,
      payoffs: gains, interactions: [Int32](repeating: Int32(months), count: population.count), seconds: seconds,
      headline: ["survival_rate", "over_usage_rate", "mean_survival_months"], countColumn: "villages",
      tables: [
        (
          "villages",
          ["run_index", "seed", "village", "members", "survived", "survival_months", "stock", "quota", "gain"],
          run.stock.indices.map { v in
            ids.map(\.1) + [
              .int(v), .int(run.villageMembers[v].count), .int(run.collapsedAt[v] == nil ? 1 : 0),
              .int(run.collapsedAt[v] ?? months), .double(run.stock[v]), .double(run.villageQuota[v]),
              .double(run.villageGains[v]),
            ]
          }
        )
      ])
  }

  static func result(of run: PolityRun, spec: ScenarioSpec, runIndex: Int, start: UInt64) -> RunResult {
    let ids = identifiers(spec, runIndex)
    let population = run.population
    let n = population.count
    let p = spec.game.polity
    let totals = run.wealth
    let equality = (try? 1 - Inequality.gini(totals.map { max(0, $0) })) ?? .nan
    let mean = run.prices.isEmpty ? Double.nan : run.prices.reduce(0, +) / Double(run.prices.count)
    let opinions = PolityRun.moments(run.opinion)
    var summary = header(spec, runIndex, n)
    summary += [
      ("households", .int(n)), ("tax_period", .int(p.taxPeriod)), ("productivity", .double(run.productivity)),
      ("equality", .double(equality)), ("equality_x_productivity", .double(equality * run.productivity)),
      ("trade_volume", .double(run.tradeVolume)), ("trades", .int(run.prices.count)), ("mean_price", .double(mean)),
      ("price_dispersion", .double(PolityRun.dispersion(run.prices))), ("opinion_variance", .double(opinions.variance)),
      ("bimodality", .double(opinions.bimodality)), ("schedule", .int(run.schedule)),
      ("top_rate", .double(p.schedules[run.schedule].last ?? .nan)), ("mean_labour", .double(run.meanLabour)),
      ("tax_revenue", .double(run.revenue)), ("mrs_crossings", .int(run.crossings)),
      ("mean_payoff", .double(totals.reduce(0, +) / Double(n))),
    ]
    summary += inequality(totals).filter { $0.0 != "equality" }.map { ($0.0, .double($0.1)) }
    var segmentRows: [[CSVField]] = []
    for (s, segment) in population.segments.enumerated() {
      let range = population.ranges[s]
      let own = Array(totals[range])
      let m = own.isEmpty ? Double.nan : own.reduce(0, +) / Double(own.count)
      let o = range.isEmpty ? Double.nan : range.reduce(0.0) { $0 + run.opinion[$1] } / Double(range.count)
      summary += [
        ("mean_payoff_\(segment.name.snakeCased)", .double(m)), ("mean_opinion_\(segment.name.snakeCased)", .double(o)),
      ]
      var row: [CSVField] = ids.map(\.1) + [.string(segment.name), .int(range.count), .double(segment.share)]
      row += [.double(m), .double((try? Inequality.gini(own.map { max(0, $0) })) ?? .nan), .double(o)]
      row += preferenceMeans(population, range)
      segmentRows.append(row)
    }
    let stepRows: [[CSVField]] = run.steps.map { t in
      ids.map(\.1) + [
        .int(t.period), .double(Double(t.period)), .double(t.income), .double(t.gini), .double(t.volume),
        .double(t.price), .double(t.dispersion), .double(t.variance), .double(t.bimodality), .int(t.schedule),
      ]
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return RunResult(
      summary: summary,
      stepColumns: [
        "run_index", "seed", "step", "time", "productivity", "gini", "trade_volume", "mean_price", "price_dispersion",
        "opinion_variance", "bimodality", "schedule",
      ], stepRows: stepRows,
      segmentColumns: ["run_index", "seed", "segment", "agents", "share", "mean_payoff", "gini", "mean_opinion"]
        + Preference.allCases.map { "mean_\($0.name)" }, segmentRows: segmentRows, population: population,
      payoffs: totals, interactions: [Int32](repeating: Int32(spec.game.rounds), count: n), seconds: seconds,
      headline: ["equality", "productivity", "price_dispersion", "opinion_variance"], countColumn: "households")
  }

  static func result(of run: DarkForestRun, spec: ScenarioSpec, runIndex: Int, start: UInt64) -> RunResult {
    let ids = identifiers(spec, runIndex)
    let population = run.population
    let n = population.count
    let c = run.counts
    let born = (0..<n).filter { run.bornAt[$0].isFinite }
    let aliveNow = born.filter { run.alive[$0] }
    func rate(_ a: Int, _ b: Int) -> Double { b > 0 ? Double(a) / Double(b) : .nan }
    let broadcasters = born.filter { run.broadcast[$0] }
    let silentOnes = born.filter { !run.broadcast[$0] }
    let pLoud = rate(broadcasters.filter { run.annihilated[$0] }.count, broadcasters.count)
    let pQuiet = rate(silentOnes.filter { run.annihilated[$0] }.count, silentOnes.count)
    let totals = run.totals()
    let living = aliveNow.map { totals[$0] }
    let d = spec.game.darkForest
    var summary = header(spec, runIndex, n)
    summary += [
      ("dimensions", .int(d.dimensions)), ("region", .double(d.region)), ("light_speed", .double(d.lightSpeed)),
      ("fleet_speed", .double(d.fleetSpeed)), ("civilizations", .int(n)), ("born", .int(born.count)),
      ("alive", .int(aliveNow.count)), ("survival_rate", .double(rate(aliveNow.count, born.count))),
      ("annihilated", .int(born.filter { run.annihilated[$0] }.count)), ("collapses", .int(c.collapses)),
      ("hawking_ratio", .double(pQuiet > 0 ? pLoud / pQuiet : .nan)),
      ("annihilation_rate_broadcast", .double(pLoud)), ("annihilation_rate_hidden", .double(pQuiet)),
      ("silent_fraction", .double(rate(aliveNow.filter { !run.broadcast[$0] }.count, aliveNow.count))),
      ("strikes", .int(c.strikes)), ("battles", .int(c.battles)),
      ("first_strike_success", .double(rate(c.strikesWon, c.battles))),
      ("largest_cooperating_group", .int(run.steps.last?.largestGroup ?? 0)), ("alliances", .int(c.alliances)),
      ("gini", .double((try? Inequality.gini(living)) ?? .nan)),
      ("mean_staleness", .double(c.informedDecisions > 0 ? c.staleness / Double(c.informedDecisions) : .nan)),
      ("decisions", .int(c.decisions)), ("broadcasts", .int(c.broadcasts)), ("hides", .int(c.hides)),
      ("leaks", .int(c.leaks)), ("detections", .int(c.detections)), ("breakthroughs", .int(c.breakthroughs)),
      ("mean_payoff", .double(totals.reduce(0, +) / Double(n))),
    ]
    var segmentRows: [[CSVField]] = []
    let start0 = run.steps.first?.alive ?? []
    let end0 = run.steps.last?.alive ?? []
    let startTotal = max(1, start0.reduce(0, +))
    let endTotal = max(1, end0.reduce(0, +))
    for (s, segment) in population.segments.enumerated() {
      let range = population.ranges[s]
      let segmentBorn = range.filter { run.bornAt[$0].isFinite }
      let survivors = segmentBorn.filter { run.alive[$0] }.count
      let key = segment.name.snakeCased
      let survival = rate(survivors, segmentBorn.count)
      let shareStart = start0.isEmpty ? Double.nan : Double(start0[s]) / Double(startTotal)
      let shareEnd = end0.isEmpty ? Double.nan : Double(end0[s]) / Double(endTotal)
      summary += [
        ("survival_rate_\(key)", .double(survival)), ("share_start_\(key)", .double(shareStart)),
        ("share_end_\(key)", .double(shareEnd)),
      ]
      let own = Array(totals[range])
      var row: [CSVField] = ids.map(\.1) + [.string(segment.name), .int(range.count), .double(segment.share)]
      row += [
        .double(own.isEmpty ? .nan : own.reduce(0, +) / Double(own.count)), .int(segmentBorn.count), .int(survivors),
        .double(survival), .double(rate(segmentBorn.filter { run.broadcast[$0] }.count, segmentBorn.count)),
        .double(shareStart), .double(shareEnd),
      ]
      row += preferenceMeans(population, range)
      segmentRows.append(row)
    }
    let names = population.segments.map { "alive_\($0.name.snakeCased)" }
    let stepRows: [[CSVField]] = run.steps.enumerated().map { k, step in
      ids.map(\.1) + [.int(k), .double(step.time), .int(step.alive.reduce(0, +))] + step.alive.map { .int($0) }
        + [.double(step.silent), .int(step.largestGroup)]
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return RunResult(
      summary: summary,
      stepColumns: ["run_index", "seed", "step", "time", "alive"] + names + [
        "silent_fraction", "largest_cooperating_group",
      ],
      stepRows: stepRows,
      segmentColumns: [
        "run_index", "seed", "segment", "agents", "share", "mean_payoff", "born", "survivors", "survival_rate",
        "broadcast_rate", "share_start", "share_end",
      ] + Preference.allCases.map { "mean_\($0.name)" }, segmentRows: segmentRows, population: population,
      payoffs: totals, interactions: [Int32](repeating: 0, count: n), seconds: seconds,
      headline: ["survival_rate", "hawking_ratio", "silent_fraction", "first_strike_success"],
      countColumn: "civilizations")
  }

  /// The peak resident memory of a run of 2 agents (the binary, the Swift runtime, Foundation, GSL): 39 MiB measured
  /// in a release build and 42 MiB in a debug build, rounded up for other systems' libraries.
  static let processBytes = 48 << 20

  /// A conservative estimate of the peak memory (resident set) of a run of `spec`, in bytes: the process itself plus
  /// the model's own memory as a function of its parameters, measured for every scenario file at two sizes to stay
  /// above the measured peak and within twice it (method and table: docs/design-notes.md, "The memory estimate").
  public static func estimatedBytes(_ spec: ScenarioSpec) -> Int {
    let model: Double
    // Bytes per agent beyond the windows: each game's measured slope (docs/design-notes.md) plus 10-15%.
    switch spec.game.type {
    case .ultimatum: model = divisionBytes(spec, responderLearns: Ultimatum(spec: spec.game).responderDecides)
    case .dictator: model = divisionBytes(spec, responderLearns: Dictator(spec: spec.game).responderDecides)
    case .trust, .bargaining: model = matchBytes(spec, perAgent: 136)
    case .negotiation, .persuasion: model = matchBytes(spec, perAgent: 120)
    case .prisonersDilemma: model = matchBytes(spec, perAgent: 152)
    case .publicGoods: model = matchBytes(spec, perAgent: 160)
    case .doubleAuction: model = matchBytes(spec, perAgent: 208)
    case .matrix:
      // Each agent's counts of its opponents' actions (Int32, per role and action) and its window of them (Int16).
      let width = Double(MatrixGame(spec: spec.game).width)
      model = matchBytes(spec, perAgent: 160 + 8 * width + 2 * Double(contextWindow(spec)))
    case .commons: model = CommonsRun.estimatedBytes(spec)
    case .darkForest: model = DarkForestRun.estimatedBytes(spec)
    case .polity: model = PolityRun.estimatedBytes(spec)
    }
    let total = Double(processBytes) + model.rounded(.up)
    let most = Double(Int.max / 2)
    return total.isNaN ? Int(most) : Int(min(most, total))
  }

  /// The longest context window of any segment (every agent's ring buffer holds this many observations).
  static func contextWindow(_ spec: ScenarioSpec) -> Int {
    spec.population.segments.map(\.memory.contextWindow).max() ?? 0
  }

  /// A division game's memory beyond the process: per agent, the preference record and the run's columns (measured
  /// 112 to 124 bytes), the responder's window when it learns (2 bytes an observation, 8 of counters), and the
  /// asynchronous scheduler's pending events and queues (measured 64 bytes).
  static func divisionBytes(_ spec: ScenarioSpec, responderLearns: Bool) -> Double {
    let window = responderLearns ? Double(contextWindow(spec)) : 0
    var perAgent = 144.0
    if window > 0 { perAgent += 8 + 2 * window }
    if spec.matching.type == .asynchronous { perAgent += 80 }
    return Double(spec.population.size) * perAgent
  }

  /// A match game's memory beyond the process: `perAgent` bytes (measured for each game: the preference record, the
  /// motives, payoffs, match counts and the game's own columns), each agent's observation window (a Float an
  /// observation, a running sum and counters), and in a round robin every ordered pair of agents (two Int32 a match).
  static func matchBytes(_ spec: ScenarioSpec, perAgent: Double) -> Double {
    let n = Double(spec.population.size)
    let window = Double(contextWindow(spec))
    var bytes = n * (perAgent + (window > 0 ? 16 + 4 * window : 0))
    if spec.matching.type == .roundRobin { bytes += 4 * n * (n - 1) }
    return bytes
  }
}
