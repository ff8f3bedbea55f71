import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraModels

/// GLEE's own metric definitions (`analyze/metrics.py`) beside Agora's: the `glee_*` columns, checked on games built
/// so that the two definitions differ, and on games where they must agree.
@Suite("GLEE's metric definitions beside Agora's")
struct GLEEMetricsTests {
  func run(_ yaml: String) throws -> RunResult { try TestSupport.run(yaml) }
  func number(_ result: RunResult, _ column: String) -> Double { TestSupport.number(result, column) }

  /// A population of identical agents with these preferences, decoding by argmax.
  static func population(_ preferences: String, size: Int = 200) -> String {
    "population: {size: \(size), segments: [{name: s, preferences: {\(preferences)}, decoding: {temperature: 0}}]}"
  }

  @Test(
    "a bargaining disagreement: Agora scores fairness 1 and gains 0; GLEE scores Alice's share 0 after T rounds",
    arguments: [(1, 1.0), (2, 0.25)])
  func bargainingDisagreement(horizon: Int, bobGain: Double) throws {
    // Envious agents: Bob's reservation is dB = 0.25 of the stake (his share as the last proposer, discounted), so
    // Alice keeps 0.75, which Bob rejects out of envy; in the last round the proposer keeps everything, which the
    // envious responder rejects too. No agreement, after T rounds.
    let result = try run(
      "game: {type: bargaining, stake: 100, offer_step: 5, delta_a: 0.9, delta_b: 0.25, horizon: \(horizon)}\n"
        + Self.population("envy: 1"))
    #expect(number(result, "agreement_rate") == 0)
    #expect(number(result, "efficiency") == 0)
    #expect(number(result, "fairness") == 1)
    #expect(number(result, "self_gain_alice") == 0)
    #expect(number(result, "self_gain_bob") == 0)
    // GLEE: p = 0 after T rounds played: fairness 1 - 4 (0 - 1/2)^2 = 0, Bob's gain and efficiency dB^(T-1).
    #expect(number(result, "glee_fairness") == 0)
    #expect(number(result, "glee_self_gain_bob") == bobGain)
    #expect(number(result, "glee_efficiency") == bobGain)
  }

  @Test("on agreement GLEE's bargaining columns equal Agora's", arguments: ["1", "12", "unbounded"])
  func bargainingAgreement(horizon: String) throws {
    let result = try run(
      "game: {type: bargaining, stake: 100, offer_step: 1, delta_a: 0.9, delta_b: 0.8, horizon: \(horizon)}\n"
        + Self.population("self_weight: 1"))
    #expect(number(result, "agreement_rate") == 1)
    for (glee, agora) in [
      ("glee_efficiency", "efficiency"), ("glee_fairness", "fairness"), ("glee_self_gain_bob", "self_gain_bob"),
    ] {
      #expect(number(result, glee) == number(result, agora), "\(glee)")
    }
  }

  @Test("a negotiation trade priced below F_A with F_B > F_A: efficient for GLEE, not for Agora; fairness clipped")
  func negotiationOutsidePrice() throws {
    // Altruistic sellers (altruism 1.2 > self weight 1) give the good away at price 0, which the buyer accepts
    // (1.2 - 1.2 x 0.8 > 0): a trade below the seller's value 0.8.
    let result = try run(
      "game: {type: negotiation, stake: 100, offer_step: 5, value_a: 0.8, value_b: 1.2, horizon: 1}\n"
        + Self.population("altruism: 1.2"))
    #expect(number(result, "trade_rate") == 1)
    #expect(number(result, "mean_price") == 0)
    #expect(number(result, "efficiency") == 0)
    #expect(number(result, "glee_efficiency") == 1)
    // 1 - 4 (0 - (0.8 + 1.2)/2)^2 = -3 per game; GLEE clips the configuration's value to [0, 1].
    #expect(abs(number(result, "fairness") + 3) < 1e-12)
    #expect(number(result, "glee_fairness") == 0)
  }

