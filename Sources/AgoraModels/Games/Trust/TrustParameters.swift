import AgoraCore

/// The trust game's parameters: the investor's endowment and grid, the rounds and roles, and the multiplier.
public struct TrustParameters: ModelParameters {
  /// The investor's endowment.
  public var stake = 100.0
  /// The spacing of the grid of what is sent and returned.
  public var offerStep = 5.0
  /// The grid's spacing as a share of the stake (0: not given; `offer_step` is then absolute).
  public var offerGrid = 0.0
  public var rounds = 1
  /// How investor and trustee roles are assigned.
  public var roles: RoleAssignment = .swap
  /// What the investor sends is multiplied by this.
  public var multiplier = 3.0

  public init() {}

  public static var parameters: [Parameter<Self>] {
    [
      .stake(\.stake, doc: "the investor's endowment"),
      .offerGrid(\.offerGrid),
      .offerStep(
        \.offerStep, stake: \.stake, grid: \.offerGrid,
        doc: "what is sent and returned is on the grid `0, step, ..., stake`"),
      .rounds(\.rounds),
      Parameter(
        "roles", \.roles,
        doc: "`swap`: half of each segment invests in odd rounds; `fixed`: the same half always invests; `random`"),
      Parameter("multiplier", \.multiplier, allowed: "a number in (0, 1e6]", doc: "what is sent is multiplied by this")
      {
        x, _ in x > 0 && x <= ScenarioBounds.factor
      },
    ]
  }

  public var grid: OfferGrid { OfferGrid(stake: stake, step: offerStep) }
}
