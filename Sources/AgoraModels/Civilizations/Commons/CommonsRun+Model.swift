import AgoraCore

/// The commons as a model: villages, not pairs, and a village no larger than the population.
extension CommonsRun: Model {
  public typealias Parameters = CommonsParameters
  public static var type: GameType { .commons }
  public static var tables: [String] { ["villages"] }
  public static var story: [StoryChart] {
    [
      StoryChart(
        "Villages still alive, month by month", columns: ["villages_alive"],
        caption: "A village collapses when its lake falls below the threshold: the survival curve of the commons."),
      StoryChart(
        "The lakes' stock and the harvest, month by month", columns: ["total_stock", "harvested"],
        caption: "Over-harvesting shows as a stock that falls month after month."),
    ]
  }
  public static var matchings: [MatchingType] { [.none] }
  public static func run(_ setup: RunSetup) throws -> RunResult { runWorld(setup) }

  public static func check(_ spec: ScenarioSpec) throws(ScenarioIssue) {
    let size = parameters(spec).commons.villageSize
    guard size <= spec.population.size else {
      throw ScenarioIssue(
        path: "game.commons.village_size", value: "\(size)",
        message: "a village larger than the population (\(spec.population.size) agents); expected at most "
          + "\(spec.population.size)")
    }
  }
}

extension GameType {
  public static let commons: GameType = "commons"
}
