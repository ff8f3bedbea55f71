import AgoraCore

extension PopulationPreset {
  /// The presets that ship with Agora. Their parameter values are the output of `agora calibrate NAME` against
  /// the repository's `Validation/` (docs/validation.md shows the fit); the boxes are the calibration's search space.
  public static let builtIn: [PopulationPreset] = [human, llmProsocial, llmSelfish, llmGPT35]

  /// A human-like population: self-interested players, inequity-averse conditional cooperators (with diminishing
  /// utility of money, so that a dictator's best gift can lie between nothing and half), altruists who value the
  /// other's payoff at most as their own, and a few givers who value it more (in Engel's data 5% of dictators give
  /// everything),
  /// fitted to meta-analytic results in the ultimatum, dictator, trust, public goods and prisoner's dilemma games.
  public static let human = PopulationPreset(
    name: "human",
    summary: "self-interested, inequity-averse conditional cooperators, altruists and givers, fitted to human results",
    targets: ("human_targets.csv", nil),
    parameters: [
      Parameter("share_selfish", 0.1339, 0.1, 0.6),
      Parameter("share_altruist", 0.06379, 0.0, 0.3),
      Parameter("share_giver", 0.0283, 0.0, 0.1),
      Parameter("envy", 0.4648, 0.0, 2.0),
      Parameter("guilt", 0.2723, 0.0, 1.2),
      Parameter("reciprocity", 2.801, 0.0, 3.0),
      Parameter("conformity", 0.5248, 0.0, 2.0),
      Parameter("altruism", 0.994, 0.0, 1.0),
      Parameter("altruism_fair", 0.1826, 0.0, 1.0),
      Parameter("curvature", 0.5338, 0.0, 2.0),
      Parameter("temperature", 0.06342, 0.02, 0.5),
      Parameter("belief_slope", 0.3621, 0.0, 1.0),
      Parameter("belief_from", 0.411, 0.25, 0.5),
      Parameter("belief_slope_selfish", 0.9932, 0.0, 1.0),
      Parameter("temperature_selfish", 0.03962, 0.01, 0.5),
      Parameter("prior_cooperation", 0.5741, 0.0, 1.0),
      Parameter("prior_cooperation_selfish", 0.6068, 0.0, 1.0),
      Parameter("prior_weight", 0.9783, 0.2, 10),
      Parameter("top_p", 0.9424, 0.5, 1.0),
      Parameter("focal_mass", 0.1726, 0.0, 0.5),
    ],
    heldOut: [
      "trust.share_returned", "public_goods.contribution_share_period_3", "public_goods.contribution_share_period_5",
      "public_goods.contribution_share_period_8",
    ],
    derived: { v in
      ["share_fair": 1 - (v["share_selfish"] ?? 0) - (v["share_altruist"] ?? 0) - (v["share_giver"] ?? 0)]
    },
    template: """
      - name: self-interested
        share: ${share_selfish}
        decoding: {temperature: ${temperature_selfish}, focal_mass: ${focal_mass}, top_p: ${top_p}}
        memory: {window: 10, prior_accept_slope: ${belief_slope_selfish}, prior_accept_from: ${belief_from}, prior_cooperation: ${prior_cooperation_selfish}, prior_weight: ${prior_weight}}
        stake_response: {reference: 100, elasticity: 0.14, risk_slope: 0.35}
      - name: conditional-cooperators
        share: ${share_fair}
        preferences:
          envy: {dist: truncated_normal, mean: ${envy}, sd: 0.3, min: 0, max: 4}
          guilt: {dist: truncated_normal, mean: ${guilt}, sd: 0.2, min: 0, max: 2}
          reciprocity: {dist: truncated_normal, mean: ${reciprocity}, sd: 0.2, min: 0, max: 3}
          conformity: {dist: truncated_normal, mean: ${conformity}, sd: 0.2, min: 0, max: 4}
          altruism: {dist: truncated_normal, mean: ${altruism_fair}, sd: 0.2, min: 0, max: 1}
          risk_aversion: ${curvature}
        decoding: {temperature: ${temperature}, focal_mass: ${focal_mass}, top_p: ${top_p}}
        memory: {window: 10, prior_accept_slope: ${belief_slope}, prior_accept_from: ${belief_from}, prior_cooperation: ${prior_cooperation}, prior_weight: ${prior_weight}}
        stake_response: {reference: 100, elasticity: 0.14, risk_slope: 0.35}
      - name: altruists
        share: ${share_altruist}
        preferences:
          altruism: {dist: truncated_normal, mean: ${altruism}, sd: 0.2, min: 0, max: 1}
          guilt: {dist: uniform, min: 0.5, max: 1}
          envy: {dist: truncated_normal, mean: ${envy}, sd: 0.3, min: 0, max: 4}
        decoding: {temperature: ${temperature}, focal_mass: ${focal_mass}, top_p: ${top_p}}
        memory: {window: 10, prior_accept_slope: ${belief_slope}, prior_accept_from: ${belief_from}, prior_cooperation: ${prior_cooperation}, prior_weight: ${prior_weight}}
        stake_response: {reference: 100, elasticity: 0.14, risk_slope: 0.35}
      - name: givers
        share: ${share_giver}
        preferences:
          altruism: 1.5
        decoding: {temperature: ${temperature}, focal_mass: ${focal_mass}, top_p: ${top_p}}
        memory: {window: 10, prior_accept_slope: ${belief_slope}, prior_accept_from: ${belief_from}, prior_cooperation: ${prior_cooperation}, prior_weight: ${prior_weight}}
        stake_response: {reference: 100, elasticity: 0.14, risk_slope: 0.35}
      """)

