import AgoraCore

/// Parameters of a game that has a normal form (one stage as a bimatrix), which `agora solve` traces the quantal
/// response equilibria of.
public protocol NormalFormParameters {
  /// One stage of the game as a bimatrix.
  var normalForm: PayoffBimatrix { get }
}

extension MatrixParameters: NormalFormParameters {
  public var normalForm: PayoffBimatrix { matrix }
}

extension PrisonersDilemmaParameters: NormalFormParameters {
  /// The stage game: cooperate is the first action.
  public var normalForm: PayoffBimatrix {
    let x = payoffs
    return PayoffBimatrix(
      rowActions: ["cooperate", "defect"], columnActions: ["cooperate", "defect"], row: [[x.r, x.s], [x.t, x.p]],
      column: [[x.r, x.t], [x.s, x.p]], name: "prisoners_dilemma")
  }
}
