import Agora

/// Rousseau's stag hunt (Skyrms 2004): two hunters each hunt the stag or a hare. The stag needs both and pays each
/// `stag`; a hare pays `hare` whatever the other does; a lone stag hunter gets nothing. Both (stag, stag) and
/// (hare, hare) are equilibria; stag is payoff-dominant, hare risk-dominant when `hare > stag / 2`.
///
/// A hunter believes with its belief about cooperation `q` that the other hunts the stag, and weighs its own and the
/// other's payoff with its motives (an inequity-averse hunter dislikes being left alone with nothing more).
public struct StagHunt: MatchGame {
  /// The stag hunt's keys under `game:`, declared once: decoding, the manifest and `agora list --parameters
  /// stag_hunt` come from here.
  public struct Parameters: ModelParameters {
    public var rounds = 10
    /// What each hunter gets when both hunt the stag.
    public var stag = 4.0
    /// What a hare hunter gets.
    public var hare = 3.0

    public init() {}

    public static var parameters: [Parameter<Self>] {
      [
        .rounds(\.rounds, doc: "rounds of random pairs"),
        Parameter("stag", \.stag, allowed: "a number > 0", doc: "each hunter's payoff when both hunt the stag") {
          x, _ in x > 0 && x.isFinite
        },
        Parameter("hare", \.hare, allowed: "a number in (0, stag)", doc: "a hare hunter's payoff") { x, p in
          x > 0 && x < p.stag
        },
      ]
    }
  }

  public static var type: GameType { "stag_hunt" }
  public let spec: Parameters

  public init(spec: Parameters, scenario: ScenarioSpec) { self.spec = spec }

  enum Counter: Int { case hunters, stagHunters, pairs, stagPairs }

  public var counterNames: [String] { ["hunters", "stag_hunters", "pairs", "stag_pairs"] }
  public var headline: [String] { ["stag_rate", "coordination_on_stag"] }
  /// The metrics' columns, declared once: the data dictionary beside every CSV and `agora list --columns
  /// stag_hunt` come from here (a run that writes an undeclared column fails).
  public static let metricColumns = [
    Column("stag_rate", unit: Column.Unit.share, "share of hunters who hunted the stag"),
    Column("coordination_on_stag", unit: Column.Unit.share, "share of pairs in which both hunted the stag"),
  ]
  public var parameterColumns: [(String, Cell)] { [("stag", .double(spec.stag)), ("hare", .double(spec.hare))] }
  public var optionCount: Int { 2 }

  public func metrics(_ c: GameCounters) -> [(String, Double)] {
    [
      ("stag_rate", c.ratio(Counter.stagHunters.rawValue, Counter.hunters.rawValue)),
      ("coordination_on_stag", c.ratio(Counter.stagPairs.rawValue, Counter.pairs.rawValue)),
    ]
  }

  public mutating func play(_ group: MatchGroup, round: Int, context: inout MatchContext) {
    let hunters = [Int(group[0]), Int(group[1])]
    let (stag, hare) = (spec.stag / spec.stag, spec.hare / spec.stag)  // in units of the best payoff
    var huntsStag = [false, false]
    for (k, i) in hunters.enumerated() {
      let m = context.motives(i)
      let q = context.belief(i)
      // Options in prompt order: 0 the stag (the salient, cooperative option), 1 a hare.
      context.utilities[0] = q * m.utility(own: stag, other: stag) + (1 - q) * m.utility(own: 0, other: hare)
      context.utilities[1] = q * m.utility(own: hare, other: 0) + (1 - q) * m.utility(own: hare, other: hare)
      huntsStag[k] = context.choose(i, options: 2, salient: 0, prompt: prompt) == 0
    }
    for (k, i) in hunters.enumerated() {
      let other = hunters[1 - k]
      context.observe(i, huntsStag[1 - k] ? 1 : 0)
      context.pay(i, huntsStag[k] ? (huntsStag[1 - k] ? spec.stag : 0) : spec.hare)
      context.count(Counter.hunters.rawValue, for: i, against: other)
      if huntsStag[k] { context.count(Counter.stagHunters.rawValue, for: i, against: other) }
    }
    context.count(Counter.pairs.rawValue, for: hunters[0], against: hunters[1])
    if huntsStag[0] && huntsStag[1] { context.count(Counter.stagPairs.rawValue, for: hunters[0], against: hunters[1]) }
  }

  /// What a language-model hunter reads.
  var prompt: DecisionPrompt {
    DecisionPrompt(
      kind: "stag_hunt.hunt",
      rules: "You and another hunter each hunt a stag or a hare. A stag needs you both and gives each "
        + "\(DecisionPrompt.amount(spec.stag)) points; a hare gives its hunter \(DecisionPrompt.amount(spec.hare)) "
        + "points whatever the other does; a lone stag hunter gets nothing.",
      question: "What do you hunt?", options: ["the stag", "a hare"])
  }
}
