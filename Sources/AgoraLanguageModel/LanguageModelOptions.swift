import AgoraCore

/// How a run uses its language models: the cache mode (`--llm-cache`), and whether it only estimates.
public struct LanguageModelOptions: Sendable {
  public var cache: ResponseCache.Mode
  /// Count the calls and tokens a run would need, asking nothing (`agora run --estimate`).
  public var estimating: Bool

  public init(cache: ResponseCache.Mode = .readwrite, estimating: Bool = false) {
    self.cache = cache
    self.estimating = estimating
  }
}
