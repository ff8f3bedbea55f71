import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraLanguageModel
@testable import AgoraModels
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

/// The division family (ultimatum, dictator) as a whole: accounting, roles, asynchronous play, conformity, threads.
@Suite("Games: division family")
struct DivisionGamesTests {
  func scenario(_ yaml: String, _ overrides: [String] = []) throws -> ScenarioSpec {
    try ScenarioLoader.load(yaml: yaml, overrides: overrides)
  }

  func number(_ result: RunResult, _ column: String) -> Double { TestSupport.number(result, column) }

  @Test("payoffs add up: total payoff = realised surplus, and Gini of agents.csv equals the summary's")
  func accounting() throws {
    let spec = try scenario(
      """
      game: {type: ultimatum, stake: 10, offer_step: 1, rounds: 7}
      population:
        size: 501
        segments:
          - {name: a, share: 0.5, preferences: {envy: {dist: uniform, min: 0, max: 2}}, decoding: {temperature: 0.3}}
          - {name: b, share: 0.5, decoding: {temperature: 0.1, top_k: 3}}
      """)
    let result = try Experiment.run(spec)
    let total = result.payoffs.reduce(0, +)
    #expect(abs(total - number(result, "efficiency") * 10 * number(result, "interactions")) < 1e-6)
    #expect(number(result, "interactions") == 7 * 250)
    let perAgent: Int = result.interactions.reduce(0) { $0 + Int($1) }
    #expect(perAgent == 2 * 7 * 250)
    #expect(abs(number(result, "gini") - (try Inequality.gini(result.payoffs))) < 1e-15)
    #expect(result.stepRows.count == 7)
  }

  @Test("with fixed roles exactly half of each segment proposes, and only they do")
  func fixedRoles() throws {
    let spec = try scenario(
      """
      game: {type: ultimatum, rounds: 5, roles: fixed}
      population: {size: 100, segments: [{name: a, share: 0.3}, {name: b, share: 0.7}]}
      """)
    var proposers = Set<Int>()
    var responders = Set<Int>()
    _ = try Experiment.run(spec) { event in
      let (p, r) = (event.proposer, event.responder)
      proposers.insert(p)
      responders.insert(r)
    }
    #expect(proposers.isDisjoint(with: responders))
    let fromA = proposers.filter { $0 < 30 }.count
    let fromB = proposers.filter { $0 >= 30 }.count
    #expect(fromA == 15)
    #expect(fromB == 35)
  }

  @Test("asynchronous play: n * rate * T / 2 interactions without latency, fewer with it; deterministic")
  func asynchronous() throws {
    let yaml = """
      game: {type: ultimatum, rounds: 20}
      matching: {type: asynchronous, rate: 2, latency: LATENCY}
      population: {size: 2000, segments: [{name: a, decoding: {temperature: 0.2}}]}
      """
    var instant = 0
    _ = try Experiment.run(try scenario(yaml.replacingOccurrences(of: "LATENCY", with: "0"))) { _ in
      instant += 1
    }
    let expected = 2000.0 * 2 * 20 / 2
    #expect(abs(Double(instant) - expected) / expected < 0.03, "\(instant) interactions")
    let spec = try scenario(yaml.replacingOccurrences(of: "LATENCY", with: "{dist: exponential, mean: 0.05}"))
    var times: [Double] = []
    let result = try Experiment.run(spec) { times.append($0.time) }
    // Busy agents skip their wake-ups: about rate * 2 * mean latency = 20% fewer interactions.
    #expect(times.count < instant - 1000, "\(times.count) interactions with latency")
    #expect(times == times.sorted() && times.allSatisfy { $0 > 0 && $0 <= 20 })
    #expect(result.stepRows.count == 20)
    let again = try Experiment.run(spec)
    #expect(again.payoffs == result.payoffs)
  }

  @Test("conformity pulls offers towards last round's mean offer")
  func conformity() throws {
    let base = """
      game: {type: dictator, stake: 100, offer_step: 5, rounds: 5}
      population:
        size: 2000
        segments:
          - {name: fair, share: 0.5, preferences: {guilt: 0.9}, decoding: {temperature: 0}}
          - {name: selfish, share: 0.5, preferences: {conformity: CONF}, decoding: {temperature: 0}}
      """
    let loose = try Experiment.run(try scenario(base.replacingOccurrences(of: "CONF", with: "0")))
    let tight = try Experiment.run(try scenario(base.replacingOccurrences(of: "CONF", with: "3")))
    #expect(number(loose, "mean_share_given_selfish") == 0)
    #expect(number(tight, "mean_share_given_selfish") > 0.1)
  }

  @Test("a synchronous run gives the same payoffs, steps and events on 1, 2 and 3 threads")
  func threadCountInvariance() throws {
    let spec = try ScenarioLoader.load(
      file: TestSupport.repositoryRoot.path + "/Scenarios/ultimatum.yaml",
      overrides: ["population.size=20000", "game.rounds=4"])
    var results: [RunResult] = []
    var logs: [[String]] = []
    for threads in [1, 2, 3] {
      var log: [String] = []
      results.append(
        try Experiment.run(spec, events: { log.append("\($0)") }, threads: threads))
      logs.append(log)
    }
    #expect(results[0].stepRows.count == 4)
    for k in 1..<3 {
      #expect(results[k].payoffs == results[0].payoffs)
      #expect(results[k].stepRows == results[0].stepRows)
      #expect(results[k].summary.map(\.1) == results[0].summary.map(\.1))
      #expect(logs[k] == logs[0])
      // Compared as written (an offer never made has an empty rate: NaN, unequal to itself as a number).
      let text = { (r: RunResult) in r.tables.map { $0.rows.map { $0.map(\.text) } } }
      #expect(text(results[k]) == text(results[0]), "offers.csv differs by threads")
    }
  }

