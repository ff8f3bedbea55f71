import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraLanguageModel
@testable import AgoraModels
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

/// The public goods game: guilt, free riding and punishment, from YAML and from parameters built in Swift.
@Suite("Games: public goods")
struct PublicGoodsTests {
  func run(_ yaml: String, _ overrides: [String] = []) throws -> RunResult { try TestSupport.run(yaml, overrides) }
  func number(_ result: RunResult, _ column: String) -> Double { TestSupport.number(result, column) }

  @Test(
    "with group-mates contributing fully, an agent contributes fully iff MPCR + guilt >= 1 (Fehr-Schmidt)",
    arguments: [(0.4, 0.5), (0.4, 0.7), (0.7, 0.2), (0.7, 0.4)])
  func publicGoodsGuilt(mpcr: Double, guilt: Double) throws {
    let result = try run(
      """
      game: {type: public_goods, stake: 20, offer_step: 1, mpcr: \(mpcr), rounds: 1}
      matching: {type: groups, size: 4}
      population:
        size: 400
        segments:
          - {name: a, preferences: {guilt: \(guilt)}, decoding: {temperature: 0}, memory: {learning: none, prior_cooperation: 1}}
      """)
    #expect(number(result, "contribution_share") == (mpcr + guilt >= 1 ? 1 : 0))
  }

  @Test("selfish agents at temperature 0: contributions go to 0, with and without learning; payoffs add up")
  func publicGoodsSelfish() throws {
    let result = try run(
      """
      game: {type: public_goods, stake: 20, offer_step: 1, mpcr: 0.4, rounds: 5}
      matching: {type: groups, size: 4, partner: true}
      population: {size: 402, segments: [{name: s, decoding: {temperature: 0}, memory: {prior_cooperation: 1}}]}
      """)
    #expect(number(result, "contribution_share") == 0)
    #expect(number(result, "efficiency") == 1 / 1.6)
    let mean: Double = 5 * 20 * 400 / 402
    #expect(number(result, "mean_payoff") == mean)
    // 100 groups of 4 play; 2 agents sit out every round. Each player keeps its endowment: 5 rounds x 20.
    #expect(number(result, "total_payoff") == 400 * 5 * 20)
    #expect(number(result, "matches") == 500)
  }

  @Test("punishment: envious agents punish a free rider (cost 1, impact 3); payoffs account for every point")
  func punishment() throws {
    let result = try run(
      """
      game: {type: public_goods, stake: 20, offer_step: 1, mpcr: 0.4, rounds: 1, punishment: true, punishment_max: 2}
      matching: {type: groups, size: 4}
      population:
        size: 4000
        segments:
          - {name: cooperators, share: 0.75, preferences: {guilt: 0.8, envy: 2}, decoding: {temperature: 0}, memory: {learning: none, prior_cooperation: 1}}
          - {name: free-riders, share: 0.25, decoding: {temperature: 0}, memory: {learning: none, prior_cooperation: 0}}
      """)
    let spent = number(result, "punishment_spent")
    let received = number(result, "punishment_received")
    #expect(spent > 0)
    #expect(abs(received - 3 * spent) < 1e-9)
    let contribution: Double = number(result, "contribution_share") * 20 * 4000
    let kept: Double = 4000 * 20 - contribution + 1.6 * contribution
    let expected: Double = kept - (spent + received) * 4000
    #expect(abs(number(result, "total_payoff") - expected) < 1e-6)
  }

