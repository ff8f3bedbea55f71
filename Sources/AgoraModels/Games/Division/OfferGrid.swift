import AgoraCore

/// The offers `0, step, 2*step, ..., stake` of a game that divides or sends a stake, as shares of the stake.
public struct OfferGrid: Sendable, Hashable {
  public var stake: Double
  public var step: Double

  public init(stake: Double, step: Double) {
    self.stake = stake
    self.step = step
  }

  /// The number of offers on the grid.
  public var count: Int { Int((stake / step).rounded()) + 1 }

  /// The offers as shares of the stake: `0, 1/(k-1), ..., 1` for `count` k.
  public var shares: [Double] {
    let k = count
    return (0..<k).map { Double($0) / Double(k - 1) }
  }
}
