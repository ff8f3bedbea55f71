import Foundation

/// What every run starts from, made once for every model: the clock, the seed sequence, the sampled population and
/// the language-model agents, with the caller's options (events sink, progress, threads).
public struct RunSetup {
  let spec: ScenarioSpec
  let runIndex: Int
  let start: UInt64
  let seeds: SeedSequence
  let population: Population
  let languageModel: (any ExternalDeciders)?
  let events: InteractionSink?
  let progress: ((Double) -> Void)?
  let threads: Int

  init(
    _ spec: ScenarioSpec, runIndex: Int, events: InteractionSink?, progress: ((Double) -> Void)?, threads: Int,
    deciders: ExternalDecidersFactory?
  ) throws {
    self.spec = spec
    self.runIndex = runIndex
    start = DispatchTime.now().uptimeNanoseconds
    seeds = SeedSequence(master: spec.seed)
    population = Population(spec: spec.population, seeds: seeds, generator: spec.generator)
    if let deciders {
      languageModel = try deciders.make(spec, population, seeds)
    } else if spec.population.segments.contains(where: { $0.policy == .llm }) {
      throw MissingDecidersError()
    } else {
      languageModel = nil
    }
    self.events = events
    self.progress = progress
    self.threads = threads
  }

  /// Seconds since the run started (population sampling included).
  var seconds: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
}
