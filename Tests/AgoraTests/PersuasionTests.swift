import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraLanguageModel
@testable import AgoraModels
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

/// GLEE's persuasion game: cheap talk and credible claims, from YAML and from parameters built in Swift.
@Suite("Games: persuasion (GLEE)")
struct PersuasionTests {
  func run(_ yaml: String, _ overrides: [String] = []) throws -> RunResult { try TestSupport.run(yaml, overrides) }
  func number(_ result: RunResult, _ column: String) -> Double { TestSupport.number(result, column) }

  @Test("myopic buyers facing selfish sellers' cheap talk ignore the messages")
  func cheapTalkIgnored() throws {
    for value in [3.0, 1.5] {
      let result = try run(
        """
        game: {type: persuasion, stake: 100, quality_prior: 0.5, buyer_value: \(value), buyer: myopic}
        population: {size: 4200, segments: [{name: s, decoding: {temperature: 0}}]}
        """)
      let positive = number(result, "purchase_rate_after_positive")
      let negative = number(result, "purchase_rate_after_negative")
      #expect(number(result, "honesty_rate") < 0.5)
      #expect(negative.isNaN || abs(positive - negative) < 0.08, "value \(value): \(positive) vs \(negative)")
    }
  }

  @Test("honest sellers make claims credible: buyers buy after 'high' and pass after 'low'")
  func honestClaims() throws {
    let result = try run(
      """
      game: {type: persuasion, stake: 100, quality_prior: 0.3, buyer_value: 2, buyer: long_lived}
      population: {size: 400, segments: [{name: s, preferences: {honesty: 2}, decoding: {temperature: 0}}]}
      """)
    #expect(number(result, "honesty_rate") == 1)
    #expect(number(result, "purchase_rate_after_negative") == 0)
    // The first "high" claim is not yet credible (0.3 * 2 < 1); once one has proved true, every one sells.
    #expect(number(result, "purchase_rate_after_positive") > 0.75)
    // GLEE: efficiency = high-quality rounds bought / high-quality rounds; fairness = low rounds not bought / low rounds.
    #expect(number(result, "fairness") == 1)
    #expect(number(result, "efficiency") > 0.75)
  }

  /// GLEE's myopic buyer sees only how many products were sold and how many of those were of high quality: facing an
  /// honest seller with a prior too low to buy (0.3 x 2 < 1), it never learns (no sale, no statistics), where the
  /// long-lived buyer learns from the claims' record; with a prior high enough to start (0.6 x 2 > 1) it keeps buying
  /// after "high" (every product sold was of high quality) and believes "low".
  @Test("the myopic buyer learns from the sales statistics only")
  func myopicStatistics() throws {
    func game(_ prior: Double, _ buyer: String) throws -> RunResult {
      try run(
        """
        game: {type: persuasion, stake: 100, quality_prior: \(prior), buyer_value: 2, buyer: \(buyer)}
        population: {size: 400, segments: [{name: s, preferences: {honesty: 2}, decoding: {temperature: 0}}]}
        """)
    }
    #expect(number(try game(0.3, "myopic"), "purchase_rate") == 0)
    #expect(number(try game(0.3, "long_lived"), "purchase_rate_after_positive") > 0.75)
    let started = try game(0.6, "myopic")
    #expect(number(started, "honesty_rate") == 1)
    #expect(number(started, "purchase_rate_after_positive") == 1)
    #expect(number(started, "purchase_rate_after_negative") == 0)
    #expect(number(started, "efficiency") == 1 && number(started, "fairness") == 1)
  }

