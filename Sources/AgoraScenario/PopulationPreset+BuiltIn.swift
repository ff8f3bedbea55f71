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
      Parameter("share_selfish", 0.3721, 0.1, 0.6),
      Parameter("share_altruist", 0.2454, 0.0, 0.3),
      Parameter("envy", 0.06498, 0.0, 2.0),
      Parameter("guilt", 0.401, 0.0, 1.2),
      Parameter("reciprocity", 1.344, 0.0, 1.5),
      Parameter("conformity", 0.1579, 0.0, 2.0),
      Parameter("altruism", 1.175, 0.0, 1.5),
      Parameter("temperature", 0.03846, 0.02, 0.5),
      Parameter("belief_slope", 0.3673, 0.0, 1.0),
      Parameter("prior_cooperation", 0.6312, 0.0, 1.0),
      Parameter("prior_cooperation_selfish", 0.5666, 0.0, 1.0),
      Parameter("prior_weight", 0.3653, 0.2, 10),
    ],
    derived: { v in ["share_fair": 1 - (v["share_selfish"] ?? 0) - (v["share_altruist"] ?? 0)] },
    template: """
      - name: self-interested
        share: ${share_selfish}
        decoding: {temperature: ${temperature}}
        memory: {window: 10, prior_accept_slope: ${belief_slope}, prior_cooperation: ${prior_cooperation_selfish}, prior_weight: ${prior_weight}}
      - name: conditional-cooperators
        share: ${share_fair}
        preferences:
          envy: {dist: truncated_normal, mean: ${envy}, sd: 0.3, min: 0, max: 4}
          guilt: {dist: truncated_normal, mean: ${guilt}, sd: 0.2, min: 0, max: 2}
          reciprocity: {dist: truncated_normal, mean: ${reciprocity}, sd: 0.2, min: 0, max: 3}
          conformity: {dist: truncated_normal, mean: ${conformity}, sd: 0.2, min: 0, max: 4}
        decoding: {temperature: ${temperature}}
        memory: {window: 10, prior_accept_slope: ${belief_slope}, prior_cooperation: ${prior_cooperation}, prior_weight: ${prior_weight}}
      - name: altruists
        share: ${share_altruist}
        preferences:
          altruism: {dist: truncated_normal, mean: ${altruism}, sd: 0.2, min: 0, max: 3}
          guilt: {dist: uniform, min: 0.5, max: 1}
        decoding: {temperature: ${temperature}}
        memory: {window: 10, prior_accept_slope: ${belief_slope}, prior_cooperation: ${prior_cooperation}, prior_weight: ${prior_weight}}
      """)

  /// A GPT-4-like population: strongly prosocial, fair-answer-seeking, with collapsed diversity.
  public static let llmProsocial = PopulationPreset(
    name: "llm_prosocial",
    summary: "GPT-4-like: strong altruism and guilt, a pull to the fair answer, low diversity",
    targets: ("llm_targets.csv", "llm_prosocial"),
    parameters: [
      Parameter("guilt", 0.8865, 0.0, 2.0),
      Parameter("altruism", 0.1339, 0.0, 1.5),
      Parameter("reciprocity", 2.905, 0.0, 3.0),
      Parameter("conformity", 0.4719, 0.0, 2.0),
      Parameter("temperature", 0.3795, 0.01, 0.5),
      Parameter("salience_bias", 0.1252, 0.0, 5.0),
      Parameter("mode_collapse", 0.695, 0.0, 0.9),
      Parameter("prior_cooperation", 0.5267, 0.0, 1.0),
      Parameter("prior_weight", 0.2113, 0.2, 10),
    ],
    template: """
      - name: gpt-4-like
        share: 1
        preferences:
          guilt: {dist: truncated_normal, mean: ${guilt}, sd: 0.05, min: 0, max: 3}
          altruism: {dist: truncated_normal, mean: ${altruism}, sd: 0.05, min: 0, max: 3}
          reciprocity: ${reciprocity}
          conformity: ${conformity}
        decoding: {temperature: ${temperature}, salience_bias: ${salience_bias}, mode_collapse: ${mode_collapse}}
        memory: {window: 5, prior_cooperation: ${prior_cooperation}, prior_weight: ${prior_weight}}
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
