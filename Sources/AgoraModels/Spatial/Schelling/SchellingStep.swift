/// What one step of Schelling's model did and left: how many agents were happy when they acted, how many moved, and
/// the segregation measured when every agent had acted (step 0: the random placement, before anyone acted).
public struct SchellingStep: Sendable, Hashable {
  public var step: Int
  /// Agents with at least `homophily` like neighbours when they acted (at step 0: on the placement).
  public var happy = 0
  public var moves = 0
  /// The mean share of like neighbours, and the dissimilarity index over blocks, at the step's end.
  public var segregation = Double.nan
  public var dissimilarity = Double.nan
  /// The same, by segment (agent type).
  public var happyBySegment: [Int]
  public var movesBySegment: [Int]
  public var segregationBySegment: [Double]

  init(step: Int, segments: Int) {
    self.step = step
    happyBySegment = [Int](repeating: 0, count: segments)
    movesBySegment = [Int](repeating: 0, count: segments)
    segregationBySegment = [Double](repeating: .nan, count: segments)
  }
}
