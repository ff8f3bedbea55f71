import AgoraCore

/// The negotiation game's parameters (GLEE): the stake and price grid, the seller's and buyer's values, the horizon,
/// what each player knows and whether the responder talks first.
public struct NegotiationParameters: ModelParameters {
  public var stake = 100.0
  public var offerStep = 5.0
  /// The grid's spacing as a share of the stake (0: not given; `offer_step` is then absolute).
  public var offerGrid = 0.0
  public var rounds = 1
  /// The seller's (Alice's) and buyer's (Bob's) values of the good, as factors of the stake M.
  public var valueA = 1.0
  public var valueB = 1.2
  /// The value factors an agent thinks possible for the other under incomplete information.
  public var valuePrior = [0.8, 1, 1.2, 1.5]
  /// Rounds of alternating price offers.
  public var horizon = Horizon(rounds: 10)
  /// The rounds played at most when the horizon is untold (GLEE's negotiation stops at 30).
  public var untoldRounds = 30
  /// Whether each knows the other's value.
  public var information: Information = .complete
  /// Whether the responder may state its value (cheap talk) before each offer.
  public var messages = false

  public init() {}

  public static var parameters: [Parameter<Self>] {
    let factor = "a number in (0, 1e6] (a factor of the stake)"
    let isFactor = { (x: Double) in x > 0 && x <= ScenarioBounds.factor }
    return [
      .stake(\.stake, doc: "the unit of values and prices"),
      .offerGrid(\.offerGrid),
      .offerStep(
        \.offerStep, stake: \.stake, grid: \.offerGrid,
        doc: "prices run from 0 to twice the largest value in these steps"),
      .rounds(\.rounds, doc: "matches each agent plays"),
      Parameter("value_a", \.valueA, allowed: factor, doc: "the seller's value, a factor of the stake") { x, _ in
        isFactor(x)
      },
      Parameter("value_b", \.valueB, allowed: factor, doc: "the buyer's value, a factor of the stake") { x, _ in
        isFactor(x)
      },
      Parameter(
        "value_prior", \.valuePrior, allowed: "a non-empty list of factors in (0, 1e6]",
        doc: "the other's possible values under incomplete information"
      ) { x, _ in !x.isEmpty && x.allSatisfy(isFactor) },
      Horizon.parameter(\.horizon, doc: "rounds of alternating price offers, told to the agents"),
      Horizon.untoldParameter(
        \.untoldRounds, doc: "rounds played at most under `horizon: unbounded`, not told to the agents (GLEE: 30)"),
      Parameter("information", \.information, doc: "whether each knows the other's value"),
      Parameter(
        "messages", \.messages, allowed: "true or false",
        doc: "the responder states its value first (cheap talk); a language-model agent also writes a free-text "
          + "message to the other side with each offer and answer, which the other reads in its next prompt"),
    ]
  }

  /// The rounds a match plays at most.
  public var played: Int { horizon.played(untold: untoldRounds) }
}