  @Test(
    "GLEE's negotiation efficiency: trade iff F_B > F_A, no trade iff F_B < F_A, as Agora's when prices are fair",
    arguments: [(0.8, 1.2, "1"), (0.8, 1.2, "unbounded"), (1.5, 0.8, "10")])
  func negotiationAgreement(valueA: Double, valueB: Double, horizon: String) throws {
    let result = try run(
      "game: {type: negotiation, stake: 100, offer_step: 5, value_a: \(valueA), value_b: \(valueB), "
        + "horizon: \(horizon)}\n" + Self.population("self_weight: 1"))
    #expect(number(result, "trade_rate") == (valueB > valueA ? 1 : 0))
    #expect(number(result, "glee_efficiency") == 1)
    #expect(number(result, "efficiency") == 1)
    #expect(number(result, "glee_fairness") == number(result, "fairness"))
  }

  @Test(
    "persuasion with only low-quality products, never bought: Agora's buyer gain 0, GLEE's -1 (r = T)",
    arguments: [20, 7])
  func persuasionNothingBought(horizon: Int) throws {
    // Quality prior 0: every claim has credibility 0, so no buyer buys; every round is a low-quality product not
    // bought (r = T, l = 0, n = k = 0).
    let result = try run(
      "game: {type: persuasion, stake: 100, quality_prior: 0, buyer_value: 2, horizon: \(horizon)}\n"
        + Self.population("self_weight: 1"))
    #expect(number(result, "purchase_rate") == 0)
    #expect(number(result, "self_gain_buyer") == 0)
    #expect(number(result, "glee_self_gain_buyer") == -1)
    // Efficiency is undefined without a high-quality product (both drop such games); fairness r / (T - n) = 1.
    #expect(number(result, "efficiency").isNaN)
    #expect(number(result, "fairness") == 1)
  }

  @Test("persuasion buyers who buy everything: GLEE's buyer gain ignores the low-quality products bought")
  func persuasionEverythingBought() throws {
    // Buyers who keep the prior 1/2 and value quality at 4 buy every product (1/2 x 4 > 1): k = n, l = T - n, r = 0.
    // Agora: (n (v - 1) - (T - n)) / T = n v / T - 1; GLEE: n (v - 1) / T = (Agora's + 1) (v - 1) / v.
    let result = try run(
      """
      game: {type: persuasion, stake: 100, quality_prior: 0.5, buyer_value: 4}
      population: {size: 420, segments: [{name: s, decoding: {temperature: 0}, memory: {learning: none}}]}
      """)
    #expect(number(result, "purchase_rate") == 1)
    #expect(number(result, "fairness") == 0)
    let agora = number(result, "self_gain_buyer")
    #expect(agora > 0.5 && agora < 1.5, "\(agora)")
    #expect(abs(number(result, "glee_self_gain_buyer") - (agora + 1) * 3 / 4) < 1e-12)
  }

  @Test("the glee_* columns reach summary.csv, steps.csv and segments.csv")
  func columnsWritten() throws {
    let folder = TestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    for (scenario, columns) in [
      ("bargaining", ["glee_efficiency", "glee_fairness", "glee_self_gain_bob"]),
      ("negotiation", ["glee_efficiency", "glee_fairness"]), ("persuasion", ["glee_self_gain_buyer"]),
    ] {
      let spec = try ScenarioLoader.load(
        file: TestSupport.repositoryRoot.path + "/Scenarios/\(scenario).yaml", overrides: ["population.size=60"])
      let out = "\(folder)/\(scenario)"
      _ = try RunFolder.execute(spec, into: out, threads: 1)
      for file in ["summary.csv", "steps.csv", "segments.csv"] {
        let text = String(decoding: TestSupport.bytes("\(out)/\(file)"), as: UTF8.self)
        let header = text.split(separator: "\n").first.map { $0.split(separator: ",").map(String.init) } ?? []
        for column in columns { #expect(header.contains(column), "\(scenario)/\(file): \(column)") }
      }
    }
  }
}