  @Test(
    "built in Swift: a member earns stake (1 - c + MPCR sum c), so total payoff = stake members (1 + (MPCR n - 1) C)",
    arguments: [(3, 0.5), (4, 0.25), (5, 0.9)])
  func directParameters(groupSize: Int, mpcr: Double) throws {
    var parameters = PublicGoodsParameters()
    parameters.stake = 10
    parameters.offerStep = 1
    parameters.rounds = 4
    parameters.mpcr = mpcr
    let segment = SegmentSpec(name: "noisy", share: 1, decoding: DecodingParameters(temperature: 1))
    var spec = try TestSupport.scenario(PublicGoods.self, parameters, size: 60, segments: [segment])
    spec.matching.size = groupSize
    let result = try Experiment.run(spec)
    // 60 agents in groups of n (all play), 4 rounds: 240 contributions with mean share C.
    let share = number(result, "contribution_share")
    #expect(share > 0 && share < 1, "noisy members contribute some of their endowment, not all or nothing")
    #expect(number(result, "matches") == Double(60 / groupSize * 4))
    // A group's members earn n - S + n MPCR S endowments in all (S the sum of contributed shares); at MPCR = 1/n
    // the pot returns exactly what went in.
    let expected = 10 * 240 * (1 + (mpcr * Double(groupSize) - 1) * share)
    #expect(abs(number(result, "total_payoff") - expected) < 1e-9 * expected)
  }

  @Test(
    "the strategy method: a free rider states all zeros, a conditional cooperator (guilt, envy) the diagonal",
    arguments: [("{}", 0.0, 1.0, 0.0), ("{guilt: 0.8, envy: 0.5}", 1.0, 0.0, 1.0)])
  func strategyMethod(preferences: String, slope: Double, freeRiders: Double, cooperators: Double) throws {
    let result = try run(
      """
      game: {type: public_goods, stake: 20, offer_step: 1, mpcr: 0.4, rounds: 3, strategy_method: true}
      matching: {type: groups, size: 4}
      population: {size: 40, segments: [{name: a, preferences: \(preferences), decoding: {temperature: 0}}]}
      """)
    #expect(abs(number(result, "mean_schedule_slope") - slope) < 1e-9)
    #expect(number(result, "share_free_riders") == freeRiders)
    #expect(number(result, "share_conditional_cooperators") == cooperators)
    // The schedule's entry where the others give half: nothing for the free rider, half for the cooperator.
    #expect(abs(number(result, "conditional_contribution_50") - 0.5 * slope) < 1e-9)
    let slopes = try #require(result.agentValues.first { $0.column.name == "schedule_slope" }).values
    #expect(slopes.allSatisfy { abs($0 - slope) < 1e-9 })
    // Each member contributes its schedule's entry at its belief (prior 0.5, then what it saw: the diagonal keeps it).
    #expect(abs(number(result, "contribution_share") - 0.5 * slope) < 1e-9)
  }

  @Test(
    "events.csv: one row per member and round; the contributions give steps.csv's contribution share, the payoffs the run's total, the punishment points the summary's spending"
  )
  func events() throws {
    let (result, events, folder) = try TestSupport.events(
      PublicGoods.self, "public-goods.yaml", ["population.size=200", "game.rounds=4", "game.punishment=true"])
    let (round, group, agent, contribution, payoff, given, received) = try (
      events.columnIndex("round"), events.columnIndex("group"), events.columnIndex("agent"),
      events.columnIndex("contribution"), events.columnIndex("payoff"), events.columnIndex("points_given"),
      events.columnIndex("points_received")
    )
    #expect(events.rows.count == 200 * 4)
    let stake = 20.0
    var contributed = [Double](repeating: 0, count: 4)
    var groups: [String: (members: Set<String>, given: Int, received: Int)] = [:]
    for row in events.rows {
      let r = try #require(Int(row[round]))
      contributed[r - 1] += (Double(row[contribution]) ?? .nan) / stake
      var g = groups[row[round] + "," + row[group], default: ([], 0, 0)]
      g.members.insert(row[agent])
      g.given += Int(row[given]) ?? -1
      g.received += Int(row[received]) ?? -1
      groups[row[round] + "," + row[group]] = g
    }
    // 50 groups of 4 a round; in each group the points given are the points received.
    #expect(groups.count == 50 * 4)
    #expect(groups.values.allSatisfy { $0.members.count == 4 && $0.given == $0.received })
    let steps = try CSVTable(contentsOf: folder + "/steps.csv")
    let share = try steps.columnIndex("contribution_share")
    #expect(steps.rows.count == 4)
    for (r, row) in steps.rows.enumerated() {
      #expect(abs(contributed[r] / 200 - (Double(row[share]) ?? .nan)) < 1e-12, "round \(r + 1)")
    }
    let paid = events.rows.reduce(0) { $0 + (Double($1[payoff]) ?? .nan) }
    #expect(abs(paid - number(result, "total_payoff")) < 1e-9 * abs(paid))
    let points = Double(events.rows.reduce(0) { $0 + (Int($1[given]) ?? 0) })
    #expect(points > 0)
    // Each point costs the punisher `punishment_cost` (1): the mean spending per member and round.
    #expect(abs(points * 1 / (200 * 4) - number(result, "punishment_spent")) < 1e-12)
  }

