import AgoraCore

/// The columns Schelling's model writes (summary, steps and segments) beyond the standard ones and its parameters.
extension SchellingRun {
  public static let columns: [Column] = [
    // cells.csv: the grid at the end
    Column("agent_id", .integer, "the agent's index in the population, from 0").only(in: "cells"),
    Column("x", .integer, "the agent's column on the grid at the end, from 0 (left)").only(in: "cells"),
    Column("y", .integer, "the agent's row on the grid at the end, from 0 (top)").only(in: "cells"),
    // summary.csv
    Column("cells", .integer, unit: Column.Unit.count, "cells of the grid: width x height"),
    Column(
      "density", unit: Column.Unit.share,
      "the share of cells occupied: population_size / cells (as the density key sets it, or taken from the population)"
    ),
    Column(
      "happy_share", unit: Column.Unit.share,
      "share of the agents that had at least `homophily` neighbours of their own type when they acted in the step "
        + "(Mesa's happy count over the agents); summary.csv and segments.csv: in the last step"),
    Column(
      "moves", .integer, unit: Column.Unit.count,
      "agents that moved in the step (summary.csv: in the last step; 0 once the grid has settled)"),
    Column(
      "total_moves", .integer, unit: Column.Unit.count,
      "moves over the run (segments.csv: by the segment's agents)"),
    Column(
      "segregation_index", unit: Column.Unit.share,
      "mean, over the agents with at least one neighbour, of the share of their neighbours of their own type, when "
        + "every agent had acted (summary.csv: at the end; segments.csv: over the segment's agents)"),
    Column(
      "dissimilarity_index",
      "dissimilarity index over the grid's block x block blocks: sum_b sum_k abs(n_bk - t_b P_k) / (2 N I), "
        + "I = sum_k P_k (1 - P_k) (Duncan's index with two types); 0: blocks mix as the grid does, 1: no block mixes "
        + "(summary.csv: at the end; empty with one type)"),
    Column("initial_happy_share", unit: Column.Unit.share, "happy_share of the random placement, before any step"),
    Column(
      "initial_segregation_index", unit: Column.Unit.share, "segregation_index of the random placement, before any step"
    ),
    Column("initial_dissimilarity_index", "dissimilarity_index of the random placement, before any step"),
    Column(
      "settled_step", unit: Column.Unit.rounds,
      "the first step in which no agent moved (every later step is the same); empty if every step had moves"),
    Column(
      "mean_payoff", unit: Column.Unit.rounds,
      "mean over agents of the steps in which they were happy when they acted (an agent's payoff in agents.csv)"),
  ]
}
