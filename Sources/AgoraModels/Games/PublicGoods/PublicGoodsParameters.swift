import AgoraCore

/// The public goods game's parameters: the endowment and its grid, the rounds, the return on the pot and the
/// optional punishment stage.
public struct PublicGoodsParameters: ModelParameters {
  public var stake = 100.0
  public var offerStep = 5.0
  /// The grid's spacing as a share of the stake (0: not given; `offer_step` is then absolute).
  public var offerGrid = 0.0
  public var rounds = 1
  /// The marginal per-capita return of a contribution.
  public var mpcr = 0.4
  /// Whether a costly punishment stage follows each contribution stage.
  public var punishment = false
  /// What one punishment point costs the punisher, and what it takes from the punished.
  public var punishmentCost = 1.0
  public var punishmentImpact = 3.0
  /// The most points one agent can assign to one group member per round.
  public var punishmentMax = 5
  /// The strategy method (Fischbacher & Gaechter): each member states a conditional contribution for every average
  /// contribution of the others on the grid, and contributes what its schedule says at its belief.
  public var strategyMethod = false

  public init() {}

  public static var parameters: [Parameter<Self>] {
    let amount = "a number in [0, 1e12]"
    let isAmount = { (x: Double, _: Self) in x >= 0 && x <= ScenarioBounds.amount }
    return [
      .stake(\.stake, doc: "each member's endowment per round"),
      .offerGrid(\.offerGrid),
      .offerStep(
        \.offerStep, stake: \.stake, grid: \.offerGrid, doc: "contributions are on the grid `0, step, ..., stake`"),
      .rounds(\.rounds),
      Parameter("mpcr", \.mpcr, allowed: "a number in (0, 1]", doc: "the marginal per-capita return of a contribution")
      { x, _ in x > 0 && x <= 1 },
      Parameter(
        "punishment", \.punishment, allowed: "true or false",
        doc: "whether a costly punishment stage follows each contribution stage"),
      Parameter(
        "punishment_cost", \.punishmentCost, allowed: amount, doc: "what a punishment point costs the punisher",
        valid: isAmount),
      Parameter(
        "punishment_impact", \.punishmentImpact, allowed: amount,
        doc: "what a punishment point takes from the punished",
        valid: isAmount),
      Parameter(
        "punishment_max", \.punishmentMax, allowed: "an integer from 1 to 100",
        doc: "the most points one agent assigns to one group member per round"
      ) { x, _ in (1...100).contains(x) },
      Parameter(
        "strategy_method", \.strategyMethod, allowed: "true or false",
        doc: "each member states a conditional contribution for every average contribution of the others on the grid "
          + "(Fischbacher & Gaechter's schedule) and contributes what it says at its belief about the others"),
    ]
  }

  public var grid: OfferGrid { OfferGrid(stake: stake, step: offerStep) }
}
