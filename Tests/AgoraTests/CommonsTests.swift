import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraLanguageModel
@testable import AgoraModels
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

@Suite("Civilizations: commons")
struct CommonsTests {
  func run(_ yaml: String, _ overrides: [String] = []) throws -> (RunResult, CommonsRun) {
    let spec = try ScenarioLoader.load(yaml: yaml, overrides: overrides)
    let seeds = SeedSequence(master: spec.seed)
    var commons = CommonsRun(
      scenario: spec, population: Population(spec: spec.population, seeds: seeds), seeds: seeds)
    commons.run()
    return (try Experiment.run(spec), commons)
  }

  /// Runs a scenario built in Swift, as `run(_:_:)` runs one read from YAML.
  func run(_ spec: ScenarioSpec) throws -> (RunResult, CommonsRun) {
    let seeds = SeedSequence(master: spec.seed)
    var commons = CommonsRun(
      scenario: spec, population: Population(spec: spec.population, seeds: seeds), seeds: seeds)
    commons.run()
    return (try Experiment.run(spec), commons)
  }

  func number(_ result: RunResult, _ column: String) -> Double { TestSupport.number(result, column) }

  static let village = """
    game: {type: commons, commons: {village_size: 5, stock: 100, capacity: 100, threshold: 5, max_harvest: 20}}
    population: {size: 5, segments: [{name: v, decoding: {temperature: 0}}]}
    """

  @Test("GovSim: 5 agents, stock 100, threshold 5: everyone taking 20 collapses in the first month")
  func collapse() throws {
    let (result, commons) = try run(Self.village)
    #expect(commons.collapsedAt == [1])
    #expect(commons.gains == [20, 20, 20, 20, 20])
    #expect(number(result, "survival_rate") == 0)
    #expect(number(result, "mean_survival_months") == 1)
    #expect(number(result, "over_usage_rate") == 1)
  }

  @Test("GovSim: everyone taking the sustainable share 10 survives 12 months with over-usage 0")
  func sustainable() throws {
    let (result, commons) = try run(Self.village, ["population.segments.0.preferences={patience: 1}"])
    #expect(commons.collapsedAt == [nil])
    #expect(commons.gains == [120, 120, 120, 120, 120])
    #expect(number(result, "survival_rate") == 1)
    #expect(number(result, "mean_survival_months") == 12)
    #expect(number(result, "over_usage_rate") == 0)
    #expect(number(result, "efficiency") == 1)
    #expect(result.stepRows.count == 12)
  }

  @Test("logistic regrowth follows S + r S (1 - S/K); audits fine harvests above the quota")
  func logisticAndFines() throws {
    let (_, commons) = try run(
      """
      game: {type: commons, rounds: 1, commons: {village_size: 5, stock: 60, capacity: 100, regrowth: logistic, growth_rate: 0.5, max_harvest: 4, audit_rate: 1, fine: 3}}
      population: {size: 5, segments: [{name: v, decoding: {temperature: 0}}]}
      """)
    // Everyone takes 4 (greedy): 60 - 20 = 40, then 40 + 0.5 * 40 * 0.6 = 52. The quota is floor(60/2)/5 = 6, so
    // no fines.
    #expect(abs(commons.stock[0] - 52) < 1e-12)
    #expect(commons.gains == [4, 4, 4, 4, 4])
    let (_, fined) = try run(
      """
      game: {type: commons, rounds: 1, commons: {village_size: 5, stock: 20, capacity: 100, threshold: 0, max_harvest: 4, audit_rate: 1, fine: 0.5}}
      population: {size: 5, segments: [{name: v, decoding: {temperature: 0}}]}
      """)
    // Quota floor(20/2)/5 = 2. A fine of 0.5 per unit over does not deter (4 - 0.5 * 2 > 2): each takes 4 and pays 1.
    #expect(fined.gains == [3, 3, 3, 3, 3])
    let (_, deterred) = try run(
      """
      game: {type: commons, rounds: 1, commons: {village_size: 5, stock: 20, capacity: 100, threshold: 0, max_harvest: 4, audit_rate: 1, fine: 3}}
      population: {size: 5, segments: [{name: v, decoding: {temperature: 0}}]}
      """)
    // A fine of 3 does: everyone takes the quota.
    #expect(deterred.gains == [2, 2, 2, 2, 2])
  }

  @Test("migration conserves agents: everyone is in one village or travelling; the run is deterministic")
  func migration() throws {
    let yaml = """
      game: {type: commons, rounds: 6, commons: {village_size: 10, migration_rate: 0.3, travel_time: 1.5, turnover_rate: 0.1, drought_rate: 0.2}}
      population:
        size: 2000
        segments:
          - {name: a, share: 0.5, preferences: {patience: 0.9}, decoding: {temperature: 0.1}}
          - {name: b, share: 0.5, decoding: {temperature: 0.1}}
      """
    let (result, commons) = try run(yaml)
    let housed = commons.villageOf.filter { $0 >= 0 }.count
    #expect(housed + Int(number(result, "departures") - number(result, "arrivals")) == 2000)
    #expect(number(result, "departures") > 0 && number(result, "droughts") > 0)
    let (again, _) = try run(yaml)
    #expect(again.payoffs == result.payoffs)
    #expect(again.stepRows.map { $0.map(\.text) } == result.stepRows.map { $0.map(\.text) })
  }

  @Test("a world has no matching: the summary says none, and a matching mapping is refused")
  func noMatching() throws {
    let (result, _) = try run(Self.village, ["game.rounds=1"])
    #expect(result["matching"]?.text == "none")
    let issue = #expect(throws: ScenarioIssue.self) {
      try ScenarioLoader.load(yaml: Self.village, overrides: ["matching.type=random_pairs"])
    }
    #expect(issue?.message.contains("commons is a world") == true, "\(String(describing: issue))")
  }

  @Test("built in Swift: after a month each village's stock is the logistic regrowth of what its harvests left")
  func directParameters() throws {
    var parameters = CommonsParameters()
    parameters.rounds = 1
    parameters.commons.villageSize = 5
    parameters.commons.stock = 80
    parameters.commons.capacity = 100
    parameters.commons.threshold = 0
    parameters.commons.regrowth = .logistic
    parameters.commons.growthRate = 0.5
    parameters.commons.maxHarvest = 10
    let segment = SegmentSpec(name: "v", share: 1, decoding: DecodingParameters(temperature: 0.2))
    let spec = try TestSupport.scenario(CommonsRun.self, parameters, size: 20, segments: [segment])
    let (result, commons) = try run(spec)
    #expect(commons.stock.count == 4)
    // Five harvests of at most 10 never exhaust a stock of 80: each takes what it asks, a whole number.
    #expect(commons.gains.allSatisfy { $0 >= 0 && $0 <= 10 && $0 == $0.rounded() }, "\(commons.gains)")
    for v in commons.stock.indices {
      let left = 80 - commons.villageGains[v]
      #expect(abs(commons.stock[v] - (left + 0.5 * left * (1 - left / 100))) < 1e-9, "village \(v)")
    }
    #expect(abs(commons.villageGains.reduce(0, +) - number(result, "total_gain")) < 1e-9)
    // Efficiency: the harvest over the logistic's best monthly yield r K / 4 = 12.5 in each of the 4 villages.
    #expect(number(result, "total_gain") > 0)
    #expect(abs(number(result, "efficiency") - number(result, "total_gain") / 50) < 1e-12)
  }
}
