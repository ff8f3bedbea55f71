import AgoraCore

/// The double auction's parameters: the price unit and grid, the traders' values and costs (drawn, one unit each, or
/// given as multi-unit schedules), and the order flow.
public struct DoubleAuctionParameters: ModelParameters {
  public var stake = 100.0
  public var offerStep = 5.0
  /// The grid's spacing as a share of the stake (0: not given; `offer_step` is then absolute).
  public var offerGrid = 0.0
  /// Trading periods.
  public var rounds = 1
  /// The distribution of buyers' values (one unit each), drawn once per run.
  public var values: Distribution = .uniform(min: 0, max: 200)
  /// The distribution of sellers' costs.
  public var costs: Distribution = .uniform(min: 0, max: 200)
  /// Buyers' unit values, one list per buyer in the order it trades them (Gode & Sunder's redemption values); empty:
  /// values are drawn from `values`.
  public var buyers: [[Double]] = []
  /// Sellers' unit costs, one list per seller in the order it trades them; empty: costs are drawn from `costs`.
  public var sellers: [[Double]] = []
  /// The length of a trading period in time units.
  public var periodLength = 1.0
  /// Orders each active trader submits per time unit (Poisson).
  public var orderRate = 20.0

  /// The most schedules a side may list and the most units in one schedule (the tables stay small whatever the
  /// population: agents share them).
  public static let maxSchedules = 100_000
  public static let maxUnits = 10_000

  public init() {}

  /// Whether traders take the `buyers` and `sellers` schedules rather than drawn values and costs.
  public var hasSchedules: Bool { !buyers.isEmpty || !sellers.isEmpty }

  public static var parameters: [Parameter<Self>] {
    [
      .stake(\.stake, doc: "the price unit; asks run up to the larger of the stake and the largest value or cost"),
      .offerGrid(\.offerGrid),
      .offerStep(\.offerStep, stake: \.stake, grid: \.offerGrid, doc: "the tick of bids and asks"),
      .rounds(\.rounds, doc: "trading periods"),
      Parameter(
        "values", \.values, allowed: "a distribution",
        doc: "buyers' values (one unit each), drawn once per run (unless `buyers` is given)",
        default: ({ .uniform(min: 0, max: 2 * $0.stake) }, text: "uniform(0, 2 stake)")),
      Parameter(
        "costs", \.costs, allowed: "a distribution",
        doc: "sellers' costs, drawn once per run (unless `sellers` is given)",
        default: ({ .uniform(min: 0, max: 2 * $0.stake) }, text: "uniform(0, 2 stake)")),
      Parameter(
        "buyers", \.buyers,
        allowed: "`[]` or a list of buyers, each a list of 1 to 10000 unit values in [0, 1e12] that never increase",
        doc: "each buyer's unit values in the order it trades them (with `sellers`; the population takes the "
          + "schedules in turn, see games.md)"),
      Parameter(
        "sellers", \.sellers,
        allowed: "`[]` or a list of sellers, each a list of 1 to 10000 unit costs in [0, 1e12] that never decrease",
        doc: "each seller's unit costs in the order it trades them (with `buyers`)"),
      Parameter(
        "period_length", \.periodLength, allowed: "a number in [1e-9, 1e6] (time units)",
        doc: "the length of a trading period"
      ) { x, _ in x >= ScenarioBounds.tiny && x <= ScenarioBounds.rate },
      Parameter(
        "order_rate", \.orderRate, allowed: "a number in [1e-9, 1e6] (orders per trader per time unit)",
        doc: "orders each active trader submits per time unit (Poisson)"
      ) { x, _ in x >= ScenarioBounds.tiny && x <= ScenarioBounds.rate },
    ]
  }

  /// The first problem with the schedules, if any: both sides or neither, each schedule 1 to ``maxUnits`` finite
  /// amounts in [0, 1e12], a buyer's values never rising and a seller's costs never falling (traders trade their
  /// units in order, so an unsorted schedule would make the competitive surplus unreachable; it is refused rather
  /// than sorted, since the order is part of the design).
  public var scheduleIssue: ScenarioIssue? {
    guard hasSchedules else { return nil }
    if buyers.isEmpty || sellers.isEmpty {
      let (missing, given) = buyers.isEmpty ? ("buyers", "sellers") : ("sellers", "buyers")
      return ScenarioIssue(
        path: "game.\(missing)",
        message: "\(given) is given but \(missing) is not; a market with schedules needs both lists (or neither, to "
          + "draw one unit per trader from values and costs)")
    }
    for (key, lists, rising) in [("buyers", buyers, false), ("sellers", sellers, true)] {
      guard lists.count <= Self.maxSchedules else {
        return ScenarioIssue(
          path: "game.\(key)", value: "\(lists.count) schedules",
          message: "at most \(Self.maxSchedules) schedules a side; the population repeats them")
      }
      for (k, units) in lists.enumerated() {
        let path = "game.\(key).\(k)"
        guard !units.isEmpty, units.count <= Self.maxUnits else {
          return ScenarioIssue(
            path: path, value: "\(units.count) units",
            message: "each \(key.dropLast()) needs 1 to \(Self.maxUnits) units")
        }
        for (u, x) in units.enumerated() where !(x >= 0 && x <= ScenarioBounds.amount) {
          return ScenarioIssue(
            path: "\(path).\(u)", value: "\(x)", message: "expected a \(rising ? "cost" : "value") in [0, 1e12]")
        }
        for u in units.indices.dropFirst() where rising ? units[u] < units[u - 1] : units[u] > units[u - 1] {
          return ScenarioIssue(
            path: "\(path).\(u)", value: units[u].valueText,
            message: rising
              ? "a seller's costs must not fall from one unit to the next (it sells its cheapest unit first): "
                + "\(units[u - 1].valueText) then \(units[u].valueText)"
              : "a buyer's values must not rise from one unit to the next (it buys its most valuable unit first): "
                + "\(units[u - 1].valueText) then \(units[u].valueText)")
        }
      }
    }
    return nil
  }
}