  @Test("a sweep keeps the public goods events (--keep events) with the swept parameter on every row and a dictionary")
  func sweptEvents() throws {
    let yaml = """
      name: pg
      seed: 5
      game: {type: public_goods, stake: 20, offer_step: 5, rounds: 3}
      matching: {type: groups, size: 4}
      population: {size: 40, segments: [{name: a, decoding: {temperature: 0.2}}]}
      """
    var sweep = SweepSpec(scenario: "pg.yaml")
    sweep.parameters = [SweepParameter(key: "game.mpcr", domain: .values(["0.3", "0.6"]))]
    sweep.repetitions = 1
    sweep.keep = SweepKeep(events: true)
    let folder = TestSupport.temporaryDirectory()
    let plan = try SweepPlan(sweep, template: ScenarioTemplate(yaml: yaml, source: "pg.yaml"))
    _ = try SweepRunner(plan: plan, directory: folder, jobs: 2).run()
    let events = try CSVTable(contentsOf: folder + "/events.csv")
    #expect(
      events.columns
        == ["run_index", "seed", "point", "repetition", "mpcr"]
        + StandardColumns.eventTable(PublicGoods.eventColumns).map(\.name).dropFirst(2))
    let mpcr = try events.columnIndex("mpcr")
    #expect(events.rows.count == 2 * 40 * 3)
    #expect(Set(events.rows.map { $0[mpcr] }) == ["0.3", "0.6"])
    let json =
      try JSONSerialization.jsonObject(
        with: TestSupport.bytes("\(folder)/\(DataDictionary.fileName(for: "events.csv"))")) as? [String: Any]
    let columns = try #require((json?["tableSchema"] as? [String: Any])?["columns"] as? [[String: Any]])
    #expect(columns.compactMap { $0["name"] as? String } == events.columns)
    #expect(columns.first { $0["name"] as? String == "contribution" }?["dc:source"] as? String == "public_goods")
  }

  @Test("agent_steps contribution: with every agent in a group, its mean is the round's contribution_share")
  func agentStepContribution() throws {
    let spec = try ScenarioLoader.load(
      yaml: """
        game: {type: public_goods, stake: 20, offer_step: 1, mpcr: 0.4, rounds: 3}
        matching: {type: groups, size: 4}
        population: {size: 400, segments: [{name: a, preferences: {guilt: 0.5}}]}
        output: {agent_steps: {every: 1, columns: [contribution]}}
        """)
    var byStep: [Int: [Double]] = [:]
    let result = try Experiment.run(spec, agentSteps: { byStep[$0.step] = $0.numbers("contribution") })
    #expect(byStep.keys.sorted() == [1, 2, 3])
    let column = try #require(result.stepColumns.firstIndex(of: "contribution_share"))
    for (step, values) in byStep {
      #expect(values.allSatisfy { $0 >= 0 && $0 <= 1 })
      let mean = values.reduce(0, +) / Double(values.count)
      #expect(abs(mean - result.stepRows[step - 1][column].number) < 1e-12, "step \(step)")
    }
  }
}
