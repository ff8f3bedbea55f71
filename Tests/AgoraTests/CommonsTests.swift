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
      game: {type: commons, rounds: 6, commons: {village_size: 10, max_harvest: 20, migration_rate: 0.3, travel_time: 1.5, turnover_rate: 0.1, drought_rate: 0.2}}
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

  // GovSim's commons, exactly (issue 18).

  /// A one-village run of `size` agents (no decisions taken yet), for hand-made histories.
  func village(_ yaml: String) throws -> CommonsRun {
    let spec = try ScenarioLoader.load(yaml: yaml)
    let seeds = SeedSequence(master: spec.seed)
    return CommonsRun(scenario: spec, population: Population(spec: spec.population, seeds: seeds), seeds: seeds)
  }

  @Test("GovSim's Gini by hand: {1, 2, 3, 4, 10} is 40/100; negative values are shifted; all zero is undefined")
  func govsimGini() {
    // Sorted, n = 5, sum 20: sum (2i - 6) x_i = -4 - 4 + 0 + 8 + 40 = 40, over n sum = 100.
    #expect(abs(GovSimMetrics.gini([10, 3, 1, 4, 2]) - 0.4) < 1e-15)
    // {-1, 1} becomes {0, 2}: (-1 x 0 + 1 x 2) / (2 x 2).
    #expect(GovSimMetrics.gini([-1, 1]) == 0.5)
    #expect(GovSimMetrics.gini([5, 5, 5]) == 0)
    #expect(GovSimMetrics.gini([0, 0]).isNaN)
  }

  @Test("equality is 1 - Gini within each village (agents.csv's village id), averaged; not the pooled one")
  func perVillageEquality() throws {
    let yaml = """
      game: {type: commons, rounds: 3, commons: {village_size: 5, max_harvest: 20}}
      population:
        size: 40
        segments:
          - {name: a, share: 0.5, preferences: {patience: {dist: uniform, min: 0, max: 1}}, decoding: {temperature: 0.3}}
          - {name: b, share: 0.5, decoding: {temperature: 0.3}}
      """
    let (result, commons) = try run(yaml)
    let village = try #require(result.agentValues.first { $0.column.name == "village" }?.values)
    #expect(village == commons.villageOf.map(Double.init))
    // The pairwise form of 1 - Gini, 1 - sum_ij |R_i - R_j| / (2 n sum R), village by village from agents.csv.
    var equalities: [Double] = []
    for v in 0..<8 {
      let gains = (0..<40).filter { village[$0] == Double(v) }.map { result.payoffs[$0] }
      #expect(gains.count == 5)
      let pairs = gains.flatMap { a in gains.map { abs(a - $0) } }.reduce(0, +)
      equalities.append(1 - pairs / (2 * 5 * gains.reduce(0, +)))
    }
    let expected = equalities.reduce(0, +) / 8
    #expect(abs(number(result, "govsim_equality") - expected) < 1e-12, "\(equalities)")
    let pooled = number(result, "equality")
    #expect(abs(pooled - expected) > 1e-6, "pooled \(pooled) per village \(expected)")
    let table = try #require(result.tables.first { $0.name == "villages" })
    let column = try #require(table.columns.firstIndex(of: "govsim_equality"))
    for (v, row) in table.rows.enumerated() {
      #expect(abs((Double(row[column].text) ?? .nan) - equalities[v]) < 1e-12, "village \(v)")
    }
  }

  @Test("over-usage and efficiency as GovSim defines them, on a hand-made harvest history")
  func overUsageByHand() throws {
    var commons = try village(Self.village)
    let stream = SeedSequence(master: 1).stream(for: .environment)
    // Month 1 from 100: GovSim's threshold floor(floor(100/2)/5) = 10. Harvests 10, 11, 0, 20, 5: the 0 is no
    // action; 11 and 20 are over.
    commons.monthStart[0] = 100
    for (i, taken) in [10.0, 11, 0, 20, 5].enumerated() {
      _ = commons.settle(i, village: 0, taken: taken, environment: stream)
    }
    // Month 2 from 37: floor(floor(18.5)/5) = floor(18/5) = 3. Harvests 4 (over), 3 and 1.
    commons.monthStart[0] = 37
    for (i, taken) in [4.0, 3, 1].enumerated() {
      _ = commons.settle(i, village: 0, taken: taken, environment: stream)
    }
    let metrics = GovSimMetrics(commons, months: 2, stock: 100)
    #expect(commons.villageActions == [7] && commons.villageOverUses == [3])
    #expect(metrics.overUsage == 3.0 / 7)
    // Efficiency: 54 harvested of T f(0) = 2 x 50: 1 - (100 - 54) / 100.
    #expect(abs(metrics.efficiency - 0.54) < 1e-15)
    #expect(GovSimMetrics.efficiency(harvest: 130, sustainable: 100) == 1)
    // Survival: the village has not collapsed, so its time is the horizon.
    #expect(metrics.survivalTime == 2 && metrics.survivalRate == 1)
  }

  @Test("a collapse at the last month's end still counts as GovSim survival, but not as Agora's survival_rate")
  func govsimSurvival() throws {
    // Everyone takes 20 of 100: collapse at the end of month 1, which is also the horizon.
    let (result, _) = try run(Self.village, ["game.rounds=1"])
    #expect(number(result, "survival_rate") == 0)
    #expect(number(result, "govsim_survival_rate") == 1)
    #expect(number(result, "survival_time") == 1)
    let (longer, _) = try run(Self.village, ["game.rounds=2"])
    #expect(number(longer, "govsim_survival_rate") == 0 && number(longer, "survival_time") == 1)
    #expect(number(longer, "over_usage") == 1 && number(longer, "govsim_efficiency") == 1)
  }

  @Test("random allocation: GovSim's unit-by-unit draw among those still short, never more than asked")
  func randomAllocation() throws {
    var commons = try village(
      """
      game: {type: commons, commons: {village_size: 2, stock: 20, capacity: 100, allocation: random}}
      population: {size: 2, segments: [{name: v}]}
      """)
    let stream = SeedSequence(master: 7).stream(for: .environment)
    let trials = 4000
    var small = 0.0
    for _ in 0..<trials {
      let before = commons.gains
      commons.stock[0] = 20
      commons.requested[0] = 50
      commons.requested[1] = 10
      commons.allocate(village: 0, environment: stream)
      let got = [commons.gains[0] - before[0], commons.gains[1] - before[1]]
      #expect(got[0] <= 50 && got[1] <= 10 && got[0] + got[1] == 20 && commons.stock[0] == 0)
      #expect(commons.requested == [0, 0])
      small += got[1]
    }
    // Each unit goes to either while both are short, so the small request gets min(Binomial(20, 1/2), 10):
    // E = 10 - sum_{k < 10} (10 - k) C(20, k) / 2^20 (about 8.24), not its proportional share 20 x 10/60.
    var expected = 10.0
    var binomial = 1.0
    for k in 0..<10 {
      expected -= Double(10 - k) * binomial / 1_048_576
      binomial = binomial * Double(20 - k) / Double(k + 1)
    }
    let mean = small / Double(trials)
    // The standard deviation of one draw is below 1.6, so 4,000 draws put the mean within 0.1 of E.
    #expect(abs(mean - expected) < 0.1, "mean \(mean), GovSim's \(expected)")
    // Requests that fit are served in full.
    let before = commons.gains
    commons.stock[0] = 20
    commons.requested[0] = 7
    commons.requested[1] = 9
    commons.allocate(village: 0, environment: stream)
    #expect(commons.gains[0] - before[0] == 7 && commons.gains[1] - before[1] == 9 && commons.stock[0] == 4)
  }

  @Test("random allocation in a run: the month's requests share the stock, and the run is deterministic")
  func randomAllocationRun() throws {
    let yaml = """
      game: {type: commons, rounds: 1, commons: {village_size: 5, allocation: random}}
      population: {size: 500, segments: [{name: v, decoding: {temperature: 0}}]}
      """
    let (result, commons) = try run(yaml)
    // No cap: everyone asks for the whole lake (100); each village's 100 is drawn out unit by unit.
    for v in commons.stock.indices {
      let gains = commons.villageMembers[v].map { commons.gains[Int($0)] }
      #expect(gains.reduce(0, +) == 100 && gains.allSatisfy { $0 >= 0 && $0 <= 100 }, "village \(v): \(gains)")
    }
    #expect(commons.gains.contains { $0 > 20 } && commons.gains.contains { $0 < 20 })
    #expect(number(result, "survival_rate") == 0)
    let (again, _) = try run(yaml)
    #expect(again.payoffs == result.payoffs)
  }

  @Test("with no cap (the default, as in GovSim) a villager can take more than 20: first come takes the lake")
  func noCap() throws {
    let (result, commons) = try run(
      """
      game: {type: commons, rounds: 1}
      population: {size: 5, segments: [{name: v, decoding: {temperature: 0}}]}
      """)
    #expect(commons.gains.sorted() == [0, 0, 0, 0, 100])
    #expect(number(result, "max_harvest") == 0)
    let issue = #expect(throws: ScenarioIssue.self) {
      try ScenarioLoader.load(
        yaml: "game: {type: commons, commons: {capacity: 5000}}\npopulation: {size: 5, segments: [{name: v}]}")
    }
    #expect(issue?.message.contains("capacity at most 1000") == true, "\(String(describing: issue))")
  }

  @Test("universalization off leaves the cue out: patient villagers then take more; the prompt loses its sentence")
  func universalization() throws {
    let patient = ["population.segments.0.preferences={patience: 1}", "game.rounds=1"]
    let (_, on) = try run(Self.village, patient)
    #expect(on.gains == [10, 10, 10, 10, 10])
    let (offResult, off) = try run(Self.village, patient + ["game.commons.universalization=false"])
    #expect(off.gains == [20, 20, 20, 20, 20])
    #expect(number(offResult, "universalization") == 0)
    let withCue = try village(Self.village)
    #expect(
      withCue.universalizationHint(10)
        == " Given the current situation, if everyone fishes more than 10 tons, the lake population will shrink "
        + "next month.")
    let spec = try ScenarioLoader.load(yaml: Self.village, overrides: ["game.commons.universalization=false"])
    let seeds = SeedSequence(master: spec.seed)
    let silent = CommonsRun(scenario: spec, population: Population(spec: spec.population, seeds: seeds), seeds: seeds)
    #expect(silent.universalizationHint(10).isEmpty)
  }

  @Test("Kaplan-Meier by hand: deaths over those at risk, survivors censored at their time")
  func kaplanMeier() {
    let steps = Report.kaplanMeier(times: [1, 1, 2, 3, 3], ended: [true, true, true, false, false], horizon: 3)
    #expect(steps.map(\.month) == [0, 1, 2, 3])
    #expect(steps.map(\.atRisk) == [5, 5, 3, 2])
    #expect(steps.map(\.collapsed) == [0, 2, 1, 0])
    #expect(abs(steps[1].surviving - 0.6) < 1e-15 && abs(steps[2].surviving - 0.4) < 1e-15)
    #expect(steps[3].surviving == steps[2].surviving)
    // A unit censored at 2 leaves the risk set after it: the death at 3 is one of one.
    let censored = Report.kaplanMeier(times: [2, 3], ended: [false, true], horizon: 3)
    #expect(censored.map(\.surviving) == [1, 1, 1, 0])
    #expect(censored[3].atRisk == 1)
  }

  @Test("govsim.yaml runs: 5 a village, the village id in agents.csv, GovSim's columns and the survival curve")
  func govsimScenario() throws {
    let spec = try ScenarioLoader.load(
      file: TestSupport.repositoryRoot.path + "/Scenarios/govsim.yaml",
      overrides: ["population.size=200", "game.rounds=3"])
    let c = CommonsRun.parameters(spec).commons
    #expect(c.maxHarvest == 0 && c.allocation == .random && !c.universalization)
    #expect(c.auditRate == 0 && c.migrationRate == 0 && c.turnoverRate == 0 && c.droughtRate == 0)
    let result = try Experiment.run(spec)
    let village = try #require(result.agentValues.first { $0.column.name == "village" }?.values)
    #expect(result.agentColumns.contains("village"))
    for v in 0..<40 { #expect(village.filter { $0 == Double(v) }.count == 5, "village \(v)") }
    for column in ["govsim_efficiency", "govsim_equality", "over_usage", "survival_time", "govsim_survival_rate"] {
      #expect(number(result, column).isFinite, "\(column)")
    }
    let html = Report.html(spec, result)
    #expect(html.contains("Kaplan-Meier survival of the villages"))
    #expect(html.contains("at risk"))
  }
}
