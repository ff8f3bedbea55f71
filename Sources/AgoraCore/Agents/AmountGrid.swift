import Foundation

/// The options of a choice of an amount: `count` evenly spaced points `0, h, ..., 1` of the amount's range (an
/// offer, a gift, a contribution, an amount sent or returned, as a share of what could be given).
///
/// The decoder weighs each option by its measure (``logWeights(focalMass:)``): the width of the range that rounds to
/// it (`h`, half of it at either end), so the logits are per unit of the amount and the choice has a continuous
/// limit, plus a point mass at the focal amounts (none, half, all) that does not depend on the grid. Refining the
/// grid then splits the same probability finer instead of spreading it: the chance of giving between 40% and 50%,
/// or of giving exactly nothing, is the same at steps of 1%, 5% and 10% up to the rounding of the continuous part.
public struct AmountGrid: Sendable, Hashable {
  /// The number of options (at least 2).
  public let count: Int

  public init(count: Int) {
    precondition(count >= 2, "an amount grid has at least two points")
    self.count = count
  }

  /// The focal options: none, half (the lower middle option on an odd number of steps) and all.
  public var focal: [Int] { [0, (count - 1) / 2, count - 1] }

  /// Each option's measure: its rounding width plus `focalMass` at a focal option.
  public func weights(focalMass: Double) -> [Double] {
    let h = 1 / Double(count - 1)
    var w = [Double](repeating: h, count: count)
    w[0] = h / 2
    w[count - 1] = h / 2
    for k in Set(focal) { w[k] += focalMass }
    return w
  }

  /// The logarithms of ``weights(focalMass:)``: what the decoder adds to the options' logits.
  public func logWeights(focalMass: Double) -> [Double] { weights(focalMass: focalMass).map { Foundation.log($0) } }
}
