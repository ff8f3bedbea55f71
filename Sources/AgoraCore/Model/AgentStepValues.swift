/// The agents' values at a step that `output.agent_steps` or `output.reporters` asks for: what an
/// ``AgentStepSink`` receives, made only at such steps.
public struct AgentStepValues {
  /// The step (from 1).
  public let step: Int
  /// The population (for the agents' segments).
  public let population: Population
  /// Every agent's payoff so far, in agent order.
  public let payoffs: [Double]
  /// Every agent's interactions so far, in agent order.
  public let interactions: [Int32]
  /// The model's own values asked for (``Model/agentStepColumns``), by name, a cell per agent (empty:
  /// `.double(.nan)`).
  public let own: [String: [Cell]]
  /// Whether `agent_steps.csv` gets this step's rows (reporters are computed at every step).
  public let writesRows: Bool

  public init(
    step: Int, population: Population, payoffs: [Double], interactions: [Int32], own: [String: [Cell]],
    writesRows: Bool
  ) {
    (self.step, self.population, self.payoffs, self.interactions) = (step, population, payoffs, interactions)
    (self.own, self.writesRows) = (own, writesRows)
  }

  /// Agent `i`'s cell of `value`.
  public func cell(_ value: AgentSteps.Value, agent i: Int) -> Cell {
    switch value {
    case .payoff: .double(payoffs[i])
    case .interactions: .int(Int(interactions[i]))
    default: own[value.rawValue].map { i < $0.count ? $0[i] : .double(.nan) } ?? .double(.nan)
    }
  }

  /// Every agent's `value` as a number (NaN: empty), in agent order.
  public func numbers(_ value: AgentSteps.Value) -> [Double] {
    switch value {
    case .payoff: payoffs
    case .interactions: interactions.map { Double($0) }
    default: own[value.rawValue]?.map(\.number) ?? [Double](repeating: .nan, count: payoffs.count)
    }
  }
}
