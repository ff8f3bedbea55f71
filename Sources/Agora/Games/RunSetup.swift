import Foundation

/// What every run starts from, made once for every model: the clock, the seed sequence, the sampled population and
/// the language-model agents, with the caller's options (events sink, progress, threads).
public struct RunSetup {
  let spec: ScenarioSpec
  let runIndex: Int
  let start: UInt64
  let seeds: SeedSequence
  let population: Population
  let languageModel: LanguageModelAgents?
  let events: InteractionSink?
  let progress: ((Double) -> Void)?
  let threads: Int

  init(
    _ spec: ScenarioSpec, runIndex: Int, events: InteractionSink?, progress: ((Double) -> Void)?, threads: Int,
    options: LanguageModelOptions
  ) throws {
    self.spec = spec
    self.runIndex = runIndex
    start = DispatchTime.now().uptimeNanoseconds
    seeds = SeedSequence(master: spec.seed)
    population = Population(spec: spec.population, seeds: seeds, generator: spec.generator)
    languageModel = try LanguageModelAgents.make(scenario: spec, population: population, seeds: seeds, options: options)
    self.events = events
    self.progress = progress
    self.threads = threads
  }

  /// Seconds since the run started (population sampling included).
  var seconds: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
}
