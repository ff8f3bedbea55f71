import AgoraCore

/// The columns the polity writes (summary, steps and segments) beyond the standard ones and its parameters;
/// `equality`, `mean_payoff` and `gini` are the world's own. Coin is the payoff; opinions are tastes for
/// redistribution, in [0, 1].
extension PolityRun {
  public static let columns: [Column] = [
    // summary.csv
    Column("households", .integer, unit: Column.Unit.count, "households in the society (the population size)"),
    Column(
      "productivity", unit: Column.Unit.payoff,
      "pre-tax coin earned by all households over the run (skill x labour x the output's value); steps.csv: in the "
        + "period"),
    Column(
      "equality", "1 - Gini coefficient (population form) of the households' post-tax coin, negatives counted as 0"),
    Column(
      "equality_x_productivity", unit: Column.Unit.payoff,
      "equality x productivity: the AI Economist's social-welfare objective"),
    Column(
      "trade_volume", unit: "units of good A",
      "units of good A exchanged for good B over the run; steps.csv: in the period"),
    Column(
      "trades", .integer, unit: Column.Unit.count,
      "exchanges of at most one unit of good A, each at its own price, over the run"),
    Column(
      "mean_price", unit: "good B per unit of good A",
      "mean price of the exchanges over the run (steps.csv: the period's); empty without any"),
    Column(
      "price_dispersion",
      "coefficient of variation (sample standard deviation / mean) of the exchange prices over the run "
        + "(steps.csv: the period's); empty below two"),
    Column(
      "opinion_variance",
      "variance (population form) of the households' opinions at the end (steps.csv: at the period's end); empty "
        + "with 3 households or fewer"),
    Column(
      "bimodality",
      "Sarle's coefficient (skewness^2 + 1) / kurtosis of the opinions at the end (steps.csv: at the period's end), "
        + "above 5/9 suggesting two camps; empty if all are equal or with 3 households or fewer"),
    Column(
      "schedule", .integer,
      "the index into `schedules` of the tax schedule in force at the end (steps.csv: at the period's end)"),
    Column("top_rate", unit: Column.Unit.share, "the top bracket's marginal rate in the schedule in force at the end"),
    Column(
      "mean_labour", unit: Column.Unit.share,
      "mean labour chosen over all households and periods, as a fraction of full time (0, 0.25, ..., 1)"),
    Column(
      "tax_revenue", unit: Column.Unit.payoff, "income tax collected over the run (all of it rebated in equal shares)"),
    Column(
      "mrs_crossings", .integer, unit: Column.Unit.count,
      "exchanges after which the buyer's marginal rate of substitution fell below the seller's (0 by construction)"),
    Column(
      "mean_payoff", unit: Column.Unit.payoff,
      "mean coin per household: post-tax income plus rebates of the completed tax years"),
    Column(
      "gini",
      "Gini coefficient (population form) of the households' post-tax coin; steps.csv: of post-tax coin plus the "
        + "current tax year's pre-tax income, at the period's end, negatives counted as 0"),
    // segments.csv
    Column("mean_opinion", "mean opinion (taste for redistribution, in [0, 1]) of the households at the end"),
  ]
}
