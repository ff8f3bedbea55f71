import AgoraCore

/// The polity as a model: a society, with its trades counted as events.
extension PolityRun: Model {
  public typealias Parameters = PolityParameters
  public static var type: GameType { .polity }
  public static var story: [StoryChart] {
    [
      StoryChart(
        "Opinions over time", columns: ["opinion_variance", "bimodality"],
        caption: "Bounded confidence on a small world: do opinions converge or split into camps?")
    ]
  }
  public static var matchings: [MatchingType] { [.none] }
  public static func run(_ setup: RunSetup) throws -> RunResult { runWorld(setup) }

  public static func eventsPerAgentRound(_ spec: ScenarioSpec) -> Double {
    Double(max(1, parameters(spec).polity.tradesPerPeriod))
  }
}

extension GameType {
  public static let polity: GameType = "polity"
}
