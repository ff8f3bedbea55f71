import AgoraCore

/// The columns the commons writes (summary, steps, segments and `villages.csv`) beyond the standard ones and its
/// parameters; `efficiency`, `equality`, `mean_payoff`, `gini` and `stock` are the world's own.
extension CommonsRun {
  public static let columns: [Column] = [
    // summary.csv
    Column(
      "stock", unit: Column.Unit.payoff, "the village's stock at the end (what was left when it collapsed)"
    ).only(in: "villages"),
    Column(
      "villages", .integer, unit: Column.Unit.count,
      "villages: population_size / village_size rounded down, at least 1"),
    Column("survival_rate", unit: Column.Unit.share, "share of villages that had not collapsed at the end"),
    Column(
      "mean_survival_months", unit: "months",
      "mean over villages of the months survived: the month of collapse, or every month for a survivor"),
    Column("share_collapsed", unit: Column.Unit.share, "share of villages that collapsed (1 - survival_rate)"),
    Column("total_gain", unit: Column.Unit.payoff, "sum of the agents' gains: harvests taken minus fines"),
    Column(
      "efficiency",
      "total harvest taken / the sustainable maximum: villages x months x capacity/2 (doubling) or "
        + "x growth_rate x capacity/4 (logistic)"),
    Column(
      "over_usage_rate", unit: Column.Unit.share,
      "share of harvest requests asking more than the sustainable share floor(S/2)/n (S: the village's stock at "
        + "the month's start, n: its members); steps.csv: that month's"),
    Column("equality", "1 - Gini coefficient (population form) of the agents' gains, negative gains counted as 0"),
    Column("mean_gain", unit: Column.Unit.payoff, "mean gain per agent: harvests taken minus fines, over the run"),
    Column(
      "fines", unit: Column.Unit.payoff,
      "fines paid over the run: `fine` per unit above the quota of each audited harvest"),
    Column("droughts", .integer, unit: Column.Unit.count, "droughts that struck a village over the run"),
    Column(
      "departures", .integer, unit: Column.Unit.count,
      "agents who left their village to migrate, over the run (steps.csv: at that month's end)"),
    Column("arrivals", .integer, unit: Column.Unit.count, "migrants who reached a living village"),
    Column(
      "mean_payoff", unit: Column.Unit.payoff,
      "mean gain per agent over the run: harvests taken minus fines (the same as mean_gain)"),
    Column(
      "gini",
      "Gini coefficient (population form) of the agents' gains, empty if one is negative; steps.csv: of the gains "
        + "so far, negative ones counted as 0"),
    // segments.csv
    Column("harvests", .integer, unit: Column.Unit.count, "harvest requests the agents made over the run"),
    // steps.csv
    Column("villages_alive", .integer, unit: Column.Unit.count, "villages not collapsed at the month's end"),
    Column(
      "total_stock", unit: Column.Unit.payoff,
      "sum of the villages' stocks at the month's end, after regrowth and droughts (collapsed ones included)"),
    Column("harvested", unit: Column.Unit.payoff, "harvest taken in the month, before fines"),
    Column(
      "mean_quota", unit: Column.Unit.payoff,
      "mean over villages (collapsed ones included) of the per-agent quota voted for the next month"),
    Column("collapses", .integer, unit: Column.Unit.count, "villages that collapsed at the month's end"),
    // villages.csv
    Column("village", .integer, "the village's index, from 0").only(in: "villages"),
    // agents.csv
    villageColumn,
    Column("members", .integer, unit: Column.Unit.count, "agents in the village at the end (migrants away excluded)"),
    Column("survived", .integer, "1 if the village had not collapsed at the end, else 0"),
    Column(
      "survival_months", .integer, unit: "months",
      "the month (from 1) at whose end the village collapsed, or the number of months if it survived"),
    Column("quota", unit: Column.Unit.payoff, "the per-agent quota the village last voted"),
    Column("gain", unit: Column.Unit.payoff, "harvests taken from the village minus their fines, over the run"),
    // GovSim's metrics (summary.csv: the mean over villages of each village's, as villages.csv has them)
    Column(
      "govsim_efficiency", unit: Column.Unit.share,
      "GovSim's efficiency 1 - max(0, T f0 - R)/(T f0): R the village's harvest, T months, f0 = floor(stock/2); "
        + "summary.csv: mean over villages"),
    Column(
      "govsim_equality", unit: Column.Unit.share,
      "GovSim's equality: 1 - Gini (GovSim's form) of the village members' gains; summary.csv: mean over villages "
        + "where defined"),
    Column(
      "over_usage", unit: Column.Unit.share,
      "GovSim's over-usage: share of harvests of at least 1 above floor(floor(S/2)/n) (S: the stock at the month's "
        + "start, n: members); summary.csv: mean over villages where defined"),
    Column(
      "survival_time", unit: "months",
      "GovSim's survival time: mean over villages of the month of collapse, or every month for a survivor"),
    Column(
      "govsim_survival_rate", unit: Column.Unit.share,
      "GovSim's survival rate: share of villages whose survival time is the horizon (a collapse at the last "
        + "month's end counts as surviving)"),
  ]

  /// agents.csv's `village`: a number column, as agents.csv writes the model's values (a whole number here).
  static let villageColumn = Column(
    "village", "the agent's village at the end (its index in villages.csv, a whole number); empty while it travels"
  ).only(in: "agents")
}
