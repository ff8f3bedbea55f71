import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraLanguageModel
@testable import AgoraModels
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

@Suite("Games: double auction")
struct DoubleAuctionTests {
  @Test("the competitive equilibrium of a hand-made market")
  func equilibrium() {
    // Demand 10, 8, 6; supply 2, 5, 9: two trades, surplus 8 + 3, prices in [6, 8].
    let ce = DoubleAuction.competitiveEquilibrium(values: [6, 10, 8], costs: [9, 2, 5])
    #expect(ce.quantity == 2)
    #expect(ce.surplus == 11)
    #expect(ce.price == 7)
  }

  @Test(
    "zero-intelligence (ZI-C) traders reach allocative efficiency above 90% (Gode & Sunder 1993)", arguments: [1, 2, 3])
  func zeroIntelligence(seed: Int) throws {
    let result = try Experiment.run(
      ScenarioLoader.load(
        yaml: """
          seed: \(seed)
          game: {type: double_auction, stake: 100, rounds: 6}
          population: {size: 200, segments: [{name: zi, strategy: zero_intelligence}]}
          """))
    guard case .double(let efficiency)? = result["efficiency"] else {
      Issue.record("no efficiency")
      return
    }
    #expect(efficiency > 0.9 && efficiency <= 1 + 1e-9, "efficiency \(efficiency)")
    // Surplus is conserved: the agents' payoffs add up to the realised surplus of all periods.
    guard case .double(let total)? = result["total_payoff"], case .double(let ce)? = result["ce_price"] else {
      Issue.record("no total")
      return
    }
    #expect(total > 0 && ce > 0)
  }

  @Test("LLM-style traders trade, and only at prices between the two sides' valuations")
  func decoderTraders() throws {
    let result = try Experiment.run(
      ScenarioLoader.load(
        yaml: """
          game: {type: double_auction, stake: 100, rounds: 4}
          population: {size: 100, segments: [{name: llm, decoding: {temperature: 0.05}}]}
          """))
    #expect(result.payoffs.allSatisfy { $0 >= -1e-9 }, "nobody trades at a loss")
    guard case .double(let efficiency)? = result["efficiency"] else { return }
    #expect(efficiency > 0.5 && efficiency <= 1 + 1e-9)
  }

  @Test("built in Swift: with every value 150 and every cost 50 each trade realises 100, at a price in between")
  func directParameters() throws {
    var parameters = DoubleAuctionParameters()
    parameters.rounds = 3
    parameters.values = .constant(150)
    parameters.costs = .constant(50)
    var segment = SegmentSpec(name: "zi", share: 1)
    segment.strategy = "zero_intelligence"
    let spec = try TestSupport.scenario(DoubleAuction.self, parameters, size: 100, segments: [segment])
    let result = try Experiment.run(spec)
    let value = { (column: String) in TestSupport.number(result, column) }
    // 50 buyers and 50 sellers: all 50 units trade in the competitive equilibrium, at any price in [50, 150].
    #expect(value("ce_quantity") == 50)
    #expect(value("ce_price") == 100)
    let trades = value("trades_per_period") * 3
    #expect(trades > 0 && trades <= 3 * 50)
    // Whatever the price, a trade moves value 150 - cost 50 = 100 of surplus to the two traders.
    #expect(abs(value("total_payoff") - 100 * trades) < 1e-6)
    #expect(abs(value("efficiency") - value("quantity_ratio")) < 1e-9)
    #expect(result.payoffs.allSatisfy { $0 >= 0 }, "a zero-intelligence trader never trades at a loss")
    #expect(value("mean_price") >= 50 && value("mean_price") <= 150)
  }

  /// A market of schedules as YAML, with zero-intelligence traders unless `segments` says otherwise.
  static func market(
    buyers: String, sellers: String, size: Int, rounds: Int = 6, seed: Int = 1,
    segments: String = "[{name: zi, strategy: zero_intelligence}]"
  ) -> String {
    """
    seed: \(seed)
    game: {type: double_auction, stake: 200, buyers: \(buyers), sellers: \(sellers), order_rate: 100, rounds: \(rounds)}
    population: {size: \(size), segments: \(segments)}
    """
  }

