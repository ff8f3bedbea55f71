/// A civilization scenario: a world that runs on a sampled population over the event scheduler.
protocol World {
  init(scenario: ScenarioSpec, population: Population, seeds: SeedSequence)
  /// The language-model agents of the run, when a segment has `policy: llm` (they ask one decision at a time).
  var languageModel: LanguageModelAgents? { get set }
  mutating func run(progress: ((Double) -> Void)?)
}

extension CommonsRun: World {}
extension DarkForestRun: World {}
extension PolityRun: World {}
