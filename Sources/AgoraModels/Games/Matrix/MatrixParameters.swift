import AgoraCore

/// The matrix game's parameters: a bimatrix (a named preset or payoffs given in full), the rounds, roles and stages.
public struct MatrixParameters: ModelParameters {
  public var rounds = 1
  /// How row and column roles are assigned.
  public var roles: RoleAssignment = .swap
  /// Stages per match.
  public var horizon = 1
  /// The payoff bimatrix.
  public var matrix: PayoffBimatrix = .preset(.prisonersDilemma)

  public init() {}

  public static var parameters: [Parameter<Self>] {
    [
      .rounds(\.rounds),
      Parameter("roles", \.roles, doc: "how the row and column roles are assigned (as in the ultimatum game)"),
      Parameter("horizon", \.horizon, allowed: "an integer from 1 to 100000", doc: "stages per match") { x, _ in
        (1...100_000).contains(x)
      },
      Parameter(
        "matrix", \.matrix,
        allowed: "`{preset: NAME}` or `{row_actions, column_actions, row, column}` (2 to 10 actions)",
        doc: "the bimatrix", default: ({ _ in .preset(.prisonersDilemma) }, text: "{preset: prisoners_dilemma}")),
    ]
  }
}
