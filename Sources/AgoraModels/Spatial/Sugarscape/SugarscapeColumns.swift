import AgoraCore

/// The columns the Sugarscape writes (summary, steps, segments, agents and its tables) beyond the standard ones and
/// its parameters.
extension SugarscapeRun {
  /// agents.csv: each agent's vision, metabolism and the step it starved at.
  static let visionColumn = Column(
    "vision", unit: "cells", "the agent's vision: cells it sees in each of the four lattice directions")
  static let metabolismColumn = Column(
    "metabolism", unit: Column.Unit.payoff, "the sugar the agent burns per step")
  static let deathColumn = Column(
    "death_step", unit: Column.Unit.rounds,
    "the step the agent starved at; empty if it is alive at the end (with replacement: the agent now in its place)")

  public static let columns: [Column] = [
    visionColumn, metabolismColumn, deathColumn,
    // cells.csv: the living at the end
    Column("agent_id", .integer, "the agent's index in the population, from 0").only(in: "cells"),
    Column("x", .integer, "the agent's column on the grid at the end, from 0 (left)").only(in: "cells"),
    Column("y", .integer, "the agent's row on the grid at the end, from 0 (top)").only(in: "cells"),
    Column("wealth", .integer, unit: Column.Unit.payoff, "the sugar the agent holds at the end").only(in: "cells"),
    // lorenz.csv: the Lorenz curve of wealth at the end
    Column(
      "agent_share", unit: Column.Unit.share, "a share of the living agents, the poorest first (0, 1/k, ..., 1)"
    ).only(in: "lorenz"),
    Column(
      "wealth_share", unit: Column.Unit.share,
      "the share of all sugar held by the poorest agent_share of the living at the end (the Lorenz curve, linear "
        + "between agents); empty with nobody alive"
    ).only(in: "lorenz"),
    // summary.csv, steps.csv and segments.csv
    Column("cells", .integer, unit: Column.Unit.count, "cells of the grid: width x height"),
    Column(
      "alive", .integer, unit: Column.Unit.count,
      "agents alive at the end of the step (summary.csv and segments.csv: at the end)"),
    Column(
      "deaths", .integer, unit: Column.Unit.count,
      "agents that starved in the step (summary.csv and segments.csv: over the run)"),
    Column(
      "births", .integer, unit: Column.Unit.count,
      "new agents that replaced the starved in the step, with replacement (summary.csv: over the run)"),
    Column("moves", .integer, unit: Column.Unit.count, "agents that moved to another cell in the step"),
    Column("total_moves", .integer, unit: Column.Unit.count, "moves over the run"),
    Column(
      "total_wealth", .integer, unit: Column.Unit.payoff,
      "sugar held by the living at the end of the step (summary.csv: at the end)"),
    Column(
      "mean_wealth", unit: Column.Unit.payoff,
      "mean sugar held by the living at the end of the step (summary.csv and segments.csv: at the end)"),
    Column(
      "wealth_gini",
      "Gini coefficient of the sugar held by the living at the end of the step (summary.csv: at the end; empty with "
        + "nobody alive)"),
    Column(
      "mean_vision", unit: "cells",
      "mean vision of the living at the end of the step (summary.csv and segments.csv: at the end)"),
    Column(
      "mean_metabolism", unit: Column.Unit.payoff,
      "mean metabolism of the living at the end of the step (summary.csv and segments.csv: at the end)"),
    Column("initial_wealth_gini", "wealth_gini of the initial endowments, before any step"),
    Column("initial_mean_vision", unit: "cells", "mean vision of the agents placed, before any step"),
    Column(
      "initial_mean_metabolism", unit: Column.Unit.payoff, "mean metabolism of the agents placed, before any step"),
    Column(
      "carrying_capacity", unit: Column.Unit.count,
      "mean number alive over the second half of the steps (steps > rounds / 2): the population the landscape "
        + "sustains once it has settled"),
    Column(
      "last_death_step", unit: Column.Unit.rounds,
      "the last step in which an agent starved (without replacement the population is constant after it); empty if "
        + "none starved"),
    Column(
      "landscape_sugar", .integer, unit: Column.Unit.payoff, "sugar on all cells together at the end, after growback"),
    Column(
      "mean_payoff", unit: Column.Unit.payoff,
      "mean over agents.csv's agents of their payoff: the sugar held at the end, 0 for an agent that starved"),
  ]
}
