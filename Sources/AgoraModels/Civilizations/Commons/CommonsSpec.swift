import AgoraCore

/// The commons scenario: villages sharing renewable stocks, harvest requests at jittered times, monthly councils
/// voting a quota, audits with fines, turnover, migration with travel delay, and droughts.
public struct CommonsSpec: Sendable, Hashable, DeclaredParameters {
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
  /// The largest harvest one agent can request in a month; 0 (the default, as in GovSim): no cap, a villager may
  /// ask for up to the whole stock (options 0 ... capacity).
  public var maxHarvest = 0
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
  /// Who gets the fish when a month's requests exceed the stock: served in time order, or (GovSim's `stochastic`)
  /// unit by unit to a villager drawn uniformly among those whose request is not yet met.
  public var allocation: Allocation = .firstCome
  /// Whether the universalisation cue (what is sustainable if everyone did the same) enters the decoder's
  /// utilities and the language-model prompts.
  public var universalization = true
  /// Whether language-model villagers talk: each says something to its village with its harvest, and reads what the
  /// village said since it last spoke (GovSim's conversation, in the order the villagers decide).
  public var discussion = false

  /// How a stock regrows at the end of a month.
  public enum Regrowth: String, Sendable, Codable, Hashable, CaseIterable { case doubling, logistic }

  /// How a month's requests are served when they exceed the stock.
  public enum Allocation: String, Sendable, Codable, Hashable, CaseIterable {
    case firstCome = "first_come"
    case random
  }

  /// The most one villager can request in a month: `max_harvest`, or the capacity's whole units when there is no
  /// cap.
  public var harvestCap: Int { maxHarvest > 0 ? maxHarvest : Int(capacity.rounded(.down)) }

  public init() {}
}

extension CommonsSpec {
  public static var parameters: [Parameter<Self>] {
    let probability = "a probability in [0, 1]"
    let isProbability = { (x: Double, _: Self) in x >= 0 && x <= 1 }
    return [
      Parameter(
        "village_size", \.villageSize, allowed: "an integer from 2 to 10000", doc: "agents per village at the start"
      ) { x, _ in (2...10_000).contains(x) },
      Parameter("capacity", \.capacity, allowed: "a number in (0, 1e12]", doc: "each village's carrying capacity") {
        x, _ in x > 0 && x <= ScenarioBounds.amount
      },
      Parameter(
        "stock", \.stock, allowed: "a number in [0, capacity]", doc: "each village's stock at the start",
        default: ({ $0.capacity }, text: "capacity")
      ) { x, s in x >= 0 && x <= s.capacity },
      Parameter(
        "threshold", \.threshold, allowed: "a number in [0, capacity]",
        doc: "a stock below this at the end of a month has collapsed"
      ) { x, s in x >= 0 && x <= s.capacity },
      Parameter(
        "regrowth", \.regrowth,
        doc: "`doubling` (GovSim: the stock doubles each month up to capacity) or `logistic` (rate `growth_rate`)"),
      Parameter("growth_rate", \.growthRate, allowed: "a number in (0, 1e6]", doc: "the logistic regrowth rate") {
        x, _ in x > 0 && x <= ScenarioBounds.factor
      },
      Parameter(
        "max_harvest", \.maxHarvest,
        allowed: "an integer from 1 to 1000, or 0 for no cap (GovSim; then capacity at most 1000)",
        doc: "the largest harvest one agent can request in a month; 0: up to the whole stock"
      ) { x, s in x == 0 ? s.capacity <= 1000 : (1...1000).contains(x) },
      Parameter(
        "jitter", \.jitter, allowed: "a number in [0, 1]",
        doc: "harvest requests fall at uniform times within this fraction of the month", valid: isProbability),
      Parameter(
        "audit_rate", \.auditRate, allowed: probability, doc: "the probability that a harvest is audited",
        valid: isProbability),
      Parameter(
        "fine", \.fine, allowed: "a number in [0, 1e12]", doc: "what an audited harvest pays per unit over the quota"
      ) { x, _ in x >= 0 && x <= ScenarioBounds.amount },
      Parameter(
        "turnover_rate", \.turnoverRate, allowed: probability,
        doc: "per agent and month: the probability of being replaced by a newcomer with an empty context window",
        valid: isProbability),
      Parameter(
        "migration_rate", \.migrationRate, allowed: probability,
        doc: "per agent and month: the probability of leaving for another village, with its norm", valid: isProbability),
      Parameter(
        "travel_time", \.travelTime, allowed: "a finite number >= 0 (months)", doc: "how long a migrant travels"
      ) { x, _ in x >= 0 && x.isFinite },
      Parameter(
        "drought_rate", \.droughtRate, allowed: probability, doc: "per village and month: the probability of a drought",
        valid: isProbability),
      Parameter(
        "drought_severity", \.droughtSeverity, allowed: probability, doc: "the share of the stock a drought destroys",
        valid: isProbability),
      Parameter(
        "allocation", \.allocation,
        doc: "when requests exceed the stock: `first_come` (in time order) or `random` (GovSim's unit-by-unit draw)"),
      Parameter(
        "universalization", \.universalization, allowed: "true or false",
        doc: "the universalisation cue in the decoder's utilities and the language-model prompts (GovSim: off)"),
      Parameter(
        "discussion", \.discussion, allowed: "true or false",
        doc: "language-model villagers say something to their village with each harvest and read what it said since "
          + "they last spoke, in the order they decide (GovSim's conversation); decoder villagers stay silent"),
    ]
  }
}
