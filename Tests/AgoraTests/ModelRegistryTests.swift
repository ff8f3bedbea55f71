import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraLanguageModel
@testable import AgoraModels
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

/// A coordination game registered from outside the built-in list, as a program that depends on Agora would: both
/// players pick A or B and earn `payoff` when they match.
struct Coordination: MatchGame {
  struct Parameters: ModelParameters {
    var rounds = 1
    var payoff = 2.0

    static var parameters: [Parameter<Self>] {
      [
        .rounds(\.rounds),
        Parameter("payoff", \.payoff, allowed: "a number > 0", doc: "what each earns when they match") { x, _ in x > 0
        },
      ]
    }
  }

  static var type: GameType { "test_coordination" }
  let spec: Parameters

  init(spec: Parameters, scenario: ScenarioSpec) { self.spec = spec }

  var counterNames: [String] { ["matches", "coordinated"] }
  var headline: [String] { ["coordination_rate"] }
  static let metricColumns = [Column("coordination_rate", unit: Column.Unit.share, "share of pairs that matched")]
  var parameterColumns: [(String, Cell)] { [("payoff", .double(spec.payoff))] }
  var optionCount: Int { 2 }

  func metrics(_ c: GameCounters) -> [(String, Double)] { [("coordination_rate", c.ratio(1, 0))] }

  mutating func play(_ group: MatchGroup, round: Int, context: inout MatchContext) {
    var picks = [0, 0]
    for (k, agent) in group.enumerated() {
      let motives = context.motives(Int(agent))
      context.utilities[0] = motives.utility(own: spec.payoff, other: spec.payoff)
      context.utilities[1] = motives.utility(own: 0.9 * spec.payoff, other: 0.9 * spec.payoff)
      picks[k] = context.choose(
        Int(agent), options: 2, salient: 0,
        prompt: DecisionPrompt(kind: "coordination", rules: "Pick A or B.", question: "Which?", options: ["A", "B"]))
    }
    let matched = picks[0] == picks[1]
    for agent in group { context.pay(Int(agent), matched ? spec.payoff : 0) }
    context.count(0, for: Int(group[0]), against: Int(group[1]))
    if matched { context.count(1, for: Int(group[0]), against: Int(group[1])) }
  }
}

/// The registry that the loader, the bounds and `Experiment.run` look models up in.
@Suite("Model registry")
struct ModelRegistryTests {
  /// Registers the coordination game once for the whole test process (a static is initialised once).
  static let registered: Void = { try! ModelRegistry.register(Coordination.self) }()

  @Test("every built-in model has one name, declared keys and a scenario file that runs")
  func everyBuiltInRuns() throws {
    let names = BuiltInModels.all.map(\.type)
    #expect(Set(names).count == names.count)
    #expect(BuiltInModels.all.allSatisfy { $0.parameterKeys.contains("rounds") && !$0.matchings.isEmpty })
    var seen = Set<GameType>()
    for file in RobustnessTests.scenarioFiles {
      let spec = try ScenarioLoader.load(file: file, overrides: RobustnessTests.small(file, size: 40, rounds: 2))
      seen.insert(spec.game.type)
      if spec.population.segments.contains(where: { $0.policy == .llm }) { continue }
      let result = try Experiment.run(spec)
      #expect(TestSupport.number(result, "population_size") == Double(spec.population.size), "\(file)")
      #expect(result.segmentRows.count == spec.population.segments.count, "\(file)")
      #expect(result.segmentRows.allSatisfy { $0.count == result.segmentColumns.count }, "\(file): ragged segments")
      #expect(result.stepRows.allSatisfy { $0.count == result.stepColumns.count }, "\(file): ragged steps")
    }
    #expect(seen == Set(names), "models without a scenario file: \(Set(names).subtracting(seen))")
  }

  @Test("a model registered from outside loads from YAML with its own keys, runs, and cannot be registered twice")
  func registeredModel() throws {
    Self.registered
    #expect(throws: ModelRegistrationError.self) { try ModelRegistry.register(Coordination.self) }
    let yaml = """
      game: {type: test_coordination, rounds: 5, payoff: 4}
      population: {size: 60, segments: [{name: a, decoding: {temperature: 0.05}}]}
      """
    let spec = try ScenarioLoader.load(yaml: yaml, defaultName: "coordination")
    #expect(spec.game.parameters(as: Coordination.Parameters.self).payoff == 4 && spec.game.rounds == 5)
    let result = try Experiment.run(spec)
    // Near-greedy agents who prefer A coordinate on it in every match.
    #expect(TestSupport.number(result, "coordination_rate") == 1)
    #expect(TestSupport.number(result, "mean_payoff") == 4 * 5)
    // Its keys are its own: another game refuses them by name, and its manifest encoding round-trips.
    let issue = #expect(throws: ScenarioIssue.self) {
      try ScenarioLoader.load(yaml: yaml.replacingOccurrences(of: "test_coordination", with: "ultimatum"))
    }
    #expect(issue?.message.contains("it is a key of test_coordination") == true, "\(String(describing: issue))")
    let json = String(decoding: try JSONEncoder().encode(spec), as: UTF8.self)
    #expect(json.contains("\"payoff\":4"), "\(json)")
    #expect(try ScenarioLoader.load(yaml: json) == spec)
  }
}
