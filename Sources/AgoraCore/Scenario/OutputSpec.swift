/// Which optional files a run writes.
public struct OutputSpec: Sendable, Codable, Hashable {
  public var steps: Bool = true
  public var agents: Bool = true
  public var events: Bool = false
  /// Per-agent values every `every` steps (`agent_steps.csv`), like Mesa's agent reporters; `nil`: none.
  public var agentSteps: AgentSteps? = nil
  /// Model-level reporters: extra columns of `steps.csv`, each a statistic of a per-agent value at every step.
  public var reporters: [ReporterSpec] = []

  enum CodingKeys: String, CodingKey, CaseIterable {
    case steps, agents, events, agentSteps = "agent_steps", reporters
  }

  public init() {}
}

/// `output.agent_steps`: which per-agent values `agent_steps.csv` holds, and how often.
public struct AgentSteps: Sendable, Codable, Hashable {
  /// A row per agent at every `every`-th step (and at the last).
  public var every = 1
  /// The values written, in order: ``Value/standard`` ones and those the model declares
  /// (``Model/agentStepColumns``), checked against the model when the scenario loads.
  public var columns: [Value] = Value.standard

  /// A per-agent value recorded at each step asked for, by its column name: `payoff` and `interactions`, which every
  /// game that records agent steps has, or one its model declares (an ultimatum's `offer`, a dilemma's `cooperation`).
  public struct Value: RawRepresentable, Sendable, Codable, Hashable, ExpressibleByStringLiteral {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }

    /// The agent's payoff so far.
    public static let payoff = Value(rawValue: "payoff")
    /// The agent's interactions (matches) so far.
    public static let interactions = Value(rawValue: "interactions")
    /// The values every game that records agent steps has (the default columns).
    public static let standard: [Value] = [.payoff, .interactions]

    /// Whether it is one of ``standard`` rather than one the model declares.
    public var isStandard: Bool { Self.standard.contains(self) }
  }

  enum CodingKeys: String, CodingKey, CaseIterable { case every, columns }

  public init() {}

  /// Whether step `step` (from 1) of `last` gets rows.
  public func records(step: Int, last: Int) -> Bool { step % every == 0 || step == last }
}

extension OutputSpec {
  public init(from decoder: any Decoder) throws {
    try decoder.checkKeys(CodingKeys.allCases.map(\.rawValue))
    let c = try decoder.container(keyedBy: CodingKeys.self)
    steps = try c.value(.steps, default: true)
    agents = try c.value(.agents, default: true)
    events = try c.value(.events, default: false)
    agentSteps = try c.decodeIfPresent(AgentSteps.self, forKey: .agentSteps)
    reporters = try c.value(.reporters, default: [])
    var names: Set<String> = []
    for reporter in reporters where !names.insert(reporter.name).inserted {
      throw ScenarioIssue(
        c.codingPath + [CodingKeys.reporters], value: reporter.name, "reporter names must be unique")
    }
  }
}

extension AgentSteps {
  public init(from decoder: any Decoder) throws {
    try decoder.checkKeys(CodingKeys.allCases.map(\.rawValue))
    let c = try decoder.container(keyedBy: CodingKeys.self)
    every = try c.value(.every, default: 1, allowed: "an integer from 1 to 100000000") {
      (1...100_000_000).contains($0)
    }
    // The names are checked against the model's declared values once the model is known (``Model/check``).
    let names = try c.value(
      .columns, default: Value.standard.map(\.rawValue),
      allowed: "a non-empty list of distinct per-agent value names (payoff, interactions or the model's own)"
    ) {
      !$0.isEmpty && $0.allSatisfy { !$0.isEmpty } && Set($0).count == $0.count
    }
    columns = names.map(Value.init(rawValue:))
  }
}
