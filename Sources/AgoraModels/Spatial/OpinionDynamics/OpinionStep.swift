/// The opinions as measured after one step of the bounded-confidence model (step 0: the first opinions): their
/// clusters, spread and centre, how many pairs could still influence each other, and how much the step moved them.
public struct OpinionStep: Sendable, Hashable {
  public var step: Int
  /// Clusters of the sorted opinions (a gap above `cluster_gap` starts a new one), and those holding >= 1% of agents.
  public var clusters = 0
  public var majorClusters = 0
  public var largestShare = Double.nan
  /// Population variance and mean of the opinions.
  public var variance = Double.nan
  public var mean = Double.nan
  /// Share of the edges (the complete graph's pairs under random pairs) whose ends are within epsilon.
  public var withinShare = Double.nan
  /// The largest change of one agent's opinion in the step (0 at step 0).
  public var maxChange = 0.0
  /// Meetings in the step, and those in which an opinion moved (hk: every agent's update, and those that moved it).
  public var interactions = 0
  public var agreements = 0
}
