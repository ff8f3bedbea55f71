/// How each `game.type` runs: one entry a model, made by its family's runner (division games on the block kernel,
/// match games on the matching loop, civilization worlds on the event scheduler). `Experiment.run` looks a model up
/// here instead of switching over the types; a new model adds one line.
struct ModelEntry: Sendable {
  let type: GameType
  let run: @Sendable (RunSetup) throws -> RunResult

  /// A division game (one proposal and an answer per pair), decided in blocks of pairs on up to `threads` threads.
  static func division<G: DivisionGame>(_ type: GameType, _ make: @escaping @Sendable (ScenarioSpec) -> G) -> Self {
    ModelEntry(type: type) { setup in
      var run = DivisionRun(
        game: make(setup.spec), scenario: setup.spec, population: setup.population, seeds: setup.seeds)
      run.threads = setup.threads
      run.languageModel = setup.languageModel
      try run.run(events: setup.events, progress: setup.progress)
      return try Experiment.result(of: run, spec: setup.spec, runIndex: setup.runIndex, seconds: setup.seconds)
    }
  }

  /// A match game (pairs or groups matched each round, several stages or messages a match).
  static func match<G: MatchGame>(_ type: GameType, _ make: @escaping @Sendable (ScenarioSpec) -> G) -> Self {
    ModelEntry(type: type) { setup in
      var run = MatchRun(
        game: make(setup.spec), scenario: setup.spec, population: setup.population, seeds: setup.seeds,
        languageModel: setup.languageModel)
      run.run(progress: setup.progress)
      return try Experiment.result(of: run, spec: setup.spec, runIndex: setup.runIndex, seconds: setup.seconds)
    }
  }

  /// A civilization world, run on the event scheduler; `result` makes its tables.
  static func world<W: World>(
    _ type: GameType, _ world: W.Type, result: @escaping @Sendable (W, ScenarioSpec, Int, Double) -> RunResult
  ) -> Self {
    ModelEntry(type: type) { setup in
      var world = W(scenario: setup.spec, population: setup.population, seeds: setup.seeds)
      world.languageModel = setup.languageModel
      world.run(progress: setup.progress)
      return result(world, setup.spec, setup.runIndex, setup.seconds)
    }
  }
}

/// The built-in models, by `game.type`.
enum ModelRegistry {
  static let entries: [ModelEntry] = [
    .division(.ultimatum) { Ultimatum(spec: $0.game) },
    .division(.dictator) { Dictator(spec: $0.game) },
    .match(.trust) { Trust(spec: $0.game) },
    .match(.publicGoods) { PublicGoods(spec: $0.game, groupSize: $0.matching.size) },
    .match(.prisonersDilemma) { PrisonersDilemma(spec: $0.game) },
    .match(.bargaining) { Bargaining(spec: $0.game) },
    .match(.negotiation) { Negotiation(spec: $0.game) },
    .match(.persuasion) { Persuasion(spec: $0.game) },
    .match(.matrix) { MatrixGame(spec: $0.game) },
    .match(.doubleAuction) { DoubleAuction(spec: $0.game) },
    .world(.commons, CommonsRun.self) { Experiment.result(of: $0, spec: $1, runIndex: $2, seconds: $3) },
    .world(.darkForest, DarkForestRun.self) { Experiment.result(of: $0, spec: $1, runIndex: $2, seconds: $3) },
    .world(.polity, PolityRun.self) { Experiment.result(of: $0, spec: $1, runIndex: $2, seconds: $3) },
  ]

  /// The entry of `type`; every game type has one (a test checks it).
  static func entry(_ type: GameType) -> ModelEntry {
    guard let entry = entries.first(where: { $0.type == type }) else {
      preconditionFailure("no model is registered for game.type \(type.rawValue)")
    }
    return entry
  }
}
