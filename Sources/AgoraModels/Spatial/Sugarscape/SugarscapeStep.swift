/// What one step of the Sugarscape left, measured after the cells grew back (step 0: the placement, before any move):
/// who is alive, their wealth (sugar held) and its inequality, and the traits selection acts on.
public struct SugarscapeStep: Sendable, Hashable {
  public var step: Int
  public var alive = 0
  /// Agents that starved in the step, and new agents that replaced them.
  public var deaths = 0
  public var births = 0
  /// Agents that moved to another cell in the step.
  public var moves = 0
  /// Sugar held by the living, together, and its Gini coefficient over them (NaN with nobody alive).
  public var totalWealth = 0
  public var gini = Double.nan
  /// Mean vision and metabolism of the living (NaN with nobody alive).
  public var meanVision = Double.nan
  public var meanMetabolism = Double.nan
  /// Alive at the step's end and deaths in it, by segment.
  public var aliveBySegment: [Int]
  public var deathsBySegment: [Int]

  init(step: Int, segments: Int) {
    self.step = step
    aliveBySegment = [Int](repeating: 0, count: segments)
    deathsBySegment = [Int](repeating: 0, count: segments)
  }

  /// Mean sugar held by the living (NaN with nobody alive).
  public var meanWealth: Double { alive > 0 ? Double(totalWealth) / Double(alive) : .nan }
}
