import AgoraCore

/// The prisoner's dilemma's parameters: the stage payoffs, the stages of a match, and noise.
public struct PrisonersDilemmaParameters: ModelParameters {
  public var rounds = 1
  /// The stage payoffs.
  public var payoffs = PayoffMatrix()
  /// Stages per match (1: one-shot).
  public var horizon = 1
  /// If > 0, after each stage the match goes on with this probability (instead of `horizon`).
  public var continuation = 0.0
  /// The probability that a chosen move is flipped (a trembling hand).
  public var noise = 0.0

  public init() {}

  public static var parameters: [Parameter<Self>] {
    [
      .rounds(\.rounds),
      Parameter(
        "payoffs", \.payoffs, allowed: "{T, R, P, S} with T > R > P > S", doc: "the stage payoffs",
        default: ({ _ in PayoffMatrix() }, text: "{T: 5, R: 3, P: 1, S: 0}")),
      Parameter("horizon", \.horizon, allowed: "an integer from 1 to 100000", doc: "stages per match") { x, _ in
        (1...100_000).contains(x)
      },
      Parameter(
        "continuation", \.continuation, allowed: "a probability in [0, 1)",
        doc: "if > 0, a match goes on after each stage with this probability (instead of `horizon`)"
      ) { x, _ in x >= 0 && x < 1 },
      Parameter(
        "noise", \.noise, allowed: "a probability in [0, 0.5]", doc: "the probability that a chosen move flips"
      ) { x, _ in x >= 0 && x <= 0.5 },
    ]
  }
}
