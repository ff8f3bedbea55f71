import AgoraCore
import Foundation

/// The opinion-dynamics model as a model: agents on the network of `matching: {type: network}` (the default), or
/// well mixed under `random_pairs`.
extension OpinionDynamicsRun: Model {
  public typealias Parameters = OpinionDynamicsParameters
  public static var type: GameType { .opinionDynamics }
  public static var tables: [String] { ["opinions", "edges"] }
  public static var story: [StoryChart] {
    [
      StoryChart(
        "Opinion clusters, step by step", columns: ["major_clusters", "clusters"],
        caption: "Bounded confidence splits opinions into about 1/(2 epsilon) clusters (Deffuant et al. 2000)."),
      StoryChart(
        "Opinion spread, step by step",
        columns: ["opinion_variance", "largest_cluster_share", "within_epsilon_share"],
        caption: "Variance falls as clusters tighten; the pairs within epsilon are those that can still meet."),
    ]
  }
  public static var matchings: [MatchingType] { [.network, .randomPairs] }
  public static func run(_ setup: RunSetup) throws -> RunResult { runWorld(setup) }

  public static func check(_ spec: ScenarioSpec) throws(ScenarioIssue) {
    try spec.refuseLanguageModels(unless: parameters(spec).rule == .decoder, ruleName: "dw or hk rule")
  }

  /// Meetings (decisions under the decoder rule, two a meeting) per agent and step; `hk`: the neighbours an agent
  /// reads (the complete graph is sorted, about log2 n an agent).
  public static func eventsPerAgentRound(_ spec: ScenarioSpec) -> Double {
    let p = parameters(spec)
    let n = Double(max(1, spec.population.size))
    switch p.rule {
    case .dw: return Double(p.interactions(agents: spec.population.size)) / n
    case .decoder: return 2 * Double(p.interactions(agents: spec.population.size)) / n
    case .hk:
      return spec.matching.type == .network
        ? max(1, 2 * spec.matching.network.edges(nodes: spec.population.size) / n) : max(1, log2(n))
    }
  }

  public static func stepRows(_ spec: ScenarioSpec) -> (rows: Double, key: String)? {
    ((Double(spec.game.rounds) / Double(parameters(spec).sampleEvery)).rounded(.up), "game.sample_every")
  }

  /// The run's memory beyond the process, in bytes: per agent the preference record, segment and its row of
  /// agents.csv (about 160), its opinions, scratch and counters (about 80) and its row of opinions.csv (about 220);
  /// per edge of the network its two stored ends and what drawing it holds at once (about 64); per sampled step its
  /// record and row.
  public static func estimatedBytes(_ spec: ScenarioSpec) -> Double {
    let n = Double(spec.population.size)
    let edges = spec.matching.type == .network ? spec.matching.network.edges(nodes: spec.population.size) : 0
    return 460 * n + 64 * edges + 400 * (stepRows(spec)?.rows ?? 0)
  }
}

extension OpinionDynamicsRun: World {
  func result(_ spec: ScenarioSpec, runIndex: Int, seconds: Double) -> RunResult {
    Experiment.result(of: self, spec: spec, runIndex: runIndex, seconds: seconds)
  }
}

extension GameType {
  public static let opinionDynamics: GameType = "opinion_dynamics"
}