  /// GLEE's buyer messages, stylised: after each round the buyer tells the seller how far it believes "high
  /// quality". An honest buyer says what the seller already reads off the record, so nothing changes; a buyer short of
  /// honesty understates it, overclaiming looks futile to the seller, and sellers tell the truth more often.
  @Test("buyer messages: honest ones change nothing; understated trust makes sellers more honest")
  func buyerMessages() throws {
    func game(_ honesty: Double, _ messages: Bool) throws -> RunResult {
      try run(
        """
        seed: 3
        game: {type: persuasion, stake: 100, quality_prior: 0.5, buyer_value: 3, buyer_messages: \(messages)}
        population: {size: 2000, segments: [{name: s, preferences: {honesty: \(honesty)}, decoding: {temperature: 0.1}}]}
        """)
    }
    let (quiet, told) = (try game(1, false), try game(1, true))
    #expect(quiet.payoffs == told.payoffs)
    #expect(number(quiet, "honesty_rate") == number(told, "honesty_rate"))
    for honesty in [0.0, 0.3] {
      let before = number(try game(honesty, false), "honesty_rate")
      let after = number(try game(honesty, true), "honesty_rate")
      #expect(after > before + 0.04, "honesty \(honesty): \(before) -> \(after)")
    }
    let prompt = Persuasion(spec: PersuasionParameters()).claimPrompt(round: 2, high: false, told: 0.416)
    #expect(prompt.question.contains("\"I believe you about 42% of the time when you say it is high quality.\""))
    #expect(!Persuasion(spec: PersuasionParameters()).claimPrompt(round: 0, high: false).question.contains("told you"))
  }

  @Test(
    "built in Swift: when every product is of high quality a buyer buys iff buyer_value > 1; a sale is worth v prices",
    arguments: [1.5, 0.8])
  func directParameters(value: Double) throws {
    var parameters = PersuasionParameters()
    parameters.stake = 10
    parameters.horizon = 5
    parameters.qualityPrior = 1
    parameters.buyerValue = value
    let segment = SegmentSpec(name: "s", share: 1, decoding: DecodingParameters(temperature: 0))
    let spec = try TestSupport.scenario(Persuasion.self, parameters, size: 100, segments: [segment])
    let result = try Experiment.run(spec)
    // Every claim has proved true, so it is credible: buying gains v - 1 prices, passing nothing.
    let buys = value > 1
    #expect(number(result, "purchase_rate") == (buys ? 1 : 0))
    #expect(number(result, "efficiency") == (buys ? 1 : 0))
    #expect(abs(number(result, "self_gain_buyer") - (buys ? value - 1 : 0)) < 1e-12)
    // A sale pays the seller the price and the buyer v - 1 prices: v x 10 for each of 5 rounds of 50 matches.
    #expect(number(result, "matches") == 50)
    #expect(abs(number(result, "total_payoff") - (buys ? value * 10 * 5 * 50 : 0)) < 1e-9)
  }

  @Test(
    "events.csv: one row per round of a seller's game; the bought rows are the summary's sales, the honest claims its honesty rate, the payoffs the run's total",
    arguments: ["long_lived", "myopic"])
  func events(buyer: String) throws {
    let (result, events, _) = try TestSupport.events(
      Persuasion.self, "persuasion.yaml", ["population.size=420", "game.buyer=\(buyer)"])
    let (seller, buyerColumn, quality, claim, bought, sellerPayoff, buyerPayoff) = try (
      events.columnIndex("seller"), events.columnIndex("buyer"), events.columnIndex("quality"),
      events.columnIndex("claim"), events.columnIndex("bought"), events.columnIndex("seller_payoff"),
      events.columnIndex("buyer_payoff")
    )
    // 20 rounds a game, 210 games with either kind of buyer (GLEE's new buyers are one agent playing each round afresh).
    let games = number(result, "matches")
    #expect(games == 210)
    #expect(Double(events.rows.count) == games * 20)
    let sales = Double(events.rows.filter { $0[bought] == "1" }.count)
    #expect(sales > 0)
    #expect(abs(sales - number(result, "self_gain_seller") * games * 20) < 1e-9 * sales)
    #expect(abs(sales / Double(events.rows.count) - number(result, "purchase_rate")) < 1e-12)
    let low = events.rows.filter { $0[quality] == "low" }
    let honest = Double(low.filter { $0[claim] == "low quality" }.count)
    #expect(abs(honest / Double(low.count) - number(result, "honesty_rate")) < 1e-12)
    let paid = events.rows.reduce(0) { $0 + (Double($1[sellerPayoff]) ?? .nan) + (Double($1[buyerPayoff]) ?? .nan) }
    #expect(abs(paid - number(result, "total_payoff")) < 1e-9 * max(1, abs(paid)))
    // A seller's game has one buyer agent throughout.
    let buyers = Dictionary(grouping: events.rows, by: { $0[seller] }).mapValues { Set($0.map { $0[buyerColumn] }) }
    #expect(buyers.values.allSatisfy { $0.count == 1 })
  }
}
