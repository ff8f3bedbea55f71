import AgoraCore

extension PopulationPreset {
  /// The presets that ship with Agora. Their parameter values are the output of `agora calibrate NAME` against
  /// the repository's `Validation/` (docs/validation.md shows the fit); the boxes are the calibration's search space.
  public static let builtIn: [PopulationPreset] = [human, llmProsocial, llmSelfish]

  /// A human-like population: self-interested players, inequity-averse conditional cooperators and altruists,
  /// fitted to meta-analytic results in the ultimatum, dictator, trust, public goods and prisoner's dilemma games.
  public static let human = PopulationPreset(
    name: "human",
    summary: "self-interested, inequity-averse conditional cooperators and altruists, fitted to human results",
    targets: ("human_targets.csv", nil),
    parameters: [
      Parameter("share_selfish", 0.1857, 0.1, 0.6),
      Parameter("share_altruist", 0.1433, 0.0, 0.3),
      Parameter("envy", 0.03473, 0.0, 2.0),
      Parameter("guilt", 0.4694, 0.0, 1.2),
      Parameter("reciprocity", 1.499, 0.0, 3.0),
      Parameter("conformity", 0.5868, 0.0, 2.0),
      Parameter("altruism", 0.9563, 0.0, 1.0),
      Parameter("envy_altruist", 0.3416, 0.0, 2.0),
      Parameter("temperature", 0.09889, 0.02, 0.5),
      Parameter("belief_slope", 0.2657, 0.0, 1.0),
      Parameter("belief_slope_selfish", 0.9702, 0.0, 1.0),
      Parameter("temperature_selfish", 0.03631, 0.01, 0.5),
      Parameter("prior_cooperation", 0.6019, 0.0, 1.0),
      Parameter("prior_cooperation_selfish", 0.4425, 0.0, 1.0),
      Parameter("prior_weight", 0.964, 0.2, 10),
      Parameter("focal_mass", 0.233, 0.0, 0.5),
    ],
    heldOut: [
      "ultimatum.share_offers_below_20_percent", "dictator.share_giving_everything",
      "public_goods.contribution_share_period_3", "public_goods.contribution_share_period_5",
      "public_goods.contribution_share_period_8",
    ],
    derived: { v in ["share_fair": 1 - (v["share_selfish"] ?? 0) - (v["share_altruist"] ?? 0)] },
    template: """
      - name: self-interested
        share: ${share_selfish}
        decoding: {temperature: ${temperature_selfish}, focal_mass: ${focal_mass}}
        memory: {window: 10, prior_accept_slope: ${belief_slope_selfish}, prior_cooperation: ${prior_cooperation_selfish}, prior_weight: ${prior_weight}}
        stake_response: {reference: 100, elasticity: 0.2, risk_slope: 0.5}
      - name: conditional-cooperators
        share: ${share_fair}
        preferences:
          envy: {dist: truncated_normal, mean: ${envy}, sd: 0.3, min: 0, max: 4}
          guilt: {dist: truncated_normal, mean: ${guilt}, sd: 0.2, min: 0, max: 2}
          reciprocity: {dist: truncated_normal, mean: ${reciprocity}, sd: 0.2, min: 0, max: 3}
          conformity: {dist: truncated_normal, mean: ${conformity}, sd: 0.2, min: 0, max: 4}
        decoding: {temperature: ${temperature}, focal_mass: ${focal_mass}}
        memory: {window: 10, prior_accept_slope: ${belief_slope}, prior_cooperation: ${prior_cooperation}, prior_weight: ${prior_weight}}
        stake_response: {reference: 100, elasticity: 0.2, risk_slope: 0.5}
      - name: altruists
        share: ${share_altruist}
        preferences:
          altruism: {dist: truncated_normal, mean: ${altruism}, sd: 0.2, min: 0, max: 3}
          guilt: {dist: uniform, min: 0.5, max: 1}
          envy: ${envy_altruist}
        decoding: {temperature: ${temperature}, focal_mass: ${focal_mass}}
        memory: {window: 10, prior_accept_slope: ${belief_slope}, prior_cooperation: ${prior_cooperation}, prior_weight: ${prior_weight}}
        stake_response: {reference: 100, elasticity: 0.2, risk_slope: 0.5}
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
    template: """
      - name: claude-2-like
        share: 1
        preferences:
          guilt: ${guilt}
          reciprocity: ${reciprocity}
        decoding: {temperature: ${temperature}}
        memory: {window: 5, prior_cooperation: ${prior_cooperation}, prior_weight: 1}
      """)
}
