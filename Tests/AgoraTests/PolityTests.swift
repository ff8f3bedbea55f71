import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraLanguageModel
@testable import AgoraModels
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

@Suite("Civilizations: polity")
struct PolityTests {
  func polity(_ yaml: String) throws -> PolityRun {
    let spec = try ScenarioLoader.load(yaml: yaml)
    let seeds = SeedSequence(master: spec.seed)
    var run = PolityRun(scenario: spec, population: Population(spec: spec.population, seeds: seeds), seeds: seeds)
    run.run()
    return run
  }

  /// Runs a polity built in Swift.
  func polity(_ spec: ScenarioSpec) -> PolityRun {
    let seeds = SeedSequence(master: spec.seed)
    var run = PolityRun(scenario: spec, population: Population(spec: spec.population, seeds: seeds), seeds: seeds)
    run.run()
    return run
  }

  static let small = """
    game: {type: polity, rounds: 20, polity: {tax_period: 5, skill: {dist: pareto, shape: 2, scale: 1}}}
    population:
      size: 2000
      segments:
        - {name: a, share: 0.5, preferences: {guilt: 0.7}, decoding: {temperature: 0.05}}
        - {name: b, share: 0.5, decoding: {temperature: 0.05}}
    """

  @Test("bracketed tax of a known income; the bounded-confidence update")
  func taxAndOpinion() {
    // 20 under brackets 5, 15, 40 and rates 0.1, 0.2, 0.3, 0.4: 0.1 * 5 + 0.2 * 10 + 0.3 * 5 = 4.
    #expect(abs(PolityRun.tax(20, brackets: [5, 15, 40], rates: [0.1, 0.2, 0.3, 0.4]) - 4) < 1e-12)
    #expect(abs(PolityRun.tax(100, brackets: [5, 15, 40], rates: [0.1, 0.2, 0.3, 0.4]) - 34) < 1e-12)
    #expect(PolityRun.tax(3, brackets: [5], rates: [0, 0.5]) == 0)
    #expect(PolityRun.listen(0.5, to: 0.6, confidence: 0.3, convergence: 0.5) == 0.55)
    #expect(PolityRun.listen(0.1, to: 0.9, confidence: 0.3, convergence: 0.5) == 0.1)
  }

  @Test("trade never crosses the marginal rates of substitution; taxes and rebates balance; prices converge")
  func invariants() throws {
    let run = try polity(Self.small)
    #expect(run.crossings == 0)
    #expect(run.prices.count > 1000)
    // Every unit of coin earned ends in someone's wealth: the rebate returns exactly what the tax took.
    #expect(abs(run.wealth.reduce(0, +) - run.productivity) < 1e-6 * run.productivity)
    let first = run.steps.first!.dispersion
    let last = run.steps.last!.dispersion
    #expect(last < first, "price dispersion falls as trade equalises the rates: \(first) -> \(last)")
  }

  @Test("bounded confidence with a wide threshold pulls opinions together; the run is deterministic")
  func consensus() throws {
    let wide = try polity(Self.small.replacingOccurrences(of: "tax_period: 5,", with: "tax_period: 5, confidence: 1,"))
    #expect(wide.steps.last!.variance < wide.steps.first!.variance / 2)
    let a = try polity(Self.small)
    let b = try polity(Self.small)
    #expect(a.wealth == b.wealth && a.opinion == b.opinion)
  }

  @Test("built in Swift: a flat 20% schedule collects a fifth of all income, and the equal rebate returns all of it")
  func directParameters() throws {
    var parameters = PolityParameters()
    parameters.rounds = 10
    parameters.polity.taxPeriod = 5
    parameters.polity.brackets = [10]
    parameters.polity.schedules = [[0.2, 0.2]]
    parameters.polity.initialSchedule = 0
    let segment = SegmentSpec(name: "h", share: 1, decoding: DecodingParameters(temperature: 0.05))
    let spec = try TestSupport.scenario(PolityRun.self, parameters, size: 500, segments: [segment])
    let run = polity(spec)
    // Two whole tax years: every coin earned has been taxed once, at 20% whatever the bracket.
    #expect(run.productivity > 0)
    #expect(run.schedule == 0)
    #expect(abs(run.revenue - 0.2 * run.productivity) < 1e-9 * run.productivity)
    #expect(abs(run.wealth.reduce(0, +) - run.productivity) < 1e-9 * run.productivity)
    #expect(run.crossings == 0)
  }
}
