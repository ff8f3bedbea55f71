import AgoraCore

/// The parameters of a division game (ultimatum, dictator): a stake divided on an offer grid, over rounds with
/// roles assigned one of three ways.
public struct DivisionParameters: ModelParameters {
  /// The amount divided in one interaction.
  public var stake = 100.0
  /// The spacing of the offer grid 0, step, 2*step, ..., stake.
  public var offerStep = 5.0
  /// The grid's spacing as a share of the stake (0: not given; `offer_step` is then absolute).
  public var offerGrid = 0.0
  /// Synchronous rounds, or the simulated duration in time units under asynchronous matching.
  public var rounds = 1
  /// How proposer and responder roles are assigned.
  public var roles: RoleAssignment = .swap
  /// The strategy method (ultimatum): each responder states its minimum acceptable offer before seeing the offer,
  /// and accepts exactly the offers at or above it.
  public var strategyMethod = false

  public init() {}

  public static var parameters: [Parameter<Self>] {
    [
      .stake(\.stake), .offerGrid(\.offerGrid), .offerStep(\.offerStep, stake: \.stake, grid: \.offerGrid),
      .rounds(\.rounds, doc: "synchronous rounds; under asynchronous matching, the simulated duration in time units"),
      Parameter(
        "roles", \.roles,
        doc: "`swap`: half of each segment proposes in odd rounds, the other half in even rounds; `fixed`: the same "
          + "half always proposes; `random`: each pair's proposer is the first of a shuffled pair"),
      Parameter(
        "strategy_method", \.strategyMethod, allowed: "true or false",
        doc: "ultimatum only: each responder states its minimum acceptable offer (an amount on the offer grid) "
          + "before seeing the offer and accepts exactly the offers at or above it"),
    ]
  }

  /// The offer grid.
  public var grid: OfferGrid { OfferGrid(stake: stake, step: offerStep) }
}
