import AgoraCore

extension Experiment {
  /// Runs `spec` with its `policy: llm` segments asking their language models with `languageModel`'s cache and
  /// estimate settings (see ``run(_:runIndex:events:progress:threads:deciders:)``).
  public static func run(
    _ spec: ScenarioSpec, runIndex: Int = 0, events: InteractionSink? = nil,
    progress: ((Double) -> Void)? = nil, threads: Int = 1, languageModel: LanguageModelOptions = LanguageModelOptions(),
    agentSteps: AgentStepSink? = nil
  ) throws -> RunResult {
    try run(
      spec, runIndex: runIndex, events: events, progress: progress, threads: threads,
      deciders: LanguageModelAgents.factory(languageModel), agentSteps: agentSteps)
  }
}
