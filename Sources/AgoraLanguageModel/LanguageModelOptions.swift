import AgoraCore

/// How a run uses its language models: the cache mode (`--llm-cache`), whether it only estimates, where its
/// transcript goes, and whether it only collects the requests it would send (`agora prompts`).
public struct LanguageModelOptions: Sendable {
  public var cache: ResponseCache.Mode
  /// Count the calls and tokens a run would need, asking nothing (`agora run --estimate`).
  public var estimating: Bool
  /// Where `transcripts.jsonl` is written (one line per decision), or `nil` for none.
  public var transcript: String?
  /// The run index the transcript's lines carry.
  public var runIndex: Int
  /// Collects the first requests instead of sending them (implies estimating).
  public var preview: PromptPreview?

  public init(
    cache: ResponseCache.Mode = .readwrite, estimating: Bool = false, transcript: String? = nil, runIndex: Int = 0,
    preview: PromptPreview? = nil
  ) {
    self.cache = cache
    self.estimating = estimating || preview != nil
    self.transcript = transcript
    self.runIndex = runIndex
    self.preview = preview
  }
}
