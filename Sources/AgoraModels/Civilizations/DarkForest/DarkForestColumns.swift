import AgoraCore

/// The columns the dark forest writes (summary, steps and segments) beyond the standard ones and its parameters;
/// `mean_payoff`, `gini`, `step` and `time` are the world's own. A civilization's total resources are its military,
/// technology, production and storage (all but consumption).
extension DarkForestRun {
  /// agents.csv: where each civilization lies (the z coordinate only in a 3-D galaxy) and what became of it; the map
  /// of civilizations in report.html draws them.
  static let positionColumns: [Column] = ["x", "y", "z"].map { axis in
    Column(
      "position_\(axis)", unit: "light-years",
      "the civilization's \(axis) coordinate, from 0 to `region`" + (axis == "z" ? " (3-D galaxies only)" : ""))
  }
  static let fateColumns: [Column] = [
    Column(
      "born_at", unit: Column.Unit.time,
      "the time the civilization was born (0: at the start); empty if not by the horizon"),
    Column("alive_at_end", "1 if the civilization is alive at the horizon, 0 if it ended; empty if never born"),
    Column("destroyed_by_strike", "1 if a strike destroyed the civilization, else 0; empty if never born"),
    Column("ever_broadcast", "1 if the civilization broadcast at least once, else 0; empty if never born"),
  ]

  /// trajectories.csv: the tracked civilizations at every sample.
  static let trajectoryColumns: [Column] =
    [
      Column("time", unit: Column.Unit.time, "the time of the sample (0, every `sample_interval`, the horizon)"),
      Column("civilization", .integer, "the civilization's id (its agent_id), from 0"),
      Column("segment", .string, "the civilization's segment: the world view it was born with"),
      Column(
        "worldview", .string,
        "the segment whose world view it holds at the sample: its own, or the last it switched to "
          + "(`worldview_switch_rate`)"),
      Column(
        "alive", .integer,
        "1 if born, not ended and consumption not beyond production plus storage at the sample's time (a collapse "
          + "counts at once, before the civilization's next event would find it), else 0"),
    ]
    + Resource.allCases.map { r in
      Column(
        "\(r)", unit: Column.Unit.payoff,
        "its \(r) at the sample's time (as it stood when it ended, for an ended one; empty if not yet born)")
    } + [
      Column(
        "at_war_with",
        "the id of the civilization it last launched a fleet at, or fought a battle with as attacker or defender, "
          + "in the time since the previous sample (up to and including this one); empty if none")
    ]

  public static let columns: [Column] =
    positionColumns + fateColumns + trajectoryColumns.map { $0.only(in: "trajectories") } + [
      // summary.csv
      Column(
        "civilizations", .integer, unit: Column.Unit.count,
        "civilizations in the galaxy (the population size), born or not"),
      Column(
        "born", .integer, unit: Column.Unit.count, "civilizations born by the horizon (at time 0 or at a Poisson time)"),
      Column(
        "alive", .integer, unit: Column.Unit.count,
        "civilizations alive at the horizon (steps.csv: at the sample's time)"),
      Column(
        "survival_rate", unit: Column.Unit.share, "share of the civilizations born by the horizon that are alive at it"),
      Column("annihilated", .integer, unit: Column.Unit.count, "born civilizations destroyed by a strike"),
      Column(
        "collapses", .integer, unit: Column.Unit.count,
        "civilizations that collapsed (consumption outgrew production plus storage)"),
      Column(
        "hawking_ratio",
        "annihilation_rate_broadcast / annihilation_rate_hidden; empty when the latter is 0 or undefined"),
      Column(
        "annihilation_rate_broadcast", unit: Column.Unit.share,
        "share of the born civilizations that ever broadcast that were destroyed by a strike"),
      Column(
        "annihilation_rate_hidden", unit: Column.Unit.share,
        "share of the born civilizations that never broadcast that were destroyed by a strike"),
      Column(
        "silent_fraction", unit: Column.Unit.share,
        "share of the living civilizations that never broadcast, at the horizon (steps.csv: at the sample's time)"),
      Column("strikes", .integer, unit: Column.Unit.count, "strikes launched (whole fleets sent)"),
      Column(
        "battles", .integer, unit: Column.Unit.count,
        "fleets that reached a living defender and fought it (Lanchester's square law)"),
      Column(
        "first_strike_success", unit: Column.Unit.share,
        "share of battles the attacker won (annihilating the defender); empty without battles"),
      Column(
        "largest_cooperating_group", .integer, unit: Column.Unit.count,
        "living civilizations in the largest group linked by accepted cooperation, at the last sample (steps.csv: at "
          + "the sample); 1 if none has a partner, 0 if none is alive"),
      Column(
        "alliances", .integer, unit: Column.Unit.count,
        "cooperation proposals accepted, both sides alive when the reply arrived"),
      Column(
        "gini", "Gini coefficient (population form) of the living civilizations' total resources at the horizon"),
      Column(
        "mean_staleness", unit: Column.Unit.time,
        "mean age (time since emission) of the contact's report over the decisions made knowing of a living contact"),
      Column(
        "decisions", .integer, unit: Column.Unit.count,
        "decision epochs: on the civilizations' own clocks and in reaction to news"),
      Column("broadcasts", .integer, unit: Column.Unit.count, "decisions to broadcast"),
      Column("hides", .integer, unit: Column.Unit.count, "decisions to hide (lower visibility)"),
      Column("leaks", .integer, unit: Column.Unit.count, "leaked emissions (signals sent without deciding to)"),
      Column(
        "detections", .integer, unit: Column.Unit.count,
        "signals that reached a living civilization: detected broadcasts and leaks, and news of strikes"),
      Column(
        "worldview_switches", .integer, unit: Column.Unit.count,
        "world views adopted in place of the one held (written when `worldview_switch_rate` > 0)"),
      Column(
        "breakthroughs", .integer, unit: Column.Unit.count,
        "technology breakthroughs (each multiplies a civilization's technology capacity by 1.5)"),
      Column(
        "mean_payoff", unit: Column.Unit.payoff,
        "mean over civilizations of their total resources at the horizon (0 for the ended and the unborn)"),
      // segments.csv
      Column("survivors", .integer, unit: Column.Unit.count, "born civilizations alive at the horizon"),
      Column(
        "broadcast_rate", unit: Column.Unit.share, "share of the born civilizations that broadcast at least once"),
      Column(
        "share_start", unit: Column.Unit.share,
        "the segment's share of the civilizations alive at time 0 (the first sample; 0 if none is)"),
      Column(
        "share_end", unit: Column.Unit.share,
        "the segment's share of the civilizations alive at the last sample (the horizon; 0 if none is)"),
      // steps.csv
      Column(
        "step", .integer,
        "the sample's index, from 0: samples at time 0, every `sample_interval` and at the horizon"),
      Column("time", unit: Column.Unit.time, "the time of the sample"),
    ]
}
