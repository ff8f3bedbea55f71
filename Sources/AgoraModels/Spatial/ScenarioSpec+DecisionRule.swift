import AgoraCore

extension ScenarioSpec {
  /// Refuses `policy: llm` segments unless the model's rule asks decisions (`game.rule: decoder`): a fixed rule
  /// (`ruleName`: Schelling's threshold, the Sugarscape's classic rule M, bounded confidence's dw and hk) would never
  /// ask the language model anything.
  func refuseLanguageModels(unless decides: Bool, ruleName: String) throws(ScenarioIssue) {
    guard !decides, let s = population.segments.firstIndex(where: { $0.policy == .llm }) else { return }
    throw ScenarioIssue(
      path: "population.segments.\(s).policy", value: "llm",
      message: "the \(ruleName) asks no decisions; a policy: llm segment needs game.rule: decoder")
  }
}
