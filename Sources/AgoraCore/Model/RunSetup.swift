import Foundation

/// What every run starts from, made once for every model: the clock, the seed sequence, the sampled population and
/// the language-model agents, with the caller's options (events sink, progress, threads).
public struct RunSetup {
  public let spec: ScenarioSpec
  public let runIndex: Int
  let start: UInt64
  public let seeds: SeedSequence
  public let population: Population
  public let languageModel: (any ExternalDeciders)?
  public let events: InteractionSink?
  public let progress: ((Double) -> Void)?
  public let threads: Int
  /// Receives the agents' values at the steps `output.agent_steps` asks for (`nil`: not asked).
  public let agentSteps: AgentStepSink?

  init(
    _ spec: ScenarioSpec, runIndex: Int, events: InteractionSink?, progress: ((Double) -> Void)?, threads: Int,
    deciders: ExternalDecidersFactory?, agentSteps: AgentStepSink? = nil
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
    self.agentSteps = spec.output.agentSteps == nil ? nil : agentSteps
  }

  /// Passes the agents' values to ``agentSteps`` when step `step` (from 1, of `last`) is one it asks for; the
  /// values are only computed then.
  public func recordAgents(step: Int, last: Int, payoffs: () -> [Double], interactions: () -> [Int32]) throws {
    guard let sink = agentSteps, let asked = spec.output.agentSteps, asked.records(step: step, last: last) else {
      return
    }
    try sink(step, population, payoffs(), interactions())
  }

  /// Seconds since the run started (population sampling included).
  public var seconds: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
}
