/// One interaction a model logs (`output.events: true`), in the model's own amounts: who proposed to whom, when,
/// the amount offered, whether it was accepted, and what each earned.
public struct Interaction: Sendable, Hashable {
  public var time: Double
  public var proposer: Int
  public var responder: Int
  /// The amount offered to the responder.
  public var offer: Double
  public var accepted: Bool
  public var proposerPayoff: Double
  public var responderPayoff: Double

  public init(
    time: Double, proposer: Int, responder: Int, offer: Double, accepted: Bool, proposerPayoff: Double,
    responderPayoff: Double
  ) {
    self.time = time
    self.proposer = proposer
    self.responder = responder
    self.offer = offer
    self.accepted = accepted
    self.proposerPayoff = proposerPayoff
    self.responderPayoff = responderPayoff
  }

  /// The row of `events.csv` (``StandardColumns/events``) after the run's identifiers `ids`.
  public func cells(ids: [Cell]) -> [Cell] {
    ids + [
      .double(time), .int(proposer), .int(responder), .double(offer), .int(accepted ? 1 : 0),
      .double(proposerPayoff), .double(responderPayoff),
    ]
  }
}

/// Receives every interaction a model logs (`output.events`), in order.
public typealias InteractionSink = (Interaction) throws -> Void

/// Receives the agents' values at a step that `output.agent_steps` asks for: the step (from 1), the population
/// (for the agents' segments), every agent's payoff so far and its interactions so far, in agent order.
public typealias AgentStepSink =
  (_ step: Int, _ population: Population, _ payoffs: [Double], _ interactions: [Int32]) throws -> Void
