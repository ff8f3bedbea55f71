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
    self.agentSteps = spec.output.agentSteps == nil && spec.output.reporters.isEmpty ? nil : agentSteps
  }

  /// Passes the agents' values to ``agentSteps`` when step `step` (from 1, of `last`) is one `output.agent_steps`
  /// asks for, or at every step when `output.reporters` asks for any; the values are only computed then. `values`
  /// gives the model's own value of each agent by name (one it declares in ``Model/agentStepColumns``; the scenario
  /// names only those), a cell per agent (`.double(.nan)`: empty).
  public func recordAgents(
    step: Int, last: Int, payoffs: () -> [Double], interactions: () -> [Int32],
    values: (_ name: String) -> [Cell] = { _ in [] }
  ) throws {
    let writesRows = spec.output.agentSteps?.records(step: step, last: last) ?? false
    guard let sink = agentSteps, writesRows || !spec.output.reporters.isEmpty else { return }
    var own: [String: [Cell]] = [:]
    for name in agentValueNames { own[name] = values(name) }
    try sink(
      AgentStepValues(
        step: step, population: population, payoffs: payoffs(), interactions: interactions(), own: own,
        writesRows: writesRows))
  }

  /// The model's own per-agent values that `output.agent_steps` or `output.reporters` asks for, by name, in order,
  /// each once (empty when neither is asked for).
  public var agentValueNames: [String] {
    guard agentSteps != nil else { return [] }
    var seen: Set<String> = []
    let asked = (spec.output.agentSteps?.columns ?? []) + spec.output.reporters.map(\.of)
    return asked.filter { !$0.isStandard && seen.insert($0.rawValue).inserted }.map(\.rawValue)
  }

  /// Whether `output.agent_steps` or `output.reporters` asks for the per-agent value `name` (a game keeps what it
  /// needs only then).
  public func asksAgentValue(_ name: String) -> Bool { agentValueNames.contains(name) }

  /// Seconds since the run started (population sampling included).
  public var seconds: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
}
