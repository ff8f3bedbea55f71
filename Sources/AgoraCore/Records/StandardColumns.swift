/// The columns every model shares, declared once: identifiers, the summary's header, the inequality metrics, the
/// first columns of the steps and segments tables, `agents.csv` and `events.csv`. A model's own declaration of a
/// name (a world's `efficiency`) takes precedence over these.
public enum StandardColumns {
  /// `run_index` and `seed`, first on every row of every table.
  public static let identifiers: [Column] = [
    Column("run_index", .integer, "the run's index in its sweep (0 for a single run)"),
    Column("seed", .integer, "the run's seed, below 2^53 for sweep runs; the run is reproduced from it alone"),
  ]

  /// The summary's first columns, which every model writes.
  public static let header: [Column] = [
    Column("run_id", .string, "`<scenario>/seed-<seed>`: the run's name"),
    Column("scenario", .string, "the scenario's name"),
    Column("game", .string, "the model that ran (`game.type`)"),
    Column("matching", .string, "how agents were matched (`none` for worlds)"),
    Column("population_size", .integer, unit: Column.Unit.count, "agents in the population"),
    Column("rounds", .integer, unit: Column.Unit.rounds, "rounds (months, periods) simulated"),
  ]

  /// The outcome columns of payoffs that most models write.
  public static let payoffs: [Column] = [
    Column("mean_payoff", unit: Column.Unit.payoff, "mean payoff per agent over the run"),
    Column("total_payoff", unit: Column.Unit.payoff, "sum of every agent's payoff"),
  ]

  /// The inequality metrics of the agents' payoffs (``Inequality/all(_:)``); undefined (empty) when a payoff is
  /// negative.
  public static let inequality: [Column] = [
    Column("gini", "Gini coefficient of payoffs (population form, 0 = equal)"),
    Column("gini_sample", "Gini coefficient with the n/(n-1) small-sample correction"),
    Column("equality", "1 - gini_sample"),
    Column("theil_t", "Theil's T index of payoffs (GE(1))"),
    Column("theil_l", "Theil's L index, the mean log deviation (GE(0))"),
    Column("atkinson_0_5", "Atkinson index with inequality aversion 0.5"),
    Column("atkinson_1", "Atkinson index with inequality aversion 1"),
    Column("atkinson_2", "Atkinson index with inequality aversion 2"),
    Column("jain", "Jain's fairness index (1 = equal, 1/n = one agent has all)"),
    Column("hoover", "Hoover (Robin Hood) index: the share of payoff to move to make all equal"),
    Column("nash_welfare", unit: Column.Unit.payoff, "Nash social welfare: the geometric mean of payoffs"),
    Column("min_share", unit: Column.Unit.share, "the smallest agent's share of the total payoff"),
    Column("max_share", unit: Column.Unit.share, "the largest agent's share of the total payoff"),
  ]

  /// The first columns of `steps.csv` after the identifiers.
  public static let steps: [Column] = [
    Column("step", .integer, unit: Column.Unit.rounds, "the round (month, period) the row describes, from 1"),
    Column("time", unit: Column.Unit.time, "the scheduler's time at the end of the step"),
  ]

  /// The columns of `segments.csv` every model writes: after the identifiers `segment`, `agents`, `share`; the
  /// means of the latent preferences come last.
  public static let segments: [Column] =
    [
      Column("segment", .string, "the population segment's name"),
      Column("agents", .integer, unit: Column.Unit.count, "agents in the segment"),
      Column("share", unit: Column.Unit.share, "the segment's share of the population, as declared"),
      Column("policy", .string, "how the segment decides: `decoder`, `llm`, or its fixed strategy's name"),
      Column("model", .string, "the language model a `policy: llm` segment asks (its `llm.model`); empty for others"),
    ] + Preference.allCases.map { Column("mean_\($0.name)", "mean \($0.name) of the segment's agents: \($0.meaning)") }

