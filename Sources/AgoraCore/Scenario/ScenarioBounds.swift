import Foundation

/// The limits every scenario is held to, so that any value validation accepts runs to the end in finite time and
/// memory: integer conversions stay in range, grids and tables stay allocatable, and event counts stay countable.
///
/// Per-key ranges (a stake of at most ``amount``, a rate of at most ``rate``, ...) are checked where each key is
/// decoded; the checks that need several keys (events per run, rows per table, cells of the dark forest's grid,
/// prices per decision) are in ``ScenarioSpec/checkBounds()``.
public enum ScenarioBounds {
  /// The largest money-like amount (stake, values, capacity, fines): sums over 10^9 agents and 10^8 rounds of such
  /// amounts stay far from the largest double.
  public static let amount = 1e12
  /// The largest factor of the stake (a negotiation value, a buyer's value, a trust multiplier).
  public static let factor = 1e6
  /// The largest rate of events per agent per time unit, and the largest length in a space.
  public static let rate = 1e6
  /// The smallest positive length, speed or interval (below it, times and distances stop being representable).
  public static let tiny = 1e-9
  /// The largest length in the dark forest's space (its region, scales and radii).
  public static let length = 1e9
  /// The most events (decisions, wake-ups, orders, signals) a run may be expected to play: about a day on 2 cores.
  public static let events = 1e12
  /// The most rows a per-step table may have (steps.csv, sampled series), held in memory until written.
  public static let rows = 10_000_000
  /// The most cells of a spatial grid.
  public static let cells = 1 << 22
  /// The most options one decision may have (prices, offers).
  public static let options = 100_000
}

extension ScenarioSpec {
  /// About how many events a run plays: decisions for round-based games (times the stages of a match), wake-ups of
  /// asynchronous matching, orders of a double auction, decision epochs and signals of the dark forest.
  public var expectedEvents: Double {
    let n = Double(population.size)
    var perAgent = ModelRegistry.entry(game.type).eventsPerAgentRound(self)
    if matching.type == .asynchronous { perAgent *= matching.rate }
    if matching.type == .roundRobin { perAgent *= n }
    return n * perAgent * Double(game.rounds)
  }

  /// The rows of the per-step table: one per round, one per sample interval of a continuous-time run, or what the
  /// model says it samples.
  public var stepRows: Double {
    if let rows = ModelRegistry.entry(game.type).stepRows(self) { return rows.rows }
    let horizon = Double(game.rounds)
    if matching.type == .asynchronous { return horizon / matching.sampleInterval }
    return horizon
  }

  /// Throws when the scenario, though every key is in range, would play more than ``ScenarioBounds/events``
  /// events, write more than ``ScenarioBounds/rows`` rows per step table, need a grid of more than
  /// ``ScenarioBounds/cells`` cells or offer more than ``ScenarioBounds/options`` prices.
  func checkBounds() throws(ScenarioIssue) {
    let events = expectedEvents
    guard events <= ScenarioBounds.events else {
      throw ScenarioIssue(
        path: "game.rounds", value: String(game.rounds),
        message:
          "with \(population.size) agents and these rates this run would play about \(String(format: "%.3g", events)) "
          + "events; at most \(String(format: "%g", ScenarioBounds.events)) are allowed (about a day of computing): "
          + "fewer rounds, agents or events per agent")
    }
    let rows = stepRows
    guard rows <= Double(ScenarioBounds.rows) else {
      let key =
        ModelRegistry.entry(game.type).stepRows(self)?.key
        ?? (matching.type == .asynchronous ? "matching.sample_interval" : "game.rounds")
      throw ScenarioIssue(
        path: key,
        message: "the run would write about \(String(format: "%.3g", rows)) rows of steps; at most "
          + "\(ScenarioBounds.rows) are allowed: a longer sample interval or fewer rounds")
    }
    try ModelRegistry.entry(game.type).check(self)
  }
}
