import AgoraCore

/// The dark forest as a model: a galaxy, events counted in decision epochs and signals, steps per sample interval,
/// and a spatial grid of bounded size.
extension DarkForestRun: Model {
  public typealias Parameters = DarkForestParameters
  public static var type: GameType { .darkForest }
  public static var story: [StoryChart] {
    [
      StoryChart(
        "Civilizations alive, by world view", columns: ["alive_*"],
        caption: "Who survives the dark forest: one line per segment (world view).")
    ]
  }
  public static var matchings: [MatchingType] { [.none] }
  public static var tables: [String] { ["trajectories"] }
  public static func run(_ setup: RunSetup) throws -> RunResult { runWorld(setup) }

  public static func eventsPerAgentRound(_ spec: ScenarioSpec) -> Double {
    parameters(spec).darkForest.eventsPerCivilization(horizon: Double(spec.game.rounds))
  }

  public static func stepRows(_ spec: ScenarioSpec) -> (rows: Double, key: String)? {
    (Double(spec.game.rounds) / parameters(spec).darkForest.sampleInterval, "game.dark_forest.sample_interval")
  }

  public static func check(_ spec: ScenarioSpec) throws(ScenarioIssue) {
    let d = parameters(spec).darkForest
    let segments = spec.population.segments.count
    guard d.worldviewSwitchRate == 0 || segments <= 256 else {
      throw ScenarioIssue(
        path: "game.dark_forest.worldview_switch_rate", value: "\(d.worldviewSwitchRate)",
        message: "world views can change among at most 256 segments; this population has \(segments)")
    }
    let cells = d.gridCells
    guard cells <= Double(ScenarioBounds.cells) else {
      throw ScenarioIssue(
        path: "game.dark_forest.region", value: "\(d.region)",
        message:
          "a region this much larger than the detection scale (cells of max(7 x detection_scale, reveal_radius)) "
          + "needs \(String(format: "%.3g", cells)) grid cells; at most \(ScenarioBounds.cells): "
          + "a smaller region or a larger detection_scale or reveal_radius")
    }
  }
}

extension GameType {
  public static let darkForest: GameType = "dark_forest"
}
