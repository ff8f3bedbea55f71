import AgoraCore

/// The double auction's parameters: the price unit and grid, the traders' values and costs, and the order flow.
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
  /// The length of a trading period in time units.
  public var periodLength = 1.0
  /// Orders each active trader submits per time unit (Poisson).
  public var orderRate = 20.0

  public init() {}

  public static var parameters: [Parameter<Self>] {
    [
      .stake(\.stake, doc: "the price unit"), .offerGrid(\.offerGrid),
      .offerStep(\.offerStep, stake: \.stake, grid: \.offerGrid, doc: "the tick of bids and asks"),
      .rounds(\.rounds, doc: "trading periods"),
      Parameter(
        "values", \.values, allowed: "a distribution", doc: "buyers' values (one unit each), drawn once per run",
        default: ({ .uniform(min: 0, max: 2 * $0.stake) }, text: "uniform(0, 2 stake)")),
      Parameter(
        "costs", \.costs, allowed: "a distribution", doc: "sellers' costs, drawn once per run",
        default: ({ .uniform(min: 0, max: 2 * $0.stake) }, text: "uniform(0, 2 stake)")),
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
}