  @Test("offers.csv is the run's offer distribution: it sums to the interactions, acceptances and each segment's mean")
  func offerTable() throws {
    for (type, matching) in [
      ("ultimatum", "random_pairs"), ("ultimatum", "asynchronous"), ("dictator", "random_pairs"),
    ] {
      let spec = try scenario(
        """
        game: {type: \(type), stake: 10, offer_step: 1, rounds: 6}
        matching: {type: \(matching)}
        population:
          size: 3001
          segments:
            - {name: a, share: 0.6, preferences: {envy: {dist: uniform, min: 0, max: 2}}, decoding: {temperature: 0.3}}
            - {name: b, share: 0.4, decoding: {temperature: 0.2}}
        """)
      let result = try Experiment.run(spec, threads: 2)
      let table = try #require(result.tables.first { $0.name == "offers" })
      #expect(
        table.columns == [
          "run_index", "seed", "segment", "offer_share", "offer", "proposals", "accepted", "acceptance_rate",
        ])
      #expect(table.rows.count == 2 * 11, "one row per segment and offer")
      func int(_ cell: Cell) -> Int {
        if case .int(let v) = cell { return v }
        Issue.record("not an integer: \(cell)")
        return 0
      }
      let made = table.rows.reduce(0) { $0 + int($1[5]) }
      let accepted = table.rows.reduce(0) { $0 + int($1[6]) }
      #expect(Double(made) == number(result, "interactions"), "\(type) \(matching)")
      #expect(abs(Double(accepted) / Double(made) - number(result, "efficiency")) < 1e-12)
      if type == "dictator" { #expect(accepted == made) }
      // Each segment's mean offer, recomputed from its rows, is the summary's.
      let mean = type == "ultimatum" ? "mean_offer" : "mean_share_given"
      for segment in ["a", "b"] {
        let rows = table.rows.filter { $0[2] == .string(segment) }
        let count = rows.reduce(0) { $0 + int($1[5]) }
        let sum = rows.reduce(0.0) { $0 + Double(int($1[5])) * (Report.number($1[3]) ?? .nan) }
        #expect(abs(sum / Double(count) - number(result, "\(mean)_\(segment)")) < 1e-12, "\(type) \(segment)")
        for row in rows where int(row[5]) > 0 {
          #expect(Report.number(row[7]) == Double(int(row[6])) / Double(int(row[5])))
        }
      }
      let html = Report.html(spec, result)
      #expect(html.contains("Offers made") && html.contains("offers.csv"))
      #expect(html.contains("Acceptance by offer") == (type == "ultimatum"), "a dictator's offers are all accepted")
    }
  }

  @Test("offers.csv gives a whole-dollar grid's offers as whole numbers (29, not 0.29 * 100 = 28.999999999999996)")
  func offerTableAmounts() throws {
    let spec = try scenario(
      """
      game: {type: dictator, stake: 100, offer_step: 1, rounds: 1}
      population: {size: 10, segments: [{name: a, share: 1}]}
      """)
    let table = try #require(try Experiment.run(spec).tables.first { $0.name == "offers" })
    #expect(table.rows.count == 101)
    for (k, row) in table.rows.enumerated() {
      #expect(Report.number(row[4]) == Double(k), "offer \(k)")
      #expect(Report.number(row[3]) == Double(k) / 100, "offer_share \(k)")
    }
  }

  @Test("offer_grid sets the step as a share of the stake: a swept stake keeps its offers; a contradiction is refused")
  func relativeOfferGrid() throws {
    let yaml = """
      game: {type: ultimatum, rounds: 5, offer_grid: 0.05}
      population: {size: 400, segments: [{name: a, share: 1, decoding: {temperature: 0.1}}]}
      """
    let small = try ScenarioLoader.load(yaml: yaml, overrides: ["game.stake=10"])
    let large = try ScenarioLoader.load(yaml: yaml, overrides: ["game.stake=1000"])
    #expect(small.game.parameters(as: DivisionParameters.self).offerStep == 0.5)
    #expect(large.game.parameters(as: DivisionParameters.self).offerStep == 50)
    // Utilities are in units of the stake, so with the same grid of shares the runs decide alike.
    let (a, b) = (try Experiment.run(small), try Experiment.run(large))
    for column in ["mean_offer", "acceptance_rate", "efficiency"] {
      #expect(abs(TestSupport.number(a, column) - TestSupport.number(b, column)) < 1e-12, "\(column)")
    }
    #expect(throws: ScenarioIssue.self) {
      try ScenarioLoader.load(yaml: yaml, overrides: ["game.stake=100", "game.offer_step=10"])
    }
    #expect(try ScenarioLoader.load(yaml: yaml, overrides: ["game.stake=100", "game.offer_step=5"]).seed == 1)
  }
}
