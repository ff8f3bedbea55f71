import AgoraCore

/// The bargaining game's parameters (GLEE): the stake and its grid, the discount factors, the horizon, what each
/// player knows and whether the responder talks first.
public struct BargainingParameters: ModelParameters {
  public var stake = 100.0
  public var offerStep = 5.0
  /// The grid's spacing as a share of the stake (0: not given; `offer_step` is then absolute).
  public var offerGrid = 0.0
  public var rounds = 1
  /// Alice's and Bob's discount factors.
  public var deltaA = 0.9
  public var deltaB = 0.9
  /// The discount factors an agent thinks possible for the other under incomplete information.
  public var deltaPrior = [0.8, 0.9, 0.95, 1]
  /// Rounds of alternating offers.
  public var horizon = Horizon(rounds: 12)
  /// The rounds played at most when the horizon is untold.
  public var untoldRounds = 99
  /// Whether each knows the other's discount factor.
  public var information: Information = .complete
  /// Whether the responder may state a demand (cheap talk) before each offer.
  public var messages = false

  public init() {}

  public static var parameters: [Parameter<Self>] {
    let discount = "a discount factor in (0, 1]"
    let isDiscount = { (x: Double, _: Self) in x > 0 && x <= 1 }
    return [
      .stake(\.stake, doc: "the amount bargained over"),
      .offerGrid(\.offerGrid), .offerStep(\.offerStep, stake: \.stake, grid: \.offerGrid),
      .rounds(\.rounds, doc: "matches each agent plays"),
      Parameter("delta_a", \.deltaA, allowed: discount, doc: "Alice's discount factor", valid: isDiscount),
      Parameter("delta_b", \.deltaB, allowed: discount, doc: "Bob's discount factor", valid: isDiscount),
      Parameter(
        "delta_prior", \.deltaPrior, allowed: "a non-empty list of discount factors in (0, 1]",
        doc: "the other's possible discount factors under incomplete information"
      ) { x, _ in !x.isEmpty && x.allSatisfy { $0 > 0 && $0 <= 1 } },
      Horizon.parameter(\.horizon, doc: "rounds of alternating offers, told to the agents"),
      Horizon.untoldParameter(
        \.untoldRounds, doc: "rounds played at most under `horizon: unbounded`, not told to the agents"),
      Parameter("information", \.information, doc: "whether each knows the other's discount factor"),
      Parameter(
        "messages", \.messages, allowed: "true or false",
        doc: "the responder states its demand first (cheap talk); a language-model agent also writes a free-text "
          + "message to the other player with each offer and answer, which the other reads in its next prompt"),
    ]
  }

  public var grid: OfferGrid { OfferGrid(stake: stake, step: offerStep) }

  /// The rounds a match plays at most.
  public var played: Int { horizon.played(untold: untoldRounds) }
}
