/// What a run would ask of its language models, counted by playing it with the decoder in their place.
public struct LanguageModelEstimate: Sendable, Hashable {
  /// Decisions `llm` agents would take (in the decoder's play; the model's choices may lead elsewhere).
  public var decisions = 0
  /// Distinct requests (first attempts; retries come on top).
  public var requests = 0
  /// Of those, requests the cache already answers.
  public var cached = 0
  /// Prompt tokens, estimated as UTF-8 bytes / 4 + 8 per request.
  public var promptTokens = 0
  /// Completion tokens at most (`max_tokens` per request).
  public var maxCompletionTokens = 0

  public init() {}

  /// Rows for the terminal.
  public var table: [(String, String)] {
    [
      ("decisions by llm agents", "\(decisions)"), ("requests (first attempts)", "\(requests)"),
      ("already in the cache", "\(cached)"), ("requests to send", "\(requests - cached)"),
      ("prompt tokens (about)", "\(promptTokens)"), ("completion tokens (at most)", "\(maxCompletionTokens)"),
    ]
  }
}
