/// The polity: households with skills who work, gather two goods, trade them, pay bracketed income taxes with an
/// equal rebate, vote on the tax schedule and exchange opinions over a small-world network.
public struct PolitySpec: Sendable, Codable, Hashable {
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

  enum CodingKeys: String, CodingKey, CaseIterable {
    case skill, taxPeriod = "tax_period", brackets, schedules, initialSchedule = "initial_schedule", eta
    case labourCost = "labour_cost", tradesPerPeriod = "trades_per_period", neighbours, rewiring
    case messageDelay = "message_delay", confidence, convergence, opinionWeight = "opinion_weight"
  }

  public init() {}
}

extension PolitySpec {
  public init(from decoder: any Decoder) throws {
    try decoder.checkKeys(CodingKeys.allCases.map(\.rawValue))
    let c = try decoder.container(keyedBy: CodingKeys.self)
    skill = try c.value(.skill, default: .lognormal(mu: 0, sigma: 0.6))
    taxPeriod = try c.value(.taxPeriod, default: 10, allowed: "an integer from 1 to 100000") {
      (1...100_000).contains($0)
    }
    brackets = try c.value(.brackets, default: [5, 15, 40], allowed: "increasing thresholds in (0, 1e12]") {
      $0.allSatisfy { $0 > 0 && $0 <= ScenarioBounds.amount } && zip($0, $0.dropFirst()).allSatisfy { $0 < $1 }
    }
    let width = brackets.count + 1
    schedules = try c.value(
      .schedules,
      default: PolitySpec().schedules.map {
        Array($0.prefix(width)) + [Double](repeating: 0.7, count: max(0, width - 4))
      },
      allowed: "a non-empty list of schedules, each \(width) rates in [0, 1]"
    ) { !$0.isEmpty && $0.allSatisfy { $0.count == width && $0.allSatisfy { $0 >= 0 && $0 <= 1 } } }
    let count = schedules.count
    initialSchedule = try c.value(
      .initialSchedule, default: min(1, count - 1), allowed: "an index from 0 to \(count - 1)"
    ) {
      (0..<count).contains($0)
    }
    eta = try c.value(.eta, default: 0.5, allowed: "a number in [0, 1) or in (1, 1e6]") {
      $0 >= 0 && $0 <= ScenarioBounds.factor && $0 != 1
    }
    labourCost = try c.value(.labourCost, default: 0.5, allowed: "a number in [0, 1e12]") {
      $0 >= 0 && $0 <= ScenarioBounds.amount
    }
    tradesPerPeriod = try c.value(.tradesPerPeriod, default: 1, allowed: "an integer from 0 to 100") {
      (0...100).contains($0)
    }
    neighbours = try c.value(.neighbours, default: 3, allowed: "an integer from 1 to 100") { (1...100).contains($0) }
    rewiring = try c.value(.rewiring, default: 0.1, allowed: "a probability in [0, 1]") { $0 >= 0 && $0 <= 1 }
    messageDelay = try c.value(.messageDelay, default: 0.5, allowed: "a number in [1e-9, 1e6]") {
      $0 >= ScenarioBounds.tiny && $0 <= ScenarioBounds.rate
    }
    confidence = try c.value(.confidence, default: 0.3, allowed: "a number in (0, 1]") { $0 > 0 && $0 <= 1 }
    convergence = try c.value(.convergence, default: 0.3, allowed: "a number in (0, 0.5]") { $0 > 0 && $0 <= 0.5 }
    opinionWeight = try c.value(.opinionWeight, default: 1, allowed: "a finite number >= 0") { $0 >= 0 && $0.isFinite }
  }
}