  /// A GPT-4-like population: a strong pull to the fair (equal) answer, collapsed diversity, strong and unforgiving
  /// reciprocity: one defection outweighs a 10-round game's whole history in its window (docs/validation.md).
  public static let llmProsocial = PopulationPreset(
    name: "llm_prosocial",
    summary: "GPT-4-like: a pull to the equal split, low diversity, unforgiving reciprocity",
    targets: ("llm_targets.csv", "llm_prosocial"),
    parameters: [
      Parameter("guilt", 0.03937, 0.0, 2.0),
      Parameter("altruism", 0.01855, 0.0, 1.5),
      Parameter("reciprocity", 2.987, 0.0, 3.0),
      Parameter("conformity", 0.009165, 0.0, 2.0),
      Parameter("temperature", 0.4996, 0.01, 0.5),
      Parameter("salience_bias", 3.490, 0.0, 5.0),
      Parameter("mode_collapse", 0.8955, 0.0, 0.9),
      Parameter("prior_cooperation", 0.01815, 0.0, 1.0),
      Parameter("prior_cooperation_pd", 0.2094, 0.0, 1.0),
      Parameter("prior_weight", 9.958, 0.2, 10),
      Parameter("focal_mass", 0.8197, 0.0, 2.0),
      Parameter("defection_weight", 49.95, 1, 50),
    ],
    heldOut: ["dictator.share_giving_half", "trust.share_returned", "prisoners_dilemma.cooperation_rate"],
    template: """
      - name: gpt-4-like
        share: 1
        preferences:
          guilt: {dist: truncated_normal, mean: ${guilt}, sd: 0.05, min: 0, max: 3}
          altruism: {dist: truncated_normal, mean: ${altruism}, sd: 0.05, min: 0, max: 3}
          reciprocity: ${reciprocity}
          conformity: ${conformity}
        decoding: {temperature: ${temperature}, salience_bias: ${salience_bias}, mode_collapse: ${mode_collapse}, focal_mass: ${focal_mass}}
        memory: {window: 10, prior_cooperation: ${prior_cooperation}, prior_cooperation_in: {prisoners_dilemma: ${prior_cooperation_pd}}, prior_weight: ${prior_weight}, defection_weight: ${defection_weight}}
      """)

  /// A Claude-2-like prisoner's dilemma player: defects nearly always and does not forgive a defection.
  public static let llmSelfish = PopulationPreset(
    name: "llm_selfish",
    summary: "Claude-2-like: near-always defection, unforgiving after a defection",
    targets: ("llm_targets.csv", "llm_selfish"),
    parameters: [
      Parameter("guilt", 0.01365, 0.0, 2.0),
      Parameter("reciprocity", 0.503, 0.5, 3.0),
      Parameter("temperature", 0.0821, 0.01, 0.5),
      Parameter("prior_cooperation", 0.9942, 0.0, 1.0),
    ],
    heldOut: ["prisoners_dilemma.first_round_cooperation_rate"],
    template: """
      - name: claude-2-like
        share: 1
        preferences:
          guilt: ${guilt}
          reciprocity: ${reciprocity}
        decoding: {temperature: ${temperature}}
        memory: {window: 5, prior_cooperation: ${prior_cooperation}, prior_weight: 1}
      """)

  /// A GPT-3.5-like population, fitted to Brookins & DeBacker's data: its dictator gifts (two thirds give exactly
  /// half, nearly all the rest 40%) and its one-shot prisoner's dilemma; the share giving nothing is held out.
  public static let llmGPT35 = PopulationPreset(
    name: "llm_gpt35",
    summary: "GPT-3.5-like: gives half or a little less as dictator, cooperates in 65% of one-shot dilemmas",
    targets: ("llm_targets.csv", "llm_gpt35"),
    parameters: [
      Parameter("guilt", 0.7346, 0.0, 2.0),
      Parameter("temperature", 0.1407, 0.005, 0.5),
      Parameter("salience_bias", 1.802, 0.0, 5.0),
      Parameter("prior_cooperation", 0.066, 0.0, 1.0),
    ],
    heldOut: ["dictator.share_giving_zero"],
    template: """
      - name: gpt-3.5-like
        share: 1
        preferences:
          guilt: {dist: truncated_normal, mean: ${guilt}, sd: 0.05, min: 0, max: 3}
        decoding: {temperature: ${temperature}, salience_bias: ${salience_bias}}
        memory: {prior_cooperation: ${prior_cooperation}}
      """)
}
