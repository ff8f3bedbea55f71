import AgoraCore

/// Schelling's model as a model: a grid, not pairs, holding the whole population with at least one cell to spare.
extension SchellingRun: Model {
  public typealias Parameters = SchellingParameters
  public static var type: GameType { .schelling }
  public static var tables: [String] { ["cells"] }
  public static var story: [StoryChart] {
    [
      StoryChart(
        "Happiness and segregation, step by step",
        columns: ["happy_share", "segregation_index", "dissimilarity_index"],
        caption: "Mild preferences for similar neighbours, moved on one at a time, sort the grid (Schelling 1971).")
    ]
  }
  public static var matchings: [MatchingType] { [.none] }
  public static func run(_ setup: RunSetup) throws -> RunResult { runWorld(setup) }

  public static func check(_ spec: ScenarioSpec) throws(ScenarioIssue) {
    let p = parameters(spec)
    let n = spec.population.size
    let cells = p.width * p.height
    guard n < cells else {
      throw ScenarioIssue(
        path: "population.size", value: "\(n)",
        message: "\(n) agents on a \(p.width) x \(p.height) grid (\(cells) cells) leave no empty cell to move to; "
          + "expected at most \(cells - 1), or a larger grid (game.width, game.height)")
    }
    if p.density > 0 {
      let placed = Int((p.density * Double(cells)).rounded())
      guard placed == n else {
        throw ScenarioIssue(
          path: "game.density", value: p.density.valueText,
          message: "density \(p.density.valueText) on \(cells) cells places \(placed) agents, but population.size is "
            + "\(n); expected population.size: \(placed), or density: 0 (taken from the population)")
      }
    }
    try spec.refuseLanguageModels(unless: p.rule != .threshold, ruleName: "threshold rule")
  }

  /// The run's memory beyond the process, in bytes: per agent the preference record, segment, grid links, counters
  /// and its row of agents.csv (about 160); per cell the grid's lists and the neighbour counts of every type (2 bytes
  /// a type); per step its record.
  public static func estimatedBytes(_ spec: ScenarioSpec) -> Double {
    let p = parameters(spec)
    let types = Double(spec.population.segments.count)
    let cells = Double(p.width) * Double(p.height)
    return 160 * Double(spec.population.size) + (24 + 2 * types) * cells + 64 * (types + 4) * Double(p.rounds)
  }
}

extension SchellingRun: World {
  func result(_ spec: ScenarioSpec, runIndex: Int, seconds: Double) -> RunResult {
    Experiment.result(of: self, spec: spec, runIndex: runIndex, seconds: seconds)
  }
}

extension GameType {
  public static let schelling: GameType = "schelling"
}