  /// The columns of `agents.csv`, one row per agent with its final state.
  public static let agents: [Column] =
    identifiers + [
      Column("agent_id", .integer, "the agent's index in the population, from 0"),
      Column("segment", .string, "the agent's segment"),
    ] + Preference.allCases.map { Column($0.name, "the agent's \($0.name): \($0.meaning)") } + [
      Column("payoff", unit: Column.Unit.payoff, "the agent's total payoff over the run"),
      Column("interactions", .integer, unit: Column.Unit.count, "interactions (matches, decisions) the agent had"),
    ]

  /// The columns of `agent_steps.csv` (`output.agent_steps`): one row per agent at each step asked for; the values
  /// follow (``agentStepValues``), those the scenario lists.
  public static let agentSteps: [Column] =
    identifiers + [
      Column(
        "step", .integer, unit: Column.Unit.rounds, "the round (or sampling interval) after which the row was taken"),
      Column("agent_id", .integer, "the agent's index in the population, from 0"),
      Column("segment", .string, "the agent's segment"),
    ]

  /// The per-agent values `agent_steps.csv` may hold, by name.
  public static let agentStepValues: [AgentSteps.Value: Column] = [
    .payoff: Column("payoff", unit: Column.Unit.payoff, "the agent's payoff so far"),
    .interactions: Column("interactions", .integer, unit: Column.Unit.count, "the agent's interactions so far"),
  ]

  /// `time`, first after the identifiers on every row of `events.csv`.
  public static let eventTime = Column("time", unit: Column.Unit.time, "when the interaction happened")

  /// The event columns of an offer and its answer (``Interaction``'s offer fields): what the division games, trust,
  /// bargaining and negotiation log, and what a model that logs events without declaring its own
  /// ``Model/eventColumns`` logs.
  public static let offers: [Column] = [
    Column("proposer", .integer, "the proposer's agent id"),
    Column("responder", .integer, "the responder's agent id"),
    Column("offer", unit: Column.Unit.payoff, "the amount offered to the responder"),
    Column("accepted", .integer, "1 if the responder accepted (always 1 in the dictator game), else 0"),
    Column("proposer_payoff", unit: Column.Unit.payoff, "what the proposer earned"),
    Column("responder_payoff", unit: Column.Unit.payoff, "what the responder earned"),
  ]

  /// The columns of an `events.csv` whose rows hold the event columns `own`: the identifiers, `time`, then `own`.
  public static func eventTable(_ own: [Column]) -> [Column] { identifiers + [eventTime] + own }

  /// The columns of `events.csv` of offers and answers: one row per interaction of a division game, trust,
  /// bargaining or negotiation (`output.events: true`).
  public static let events: [Column] = eventTable(offers)

  /// The block `docs/columns.md` holds for the standard columns (`agora list --columns standard`), by table.
  public static var docBlock: String {
    let groups: [(String, [Column])] = [
      ("Every table starts with", identifiers), ("`summary.csv` then has", header + payoffs),
      ("Inequality of the agents' payoffs, in `summary.csv` (and `gini` in steps and segments)", inequality),
      ("`steps.csv` rows start with (after the identifiers)", steps),
      ("`segments.csv` rows start with (after the identifiers; the preference means come last)", segments),
      ("`agents.csv`", agents),
      (
        "`events.csv` (`output.events: true`) of the division games, trust, bargaining and negotiation (the other "
          + "games' own event columns are listed with them)", events
      ),
      ("`summary.csv` of a run with `policy: llm` segments adds", LanguageModelUsage.columns),
    ]
    let body = groups.map { "\($0.0):\n\n\(Column.markdownTable($0.1))" }.joined(separator: "\n\n")
    return "<!-- generated: agora list --columns standard -->\n\(body)\n<!-- end generated -->"
  }

  /// Every shared column of the summary, steps and segments tables, by name (a model's own declaration wins).
  static let shared: [String: Column] = {
    var all: [String: Column] = [:]
    for column in identifiers + header + payoffs + inequality + steps + segments + LanguageModelUsage.columns
    where all[column.name] == nil {
      all[column.name] = column
    }
    return all
  }()
}