  @Test("multi-unit schedules decode, and the competitive equilibrium counts every unit of every schedule")
  func schedulesDecode() throws {
    let spec = try ScenarioLoader.load(
      yaml: Self.market(buyers: "[[190, 150, 110], [180, 100]]", sellers: "[[10, 50], [20, 60, 120]]", size: 4))
    let p = DoubleAuction.parameters(spec)
    #expect(p.buyers == [[190, 150, 110], [180, 100]])
    #expect(p.sellers == [[10, 50], [20, 60, 120]])
    // Demand 190, 180, 150, 110, 100 meets supply 10, 20, 50, 60, 120: four units (180 + 160 + 100 + 50 = 490), the
    // clearing range [max(60, 100), min(110, 120)] = [100, 110].
    let ce = DoubleAuction.competitiveEquilibrium(values: [190, 150, 110, 180, 100], costs: [10, 50, 20, 60, 120])
    #expect(ce.quantity == 4)
    #expect(ce.surplus == 490)
    #expect(ce.price == 105)
    let result = try Experiment.run(spec)
    #expect(TestSupport.number(result, "ce_quantity") == 4)
    #expect(TestSupport.number(result, "ce_price") == 105)
    #expect(result.payoffs.allSatisfy { $0 >= 0 }, "a zero-intelligence trader never trades a unit at a loss")
    // LLM-style traders trade the same schedules, and never at a loss either.
    let decoders = try TestSupport.run(
      Self.market(
        buyers: "[[190, 150, 110], [180, 100]]", sellers: "[[10, 50], [20, 60, 120]]", size: 8,
        segments: "[{name: llm, decoding: {temperature: 0.05}}]"))
    #expect(TestSupport.number(decoders, "trades_per_period") > 0)
    #expect(decoders.payoffs.allSatisfy { $0 >= -1e-9 })
  }

  @Test(
    "roles interleave in agent order and agents take the schedules in turn; a doubled population doubles the market")
  func scheduleAssignment() throws {
    let five = DoubleAuction.assignSchedules(count: 5, buyers: 2, sellers: 3)
    #expect(five.isBuyer == [true, false, true, false, false])
    // Buyer schedules are 0 and 1; seller schedules follow them, 2 to 4.
    #expect(five.schedule == [0, 2, 1, 3, 4])
    let twice = DoubleAuction.assignSchedules(count: 24, buyers: 6, sellers: 6)
    #expect(twice.isBuyer == (0..<24).map { $0 % 2 == 0 })
    let expected: [Int32] = (0..<24).map { i in
      let k = Int32((i / 2) % 6)
      return i % 2 == 0 ? k : 6 + k
    }
    #expect(twice.schedule == expected)
    let file = TestSupport.repositoryRoot.path + "/Scenarios/schedule-market-1.yaml"
    let once = try Experiment.run(ScenarioLoader.load(file: file, overrides: ["game.rounds=1"]))
    let doubled = try Experiment.run(
      ScenarioLoader.load(file: file, overrides: ["game.rounds=1", "population.size=24"]))
    #expect(TestSupport.number(once, "ce_quantity") == 14)
    #expect(TestSupport.number(doubled, "ce_quantity") == 28)
    #expect(TestSupport.number(doubled, "ce_price") == TestSupport.number(once, "ce_price"))
  }

