/// Which optional files a run writes.
public struct OutputSpec: Sendable, Codable, Hashable {
  public var steps: Bool = true
  public var agents: Bool = true
  public var events: Bool = false
  /// Per-agent values every `every` steps (`agent_steps.csv`), like Mesa's agent reporters; `nil`: none.
  public var agentSteps: AgentSteps? = nil

  enum CodingKeys: String, CodingKey, CaseIterable { case steps, agents, events, agentSteps = "agent_steps" }

  public init() {}
}

/// `output.agent_steps`: which per-agent values `agent_steps.csv` holds, and how often.
public struct AgentSteps: Sendable, Codable, Hashable {
  /// A row per agent at every `every`-th step (and at the last).
  public var every = 1
  /// The values written, in order.
  public var columns: [Value] = Value.allCases

  /// A per-agent value a game records at each step.
  public enum Value: String, Sendable, Codable, Hashable, CaseIterable {
    /// The agent's payoff so far.
    case payoff
    /// The agent's interactions (matches) so far.
    case interactions
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
  }
}

extension AgentSteps {
  public init(from decoder: any Decoder) throws {
    try decoder.checkKeys(CodingKeys.allCases.map(\.rawValue))
    let c = try decoder.container(keyedBy: CodingKeys.self)
    every = try c.value(.every, default: 1, allowed: "an integer from 1 to 100000000") {
      (1...100_000_000).contains($0)
    }
    let names = try c.value(
      .columns, default: Value.allCases.map(\.rawValue), allowed: "a non-empty list of payoff, interactions"
    ) {
      !$0.isEmpty && $0.allSatisfy { Value(rawValue: $0) != nil } && Set($0).count == $0.count
    }
    columns = names.compactMap(Value.init(rawValue:))
  }
}
