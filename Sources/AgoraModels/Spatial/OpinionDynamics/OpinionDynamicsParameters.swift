import AgoraCore

/// The bounded-confidence model's parameters: the confidence bound and the convergence step, how many meetings a
/// step holds, the update rule, where the initial opinions come from, and how the steps are sampled and measured.
public struct OpinionDynamicsParameters: ModelParameters {
  /// Steps: in each, `interactions_per_step` meetings (or one synchronous update of every agent).
  public var rounds = 200
  /// The confidence bound: agents further apart than this do not influence each other.
  public var epsilon = 0.2
  /// The convergence step: how far towards the other an influenced agent moves.
  public var mu = 0.5
  /// Meetings per step; 0 takes one per agent (`population.size`).
  public var interactionsPerStep = 0
  public var rule: Rule = .dw
  /// The decoder rule: utility per unit of opinion distance inside the bound.
  public var sharpness = 50.0
  /// `uniform`, or the name of a latent preference whose value (clamped to [0, 1]) is the agent's first opinion.
  public var initial = "uniform"
  /// `steps.csv` holds every `sampleEvery`-th step, and the last.
  public var sampleEvery = 1
  /// Sorted opinions more than this apart belong to different clusters.
  public var clusterGap = 0.001
  /// A step whose largest change of an opinion is below this counts as converged.
  public var tolerance = 1e-6

  /// How opinions are updated.
  public enum Rule: String, Sendable, Codable, Hashable, CaseIterable {
    /// Deffuant-Weisbuch: a random pair meets and, when closer than epsilon, both move mu of the way.
    case dw
    /// Hegselmann-Krause: every agent at once moves to the mean of itself and its neighbours within epsilon.
    case hk
    /// Deffuant-Weisbuch meetings where each agent decides with its segment's decoder whether to move.
    case decoder
  }

  public init() {}

  /// The latent preference the first opinions come from (`nil`: uniform).
  var initialPreference: Preference? { Preference(name: initial) }

  /// Meetings in a step of `agents` agents.
  func interactions(agents: Int) -> Int { interactionsPerStep == 0 ? agents : interactionsPerStep }

  public static var parameters: [Parameter<Self>] {
    [
      .rounds(
        \.rounds, doc: "steps; in each, interactions_per_step meetings (dw, decoder) or one update of every agent (hk)"),
      Parameter(
        "epsilon", \.epsilon, allowed: "a number in (0, 1]",
        doc: "the confidence bound: dw and decoder agents closer than epsilon influence each other, hk agents at "
          + "most epsilon apart"
      ) { x, _ in x > 0 && x <= 1 },
      Parameter(
        "mu", \.mu, allowed: "a number in (0, 0.5]",
        doc: "the convergence step: an influenced agent moves mu of the way to the other (0.5: both meet halfway)"
      ) { x, _ in x > 0 && x <= 0.5 },
      Parameter(
        "interactions_per_step", \.interactionsPerStep,
        allowed: "0 (one per agent) or an integer from 1 to 100000000",
        doc: "meetings in a step (dw, decoder): random edges of the network, or random pairs of the population"
      ) { x, _ in (0...100_000_000).contains(x) },
      Parameter(
        "rule", \.rule,
        doc: "`dw`: Deffuant-Weisbuch pairwise meetings; `hk`: Hegselmann-Krause synchronous averaging over the "
          + "neighbours within epsilon; `decoder`: dw meetings where each agent decodes whether to move"),
      Parameter(
        "sharpness", \.sharpness, allowed: "a number in (0, 1e6]",
        doc: "the decoder rule: moving has utility sharpness x (epsilon - distance), keeping 0; temperature 0 is dw"
      ) { x, _ in x > 0 && x <= ScenarioBounds.factor },
      Parameter(
        "initial", \.initial,
        allowed: "`uniform` or a latent preference's name (" + Preference.names.joined(separator: ", ") + ")",
        doc: "first opinions: `uniform` on [0, 1] for everyone, or each agent's value of that preference clamped to "
          + "[0, 1] (each segment's own distribution)"
      ) { x, _ in x == "uniform" || Preference(name: x) != nil },
      Parameter(
        "sample_every", \.sampleEvery, allowed: "an integer from 1 to 100000000",
        doc: "steps.csv holds every sample_every-th step and the last"
      ) { x, _ in (1...100_000_000).contains(x) },
      Parameter(
        "cluster_gap", \.clusterGap, allowed: "a number in (0, 1)",
        doc: "sorted opinions more than this apart start a new cluster"
      ) { x, _ in x > 0 && x < 1 },
      Parameter(
        "tolerance", \.tolerance, allowed: "a number in (0, 1)",
        doc: "a step whose largest change of an opinion is below this counts as converged"
      ) { x, _ in x > 0 && x < 1 },
    ]
  }
}
