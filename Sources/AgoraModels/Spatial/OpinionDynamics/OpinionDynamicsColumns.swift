import AgoraCore

/// The columns the opinion-dynamics model writes (summary, steps, segments, `opinions.csv` and, on a network,
/// `edges.csv`) beyond the standard ones and its parameters.
extension OpinionDynamicsRun {
  public static let columns: [Column] = opinionColumns + Network.edgeColumns

  static let opinionColumns: [Column] = [
    // opinions.csv: every agent at the end
    Column("agent_id", .integer, "the agent's index in the population, from 0").only(in: "opinions"),
    Column("initial_opinion", "the agent's first opinion, in [0, 1]").only(in: "opinions"),
    Column("opinion", "the agent's opinion after the last step, in [0, 1]").only(in: "opinions"),
    Column(
      "cluster", .integer,
      "the agent's cluster at the end, numbered from 0 in increasing opinion (sorted opinions more than "
        + "cluster_gap apart start a new one)"
    ).only(in: "opinions"),
    // summary.csv and steps.csv
    Column(
      "edges", .integer, unit: Column.Unit.count,
      "edges of the network the agents are the nodes of; under random_pairs the n (n - 1) / 2 pairs of the "
        + "complete graph"),
    Column(
      "clusters", .integer, unit: Column.Unit.count,
      "opinion clusters: the opinions sorted, each gap above cluster_gap starts a new one (summary.csv: at the end; "
        + "steps.csv: after the step)"),
    Column(
      "major_clusters", .integer, unit: Column.Unit.count,
      "clusters holding at least 1% of the agents (summary.csv: at the end; steps.csv: after the step)"),
    Column(
      "largest_cluster_share", unit: Column.Unit.share,
      "share of the agents in the largest cluster (summary.csv: at the end; steps.csv: after the step)"),
    Column(
      "opinion_variance",
      "variance (population form) of the opinions (summary.csv: at the end; steps.csv: after the step; "
        + "segments.csv: of the segment's agents at the end)"),
    Column(
      "mean_opinion",
      "mean opinion (summary.csv: at the end; steps.csv: after the step; segments.csv: of the segment's agents at "
        + "the end); dw conserves it"),
    Column(
      "within_epsilon_share", unit: Column.Unit.share,
      "share of the network's edges (random_pairs: of all pairs of agents) whose two opinions are within epsilon, "
        + "the pairs that can still influence each other (summary.csv: at the end; steps.csv: after the step)"),
    Column(
      "max_change",
      "the largest change of one agent's opinion in the step (summary.csv: in the last step)"),
    Column(
      "converged_step", unit: Column.Unit.rounds,
      "the first step from which every step's largest change of an opinion stayed below tolerance; empty if the "
        + "last step's did not"),
    Column(
      "interactions", .integer, unit: Column.Unit.count,
      "meetings (dw, decoder; hk: neighbours each agent compared itself with) over the run (steps.csv: in the step)"),
    Column(
      "agreements", .integer, unit: Column.Unit.count,
      "meetings in which an opinion moved (hk: neighbours within epsilon that an agent averaged with) over the run "
        + "(steps.csv: in the step)"),
    Column(
      "mean_payoff", unit: Column.Unit.count,
      "mean over agents of the meetings in which they moved (hk: the neighbours within epsilon they averaged with); "
        + "agents.csv's payoff"),
    Column("initial_clusters", .integer, unit: Column.Unit.count, "clusters of the first opinions"),
    Column("initial_major_clusters", .integer, unit: Column.Unit.count, "major_clusters of the first opinions"),
    Column("initial_opinion_variance", "opinion_variance of the first opinions"),
    Column(
      "initial_mean_opinion",
      "mean of the first opinions (segments.csv: of the segment's agents)"),
    Column("initial_within_epsilon_share", unit: Column.Unit.share, "within_epsilon_share of the first opinions"),
  ]
}
