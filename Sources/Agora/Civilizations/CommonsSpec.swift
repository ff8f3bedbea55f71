/// The commons scenario: villages sharing renewable stocks, harvest requests at jittered times, monthly councils
/// voting a quota, audits with fines, turnover, migration with travel delay, and droughts.
public struct CommonsSpec: Sendable, Codable, Hashable {
  /// Agents per village (at the start).
  public var villageSize = 5
  /// Each village's stock at the start, and its carrying capacity.
  public var stock = 100.0
  public var capacity = 100.0
  /// A stock below this at the end of a month has collapsed.
  public var threshold = 5.0
  /// `doubling` (GovSim: the stock doubles each month up to capacity) or `logistic` (rate `growth_rate`).
  public var regrowth: Regrowth = .doubling
  public var growthRate = 1.0
  /// The largest harvest one agent can request in a month.
  public var maxHarvest = 20
  /// Harvest requests fall at uniformly jittered times within this fraction of the month.
  public var jitter = 1.0
  /// The probability that a harvest is audited; an audited harvest above the quota pays `fine` per unit over.
  public var auditRate = 0.0
  public var fine = 0.0
  /// Per agent and month: the probability of being replaced by a newcomer (a death and a birth; the newcomer's
  /// context window is empty).
  public var turnoverRate = 0.0
  /// Per agent and month: the probability of leaving for another village, arriving `travel_time` months later with
  /// its norm (the quota it last voted for).
  public var migrationRate = 0.0
  public var travelTime = 1.0
  /// Per village and month: the probability of a drought, which destroys `drought_severity` of the stock.
  public var droughtRate = 0.0
  public var droughtSeverity = 0.5

  /// How a stock regrows at the end of a month.
  public enum Regrowth: String, Sendable, Codable, Hashable, CaseIterable { case doubling, logistic }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case villageSize = "village_size", stock, capacity, threshold, regrowth, growthRate = "growth_rate"
    case maxHarvest = "max_harvest", jitter, auditRate = "audit_rate", fine, turnoverRate = "turnover_rate"
    case migrationRate = "migration_rate", travelTime = "travel_time", droughtRate = "drought_rate"
    case droughtSeverity = "drought_severity"
  }

  public init() {}
}

extension CommonsSpec {
  public init(from decoder: any Decoder) throws {
    try decoder.checkKeys(CodingKeys.allCases.map(\.rawValue))
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let probability = "a probability in [0, 1]"
    villageSize = try c.value(.villageSize, default: 5, allowed: "an integer from 2 to 10000") {
      (2...10_000).contains($0)
    }
    capacity = try c.value(.capacity, default: 100, allowed: "a number in (0, 1e12]") {
      $0 > 0 && $0 <= ScenarioBounds.amount
    }
    let capacity = self.capacity
    stock = try c.value(.stock, default: capacity, allowed: "a number in [0, capacity (\(capacity))]") {
      $0 >= 0 && $0 <= capacity
    }
    threshold = try c.value(.threshold, default: 5, allowed: "a number in [0, capacity]") { $0 >= 0 && $0 <= capacity }
    regrowth = try c.choice(.regrowth, default: .doubling)
    growthRate = try c.value(.growthRate, default: 1, allowed: "a number in (0, 1e6]") {
      $0 > 0 && $0 <= ScenarioBounds.factor
    }
    maxHarvest = try c.value(.maxHarvest, default: 20, allowed: "an integer from 1 to 1000") { (1...1000).contains($0) }
    jitter = try c.value(.jitter, default: 1, allowed: "a number in [0, 1]") { $0 >= 0 && $0 <= 1 }
    auditRate = try c.value(.auditRate, default: 0, allowed: probability) { $0 >= 0 && $0 <= 1 }
    fine = try c.value(.fine, default: 0, allowed: "a number in [0, 1e12]") { $0 >= 0 && $0 <= ScenarioBounds.amount }
    turnoverRate = try c.value(.turnoverRate, default: 0, allowed: probability) { $0 >= 0 && $0 <= 1 }
    migrationRate = try c.value(.migrationRate, default: 0, allowed: probability) { $0 >= 0 && $0 <= 1 }
    travelTime = try c.value(.travelTime, default: 1, allowed: "a finite number >= 0 (months)") {
      $0 >= 0 && $0.isFinite
    }
    droughtRate = try c.value(.droughtRate, default: 0, allowed: probability) { $0 >= 0 && $0 <= 1 }
    droughtSeverity = try c.value(.droughtSeverity, default: 0.5, allowed: probability) { $0 >= 0 && $0 <= 1 }
  }
}
