import AgoraCore

/// A civilization scenario: a world that runs on a sampled population over the event scheduler.
protocol World {
  init(scenario: ScenarioSpec, population: Population, seeds: SeedSequence)
  /// The language-model agents of the run, when a segment has `policy: llm` (they ask one decision at a time).
  var languageModel: (any ExternalDeciders)? { get set }
  var population: Population { get }
  /// Each segment's decoding.
  var decoding: [DecodingParameters] { get }
  /// The scratch utilities of a decision.
  var utilities: [Double] { get }
  var decoder: ChoiceDecoder { get set }
  mutating func run(progress: ((Double) -> Void)?)
  /// The run's tables, once it has run.
  func result(_ spec: ScenarioSpec, runIndex: Int, seconds: Double) -> RunResult
}

extension World {
  /// Runs the world on the event scheduler from `setup` and makes its tables.
  static func runWorld(_ setup: RunSetup) -> RunResult {
    var world = Self(scenario: setup.spec, population: setup.population, seeds: setup.seeds)
    world.languageModel = setup.languageModel
    world.run(progress: setup.progress)
    return world.result(setup.spec, runIndex: setup.runIndex, seconds: setup.seconds)
  }
}

extension World {
  /// Agent `i`'s choice over `utilities[0..<options]`: its language model's (with `prompt`, built only for
  /// `policy: llm` agents) or its segment's decoder's.
  mutating func choose(
    _ i: Int, options: Int, salient: Int, stream: RandomStream, prompt: () -> DecisionPrompt
  ) -> Int {
    let s = Int(population.segment[i])
    let (parameters, model, utilities) = (decoding[s], languageModel, self.utilities)
    let asks = model != nil && population.segments[s].policy == .llm
    return utilities.withUnsafeBufferPointer { u in
      ChoiceDecoder.choose(
        model, asks: asks, agent: i, segment: s, prompt: prompt, history: { [] },
        utilities: UnsafeBufferPointer(rebasing: u[0..<options]), salient: salient, parameters: parameters,
        decoder: &decoder, stream: stream)
    }
  }
}

extension CommonsRun: World {
  func result(_ spec: ScenarioSpec, runIndex: Int, seconds: Double) -> RunResult {
    Experiment.result(of: self, spec: spec, runIndex: runIndex, seconds: seconds)
  }
}

extension DarkForestRun: World {
  func result(_ spec: ScenarioSpec, runIndex: Int, seconds: Double) -> RunResult {
    Experiment.result(of: self, spec: spec, runIndex: runIndex, seconds: seconds)
  }
}

extension PolityRun: World {
  func result(_ spec: ScenarioSpec, runIndex: Int, seconds: Double) -> RunResult {
    Experiment.result(of: self, spec: spec, runIndex: runIndex, seconds: seconds)
  }
}
