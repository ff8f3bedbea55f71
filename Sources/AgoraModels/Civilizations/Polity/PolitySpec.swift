import AgoraCore

/// The polity: households with skills who work, gather two goods, trade them, pay bracketed income taxes with an
/// equal rebate, vote on the tax schedule and exchange opinions over a small-world network.
public struct PolitySpec: Sendable, Hashable, DeclaredParameters {
  /// The distribution of skills (coin per unit of labour).
  public var skill: Distribution = .lognormal(mu: 0, sigma: 0.6)
  /// Periods per tax year (taxes are paid and the schedule voted at its end).
  public var taxPeriod = 10
  /// Income bracket thresholds (per tax year) and the selectable schedules of marginal rates (one rate per
  /// bracket, the first for incomes below the first threshold); the vote picks one schedule (the median).
  public var brackets: [Double] = [5, 15, 40]
  public var schedules: [[Double]] = [
    [0, 0, 0, 0], [0.05, 0.1, 0.15, 0.2], [0.1, 0.2, 0.3, 0.4], [0.1, 0.25, 0.4, 0.55], [0.1, 0.3, 0.5, 0.7],
  ]
  /// The starting schedule (an index into `schedules`).
  public var initialSchedule = 1
  /// Isoelastic utility of coin `(c^(1-eta) - 1)/(1 - eta)` and the labour cost `cost * l^2`.
  public var eta = 0.5
  public var labourCost = 0.5
  /// Random trading pairs per household and period; units of a good exchanged at most per trade.
  public var tradesPerPeriod = 1
  /// Small-world network: neighbours on each side of the ring, rewiring probability.
  public var neighbours = 3
  public var rewiring = 0.1
  /// Mean delay of an opinion message (periods); bounded-confidence threshold and step.
  public var messageDelay = 0.5
  public var confidence = 0.3
  public var convergence = 0.3
  /// How much a household's opinion (its taste for redistribution, in [0, 1]) weighs in its vote.
  public var opinionWeight = 1.0

  public init() {}
}

extension PolitySpec {
  public static var parameters: [Parameter<Self>] {
    [
      Parameter(
        "skill", \.skill, allowed: "a distribution", doc: "skills (coin per unit of labour)",
        default: ({ $0.skill }, text: "lognormal(0, 0.6)")),
      Parameter(
        "tax_period", \.taxPeriod, allowed: "an integer from 1 to 100000",
        doc: "periods per tax year (taxes paid and the schedule voted at its end)"
      ) { x, _ in (1...100_000).contains(x) },
      Parameter(
        "brackets", \.brackets, allowed: "increasing thresholds in (0, 1e12]",
        doc: "income bracket thresholds per tax year"
      ) { x, _ in
        x.allSatisfy { $0 > 0 && $0 <= ScenarioBounds.amount } && zip(x, x.dropFirst()).allSatisfy { $0 < $1 }
      },
      Parameter(
        "schedules", \.schedules,
        allowed: "a non-empty list of schedules, each with one rate in [0, 1] per bracket and one below the first",
        doc: "the selectable schedules of marginal rates; the vote picks one (the median)",
        default: (
          { s in
            PolitySpec().schedules.map {
              Array($0.prefix(s.brackets.count + 1)) + [Double](repeating: 0.7, count: max(0, s.brackets.count - 3))
            }
          }, text: "5 schedules from 0 to 0.7 at the top"
        )
      ) { x, s in
        !x.isEmpty && x.allSatisfy { $0.count == s.brackets.count + 1 && $0.allSatisfy { $0 >= 0 && $0 <= 1 } }
      },
      Parameter(
        "initial_schedule", \.initialSchedule, allowed: "an index into schedules",
        doc: "the schedule in force at the start", default: ({ min(1, $0.schedules.count - 1) }, text: "1")
      ) { x, s in (0..<s.schedules.count).contains(x) },
      Parameter(
        "eta", \.eta, allowed: "a number in [0, 1) or in (1, 1e6]",
        doc: "isoelastic utility of coin (c^(1-eta) - 1)/(1 - eta)"
      ) { x, _ in x >= 0 && x <= ScenarioBounds.factor && x != 1 },
      Parameter("labour_cost", \.labourCost, allowed: "a number in [0, 1e12]", doc: "the labour cost cost * l^2") {
        x, _ in x >= 0 && x <= ScenarioBounds.amount
      },
      Parameter(
        "trades_per_period", \.tradesPerPeriod, allowed: "an integer from 0 to 100",
        doc: "random trading pairs per household and period"
      ) { x, _ in (0...100).contains(x) },
      Parameter(
        "neighbours", \.neighbours, allowed: "an integer from 1 to 100",
        doc: "small-world network: neighbours on each side of the ring"
      ) { x, _ in (1...100).contains(x) },
      Parameter(
        "rewiring", \.rewiring, allowed: "a probability in [0, 1]", doc: "small-world network: rewiring probability"
      ) { x, _ in x >= 0 && x <= 1 },
      Parameter(
        "message_delay", \.messageDelay, allowed: "a number in [1e-9, 1e6]",
        doc: "mean delay of an opinion message (periods)"
      ) { x, _ in x >= ScenarioBounds.tiny && x <= ScenarioBounds.rate },
      Parameter("confidence", \.confidence, allowed: "a number in (0, 1]", doc: "bounded-confidence threshold") {
        x, _ in x > 0 && x <= 1
      },
      Parameter("convergence", \.convergence, allowed: "a number in (0, 0.5]", doc: "bounded-confidence step") { x, _ in
        x > 0 && x <= 0.5
      },
      Parameter(
        "opinion_weight", \.opinionWeight, allowed: "a finite number >= 0",
        doc: "how much a household's opinion (its taste for redistribution) weighs in its vote"
      ) { x, _ in x >= 0 && x.isFinite },
    ]
  }
}