  @Test(
    "invalid schedules are refused with a message that says what is wrong and where",
    arguments: [
      ("[[100, 80]]", "[]", "game.sellers", "buyers is given but sellers is not"),
      ("[]", "[[10]]", "game.buyers", "sellers is given but buyers is not"),
      ("[[100], []]", "[[10]]", "game.buyers.1", "each buyer needs 1 to 10000 units"),
      ("[[100, -5]]", "[[10]]", "game.buyers.0.1", "expected a value in [0, 1e12]"),
      ("[[100]]", "[[10, 2e12]]", "game.sellers.0.1", "expected a cost in [0, 1e12]"),
      ("[[100]]", "[[10, .nan]]", "game.sellers.0.1", "expected a cost in [0, 1e12]"),
      ("[[100, 80, 90]]", "[[10]]", "game.buyers.0.2", "a buyer's values must not rise from one unit to the next"),
      ("[[100]]", "[[10, 30, 20]]", "game.sellers.0.2", "a seller's costs must not fall from one unit to the next"),
    ])
  func invalidSchedules(buyers: String, sellers: String, path: String, message: String) {
    let issue = #expect(throws: ScenarioIssue.self) {
      try ScenarioLoader.load(yaml: Self.market(buyers: buyers, sellers: sellers, size: 4))
    }
    #expect(issue?.path == path, "\(String(describing: issue))")
    #expect(issue?.message.contains(message) == true, "\(String(describing: issue))")
  }

  @Test("hand-checked efficiency: two buyers (100, 90) and a seller (40) realise 60 or 50 a period of the CE's 60")
  func tinyMarketEfficiency() throws {
    let rounds = 20.0
    let result = try TestSupport.run(
      Self.market(buyers: "[[100], [90]]", sellers: "[[40]]", size: 3, rounds: Int(rounds), seed: 7))
    let number = { (column: String) in TestSupport.number(result, column) }
    // Agents 0 and 1 are the buyers, agent 2 the seller; the seller's one unit sells every period, to either buyer:
    // 100 - 40 = 60 of surplus when the first buys it (the competitive outcome), 90 - 40 = 50 when the second does.
    #expect(number("ce_quantity") == 1)
    #expect(number("trades_per_period") == 1)
    let total = result.payoffs.reduce(0, +)
    let firstBuys = (total - 50 * rounds) / 10
    #expect(abs(firstBuys - firstBuys.rounded()) < 1e-9, "periods the first buyer won: \(firstBuys)")
    #expect(firstBuys >= 1 && firstBuys < rounds, "both buyers win some periods: \(firstBuys)")
    #expect(abs(number("efficiency") - (60 * firstBuys + 50 * (rounds - firstBuys)) / (60 * rounds)) < 1e-9)
    #expect(result.payoffs.allSatisfy { $0 >= 0 }, "no one pays above its value or sells below its cost")
  }

  @Test(
    "ZI-C traders reach 97-100% efficiency on the Gode & Sunder style markets (seeds 1-4)",
    arguments: [1, 2, 3, 4, 5])
  func godeSunderMarkets(market: Int) throws {
    let file = TestSupport.repositoryRoot.path + "/Scenarios/schedule-market-\(market).yaml"
    for seed in 1...4 {
      let spec = try ScenarioLoader.load(file: file, overrides: ["seed=\(seed)"])
      let result = try Experiment.run(spec)
      let efficiency = TestSupport.number(result, "efficiency")
      #expect(efficiency >= 0.97 && efficiency <= 1 + 1e-9, "market \(market), seed \(seed): \(efficiency)")
      // Surplus is conserved: the traders' payoffs add up to the realised surplus of the periods.
      let p = DoubleAuction.parameters(spec)
      let ce = DoubleAuction.competitiveEquilibrium(values: p.buyers.flatMap { $0 }, costs: p.sellers.flatMap { $0 })
      let total = result.payoffs.reduce(0, +)
      #expect(abs(total - efficiency * ce.surplus * Double(p.rounds)) < 1e-6 * total)
    }
  }

  @Test(
    "events.csv: one row per trade, each within the buyer's value and the seller's cost; the trades per period and mean price are the run's, the surpluses its payoffs"
  )
  func events() throws {
    let (result, events, folder) = try TestSupport.events(DoubleAuction.self, "double-auction.yaml", ["game.rounds=3"])
    let value = { (column: String) in TestSupport.number(result, column) }
    let numbers = { (name: String) throws -> [Double] in
      let k = try events.columnIndex(name)
      return events.rows.map { Double($0[k]) ?? .nan }
    }
    let (round, time, buyer, seller) = try (
      numbers("round"), numbers("period_time"), numbers("buyer"), numbers("seller")
    )
    let (price, worth, cost) = try (numbers("price"), numbers("buyer_value"), numbers("seller_cost"))
    let (buyerSurplus, sellerSurplus) = try (numbers("buyer_surplus"), numbers("seller_surplus"))
    let trades = Double(price.count)
    #expect(trades > 0)
    #expect(trades == value("trades_per_period") * 3)
    #expect(abs(price.reduce(0, +) / trades - value("mean_price")) < 1e-9 * value("mean_price"))
    for t in price.indices {
      #expect(buyer[t] != seller[t] && (0...1).contains(time[t]))
      // No trader trades at a loss: bids stay below values, asks above costs.
      #expect(cost[t] <= price[t] && price[t] <= worth[t], "trade \(t): cost \(cost[t]), price \(price[t])")
      #expect(buyerSurplus[t] == worth[t] - price[t] && sellerSurplus[t] == price[t] - cost[t])
    }
    let surplus = buyerSurplus.reduce(0, +) + sellerSurplus.reduce(0, +)
    #expect(abs(surplus - value("total_payoff")) < 1e-9 * surplus)
    #expect(abs(buyerSurplus.reduce(0, +) / surplus - value("buyer_surplus_share")) < 1e-12)
    // Each period's trades are steps.csv's, in time order within the period.
    let steps = try CSVTable(contentsOf: folder + "/steps.csv")
    let perPeriod = try steps.columnIndex("trades_per_period")
    for (r, row) in steps.rows.enumerated() {
      let mine = price.indices.filter { round[$0] == Double(r + 1) }
      #expect(Double(mine.count) == Double(row[perPeriod]), "period \(r + 1)")
      #expect(zip(mine, mine.dropFirst()).allSatisfy { time[$0] <= time[$1] })
    }
  }
}
