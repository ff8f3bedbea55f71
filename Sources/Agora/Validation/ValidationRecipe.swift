import AgoraCore
import AgoraModels
import AgoraOutput
import AgoraScenario
import AgoraSweep

/// How a ``ValidationTarget`` is measured: the game set up as the cited study describes it, played by a preset's
/// population, and the summary column (or average of pair columns) that is the statistic.
public struct ValidationRecipe: Sendable {
  /// The scenario (without its population), as YAML.
  public var game: String
  public var population: Int
  /// Fixed strategies added beside the preset's agents (each with this share; the preset's shares are scaled down).
  public var opponents: [PrisonersDilemma.Strategy] = []
  /// The summary column measured; with opponents, the mean of `<column>_<segment>_vs_<opponent>` over the preset's
  /// segments (weighted by share) and the opponents.
  public var column: String

  /// The recipe for `target`, or `nil` if there is none for its game and statistic.
  public static func of(_ target: ValidationTarget) -> ValidationRecipe? {
    let ultimatum = "game: {type: ultimatum, stake: 100, offer_step: 5, rounds: 1, roles: fixed}"
    let dictator = "game: {type: dictator, stake: 100, offer_step: 5, rounds: 1, roles: fixed}"
    let trust = "game: {type: trust, stake: 10, offer_step: 1, multiplier: 3, rounds: 1, roles: fixed}"
    let oneShot = "game: {type: prisoners_dilemma, horizon: 1, rounds: 1}"
    func publicGoods(_ rounds: Int) -> String {
      "game: {type: public_goods, stake: 20, offer_step: 1, mpcr: 0.4, rounds: \(rounds)}\n"
        + "matching: {type: groups, size: 4, partner: false}"
    }
    switch (target.game, target.statistic) {
    case ("ultimatum", "mean_offer_share"):
      return ValidationRecipe(game: ultimatum, population: 4000, column: "mean_offer")
    case ("ultimatum", "rejection_rate"):
      return ValidationRecipe(game: ultimatum, population: 4000, column: "rejection_rate")
    case ("dictator", "mean_share_given"):
      return ValidationRecipe(game: dictator, population: 4000, column: "mean_share_given")
    case ("dictator", "share_giving_zero"):
      return ValidationRecipe(game: dictator, population: 4000, column: "share_giving_zero")
    case ("trust", "share_sent"): return ValidationRecipe(game: trust, population: 4000, column: "share_sent")
    case ("trust", "share_returned"): return ValidationRecipe(game: trust, population: 4000, column: "share_returned")
    case ("public_goods", "contribution_share_period_1"), ("public_goods", "contribution_share_round_1"):
      let rounds = target.condition.contains("3 rounds") ? 3 : 10
      return ValidationRecipe(game: publicGoods(rounds), population: 4000, column: "contribution_share_round_1")
    case ("public_goods", "contribution_share_period_10"):
      return ValidationRecipe(game: publicGoods(10), population: 4000, column: "contribution_share_round_last")
    case ("prisoners_dilemma", "first_round_cooperation_rate"):
      return ValidationRecipe(game: oneShot, population: 4000, column: "first_stage_cooperation_rate")
    case ("prisoners_dilemma", "cooperation_rate") where target.condition.contains("repeated"):
      return ValidationRecipe(
        game: "game: {type: prisoners_dilemma, horizon: 10, rounds: 1}\nmatching: {type: round_robin}",
        population: 160, opponents: [.alwaysCooperate, .alwaysDefect, .defectOnce, .alternate],
        column: "cooperation_rate")
    case ("prisoners_dilemma", "cooperation_rate"):
      return ValidationRecipe(game: oneShot, population: 4000, column: "cooperation_rate")
    default: return nil
    }
  }

  /// Plays the recipe with `preset`'s population (with `values` for its parameters) and returns the statistic.
  public func measure(_ preset: PopulationPreset, _ values: [String: Double] = [:], seed: UInt64 = 1) throws -> Double {
    let segments = preset.segmentsYAML(values).split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
    let yaml =
      "name: validation\nseed: \(seed)\n\(game)\npopulation:\n  size: \(population)\n  segments:\n\(segments)\n"
    var spec = try ScenarioLoader.load(yaml: yaml, source: "validation recipe (\(preset.name))")
    let own = spec.population.segments
    if !opponents.isEmpty {
      let scale = 1 / 2.0
      for k in spec.population.segments.indices { spec.population.segments[k].share *= scale }
      for strategy in opponents {
        var segment = SegmentSpec(name: strategy.rawValue, share: scale / Double(opponents.count))
        segment.strategy = strategy.rawValue
        spec.population.segments.append(segment)
      }
    }
    spec.output.agents = false
    let result = try Experiment.run(spec)
    func value(_ name: String) -> Double {
      if case .double(let v)? = result[name] { return v }
      if case .int(let v)? = result[name] { return Double(v) }
      return .nan
    }
    guard !opponents.isEmpty else { return value(column) }
    var total = 0.0
    for segment in own {
      let rates = opponents.map { value("\(column)_\(segment.name.snakeCased)_vs_\($0.rawValue)") }
      total += segment.share * rates.reduce(0, +) / Double(rates.count)
    }
    return total
  }
}
