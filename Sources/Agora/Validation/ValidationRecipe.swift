import AgoraCore
import AgoraModels
import AgoraOutput
import AgoraScenario
import AgoraSweep

/// How a ``ValidationTarget`` is measured: the game set up as the cited study describes it (at the study's own
/// grid: whole dollars of 100, tokens of 20, units of 10), played by a preset's population, and the column of its
/// result that is the statistic.
public struct ValidationRecipe: Sendable {
  /// The scenario (without its population), as YAML.
  public var game: String
  public var population: Int
  /// Fixed strategies added beside the preset's agents (half of the population, in equal shares).
  public var opponents: [PrisonersDilemma.Strategy] = []
  /// What the statistic reads from the run's result.
  public var statistic: Statistic

  /// Where a statistic is read.
  public enum Statistic: Sendable, Hashable {
    /// A summary column.
    case summary(String)
    /// A column of `steps.csv` at a step (from 1).
    case step(String, Int)
    /// The mean of `<column>_<segment>_vs_<opponent>` over the preset's segments (weighted by share) and the
    /// listed opponents (`nil`: the segment itself; an opponent listed twice weighs twice).
    case versus(String, [PrisonersDilemma.Strategy?])
  }

  /// The stake of the recipe's game, as its YAML writes it (`stake: N`; the games' default, 100, where it writes
  /// none).
  public var stake: Double {
    guard let key = game.range(of: #"stake:\s*"#, options: .regularExpression) else { return 100 }
    return Double(game[key.upperBound...].prefix { $0.isNumber || $0 == "." }) ?? 100
  }

  /// The run a recipe needs: recipes with the same experiment share one run.
  public var experiment: String { "\(game)|\(population)|\(opponents.map(\.rawValue))" }

  /// The recipe for `target`, or `nil` if there is none for its game and statistic.
  public static func of(_ target: ValidationTarget) -> ValidationRecipe? {
    let ultimatum = "game: {type: ultimatum, stake: 100, offer_step: 1, rounds: 1, roles: fixed}"
    // Brookins & DeBacker's GPT-3.5 dictators had 10 euro, in whole euros; the other studies, 100 in whole dollars.
    let euros = target.condition.range(of: #"(^|[^0-9.])10 euro"#, options: .regularExpression) != nil
    let dictator = "game: {type: dictator, stake: \(euros ? 10 : 100), offer_step: 1, rounds: 1, roles: fixed}"
    let trust = "game: {type: trust, stake: 10, offer_step: 1, multiplier: 3, rounds: 1, roles: fixed}"
    let oneShot = "game: {type: prisoners_dilemma, horizon: 1, rounds: 1}"
    let repeated = "game: {type: prisoners_dilemma, horizon: 10, rounds: 1}\nmatching: {type: round_robin}"
    let mix: [PrisonersDilemma.Strategy] = [.alwaysCooperate, .alwaysDefect, .defectOnce, .alternate]
    // Akata et al.'s eight opponents of GPT-4 as they played it in the released data: GPT-4 itself; always
    // cooperate, GPT-3 and Llama 2 (which cooperated in every move); always defect; defect once; Claude 2
    // (cooperate once); GPT-3.5 (defect in stages 2 and 3).
    // Each agent plays one match against a random partner, so that every game starts from the prior with an empty
    // window, as each of Akata et al.'s games was a new conversation (a round robin carries the window over).
    let fresh = "game: {type: prisoners_dilemma, horizon: 10, rounds: 1}\nmatching: {type: random_pairs}"
    let akata: [PrisonersDilemma.Strategy] = [
      .alwaysCooperate, .alwaysDefect, .defectOnce, .cooperateOnce, .defectTwice,
    ]
    let eight: [PrisonersDilemma.Strategy?] = [
      nil, .alwaysCooperate, .alwaysCooperate, .alwaysCooperate, .alwaysDefect, .defectOnce, .cooperateOnce,
      .defectTwice,
    ]
    let rounds = target.condition.contains("3 rounds") ? 3 : 10
    let publicGoods =
      "game: {type: public_goods, stake: 20, offer_step: 1, mpcr: 0.4, rounds: \(rounds)}\n"
      + "matching: {type: groups, size: 4, partner: false}"
    func period(_ prefix: String) -> Int? {
      target.statistic.hasPrefix(prefix) ? Int(target.statistic.dropFirst(prefix.count)) : nil
    }
    switch (target.game, target.statistic) {
    case ("ultimatum", "mean_offer_share"): return ValidationRecipe(game: ultimatum, .summary("mean_offer"))
    case ("ultimatum", "rejection_rate"), ("ultimatum", "share_offers_40_to_50_percent"),
      ("ultimatum", "share_offers_below_20_percent"), ("ultimatum", "share_offering_half"):
      return ValidationRecipe(game: ultimatum, .summary(target.statistic))
    case ("dictator", "mean_share_given"), ("dictator", "share_giving_zero"), ("dictator", "share_giving_half"),
      ("dictator", "share_giving_everything"):
      return ValidationRecipe(game: dictator, .summary(target.statistic))
    case ("trust", "share_sent"), ("trust", "mean_share_sent"):
      return ValidationRecipe(game: trust, .summary("share_sent"))
    case ("trust", "share_returned"): return ValidationRecipe(game: trust, .summary("share_returned"))
    case ("public_goods", _):
      guard let n = period("contribution_share_period_") ?? period("contribution_share_round_"), (1...rounds) ~= n
      else { return nil }
      return ValidationRecipe(game: publicGoods, .step("contribution_share", n))
    case ("prisoners_dilemma", "first_round_cooperation_rate"):
      return ValidationRecipe(game: oneShot, .summary("first_stage_cooperation_rate"))
    case ("prisoners_dilemma", "cooperation_rate")
    where target.condition.hasPrefix("GPT-4") && target.condition.contains("eight opponents"):
      return ValidationRecipe(
        game: fresh, population: 4000, opponents: akata, statistic: .versus("cooperation_rate", eight))
    case ("prisoners_dilemma", "cooperation_rate") where target.condition.contains("repeated"):
      return ValidationRecipe(
        game: repeated, population: 160, opponents: mix, statistic: .versus("cooperation_rate", mix))
    case ("prisoners_dilemma", "cooperation_after_partner_defection"):
      return ValidationRecipe(
        game: fresh, population: 4000, opponents: akata,
        statistic: .versus("cooperation_after_partner_defection", [.defectOnce]))
    case ("prisoners_dilemma", "cooperation_rate"): return ValidationRecipe(game: oneShot, .summary("cooperation_rate"))
    default: return nil
    }
  }

  init(game: String, _ statistic: Statistic) {
    self.init(game: game, population: 4000, statistic: statistic)
  }

  init(game: String, population: Int, opponents: [PrisonersDilemma.Strategy] = [], statistic: Statistic) {
    self.game = game
    self.population = population
    self.opponents = opponents
    self.statistic = statistic
  }

  /// Plays the recipe's experiment with `preset`'s population (with `values` for its parameters).
  /// `events` receives every interaction (the division games log theirs).
  public func play(
    _ preset: PopulationPreset, _ values: [String: Double] = [:], seed: UInt64 = 1, events: InteractionSink? = nil
  ) throws -> RunResult {
    let segments = preset.segmentsYAML(values).split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
    let yaml =
      "name: validation\nseed: \(seed)\n\(game)\npopulation:\n  size: \(population)\n  segments:\n\(segments)\n"
    var spec = try ScenarioLoader.load(yaml: yaml, source: "validation recipe (\(preset.name))")
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
    return try Experiment.run(spec, events: events)
  }

  /// The statistic in `result`, a run of this recipe's experiment (NaN when the run does not define it).
  public func read(_ result: RunResult) -> Double {
    func number(_ cell: Cell?) -> Double {
      if case .double(let v)? = cell { return v }
      if case .int(let v)? = cell { return Double(v) }
      return .nan
    }
    switch statistic {
    case .summary(let column): return number(result[column])
    case .step(let column, let n):
      guard let c = result.stepColumns.firstIndex(of: column), let s = result.stepColumns.firstIndex(of: "step"),
        let row = result.stepRows.first(where: { number($0[s]) == Double(n) })
      else { return .nan }
      return number(row[c])
    case .versus(let column, let against):
      var total = 0.0
      var shares = 0.0
      for segment in result.population.segments where segment.strategy == nil {
        let rates = against.map { opponent in
          number(result["\(column)_\(segment.name.snakeCased)_vs_\(opponent?.rawValue ?? segment.name.snakeCased)"])
        }
        total += segment.share * rates.reduce(0, +) / Double(rates.count)
        shares += segment.share
      }
      return total / shares
    }
  }

  /// Plays the recipe with `preset`'s population (with `values` for its parameters) and returns the statistic.
  public func measure(_ preset: PopulationPreset, _ values: [String: Double] = [:], seed: UInt64 = 1) throws -> Double {
    read(try play(preset, values, seed: seed))
  }
}
