/// A civilization scenario: a world that runs on a sampled population over the event scheduler.
protocol World {
  init(scenario: ScenarioSpec, population: Population, seeds: SeedSequence)
  mutating func run(progress: ((Double) -> Void)?)
}

extension CommonsRun: World {}
extension DarkForestRun: World {}
extension PolityRun: World {}
