/// Counts of a dark-forest run.
public struct DarkForestCounts: Sendable {
  public var born = 0, decisions = 0, informedDecisions = 0, broadcasts = 0, hides = 0, leaks = 0, detections = 0
  public var requests = 0, requestsAnswered = 0, alliances = 0, strikes = 0, battles = 0, strikesWon = 0
  public var collapses = 0, breakthroughs = 0
  /// World views adopted in place of the one held (``DarkForestRun/reconsider(_:stream:nature:)``).
  public var worldviewSwitches = 0
  public var staleness = 0.0
}
