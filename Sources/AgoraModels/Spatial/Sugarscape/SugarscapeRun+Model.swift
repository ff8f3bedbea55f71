import AgoraCore

/// The Sugarscape as a model: a grid, not pairs, holding the whole population one agent a cell.
extension SugarscapeRun: Model {
  public typealias Parameters = SugarscapeParameters
  public static var type: GameType { .sugarscape }
  public static var tables: [String] { ["cells", "lorenz"] }
  public static var story: [StoryChart] {
    [
      StoryChart(
        "Agents alive, step by step", columns: ["alive"],
        caption: "Under growback G1 and movement M the population falls to the landscape's carrying capacity and "
          + "stays there (Epstein & Axtell 1996, ch. II)."),
      StoryChart(
        "Wealth inequality among the living", columns: ["wealth_gini"],
        caption: "The Gini coefficient of the sugar the living hold: the wealth distribution grows skewed."),
      StoryChart(
        "Selection: mean vision and metabolism of the living", columns: ["mean_vision", "mean_metabolism"],
        caption: "Agents who see far and burn little survive: mean vision rises, mean metabolism falls."),
    ]
  }
  public static var matchings: [MatchingType] { [.none] }
  public static func run(_ setup: RunSetup) throws -> RunResult { runWorld(setup) }

  public static func check(_ spec: ScenarioSpec) throws(ScenarioIssue) {
    let p = parameters(spec)
    let n = spec.population.size
    let cells = p.width * p.height
    guard n <= cells else {
      throw ScenarioIssue(
        path: "population.size", value: "\(n)",
        message: "\(n) agents do not fit one a cell on a \(p.width) x \(p.height) grid (\(cells) cells); expected "
          + "at most \(cells), or a larger grid (game.width, game.height)")
    }
    try spec.refuseLanguageModels(unless: p.rule != .classic, ruleName: "classic rule")
  }

  /// The run's memory beyond the process, in bytes: per agent the preference record, segment, grid links, traits,
  /// accounts and its rows of agents.csv and cells.csv (about 300); per cell the grid's lists and the sugar (24); per
  /// step its record and row.
  public static func estimatedBytes(_ spec: ScenarioSpec) -> Double {
    let p = parameters(spec)
    let types = Double(spec.population.segments.count)
    let cells = Double(p.width) * Double(p.height)
    return 300 * Double(spec.population.size) + 24 * cells + (200 + 16 * types) * Double(p.rounds)
      + 64 * Double(p.lorenzPoints)
  }
}

extension SugarscapeRun: World {
  func result(_ spec: ScenarioSpec, runIndex: Int, seconds: Double) -> RunResult {
    Experiment.result(of: self, spec: spec, runIndex: runIndex, seconds: seconds)
  }
}

extension GameType {
  public static let sugarscape: GameType = "sugarscape"
}
