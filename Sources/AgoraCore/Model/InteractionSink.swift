/// One row a model logs to `events.csv` (`output.events: true`), in the model's own units: when it happened and the
/// model's cells, in the order of its declared ``Model/eventColumns``. The division games, trust, bargaining and
/// negotiation log an offer and its answer (``StandardColumns/offers``); the other games log a move, a
/// contribution, a sale or a trade, each in columns of its own.
public struct Interaction: Sendable, Hashable {
  public var time: Double
  /// The row's cells after `time`, one per declared event column, in order.
  public var values: [Cell]

  /// A row of a model's own event columns: `values` in the order the model declares them.
  public init(time: Double, values: [Cell]) {
    self.time = time
    self.values = values
  }

  /// An offer and its answer (``StandardColumns/offers``): `proposer` offered `offer` (an amount) to `responder`,
  /// who accepted or not, and what each earned.
  public init(
    time: Double, proposer: Int, responder: Int, offer: Double, accepted: Bool, proposerPayoff: Double,
    responderPayoff: Double
  ) {
    self.init(
      time: time,
      values: [
        .int(proposer), .int(responder), .double(offer), .int(accepted ? 1 : 0), .double(proposerPayoff),
        .double(responderPayoff),
      ])
  }

  /// The row of `events.csv` after the run's identifiers `ids`: `time`, then the model's cells.
  public func cells(ids: [Cell]) -> [Cell] {
    var row = ids
    row.reserveCapacity(ids.count + 1 + values.count)
    row.append(.double(time))
    row += values
    return row
  }
}

/// The fields of an offer and its answer (rows of ``StandardColumns/offers``, which the division games, trust,
/// bargaining and negotiation log); meaningless for another model's rows.
extension Interaction {
  /// The proposer's agent id.
  public var proposer: Int { values[0].integer }
  /// The responder's agent id.
  public var responder: Int { values[1].integer }
  /// The amount offered to the responder.
  public var offer: Double { values[2].number }
  /// Whether the responder accepted.
  public var accepted: Bool { values[3] == .int(1) }
  /// What the proposer earned.
  public var proposerPayoff: Double { values[4].number }
  /// What the responder earned.
  public var responderPayoff: Double { values[5].number }
}

/// Receives every interaction a model logs (`output.events`), in order.
public typealias InteractionSink = (Interaction) throws -> Void

/// Receives the agents' values at a step that `output.agent_steps` or `output.reporters` asks for.
public typealias AgentStepSink = (AgentStepValues) throws -> Void
