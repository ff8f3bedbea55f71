/// What a run would ask of its language models, counted by playing it with the decoder in their place (and with the
/// cache's answers, where it has them, so that after a real run the estimate walks that run's path).
public struct LanguageModelEstimate: Sendable, Hashable {
  /// Decisions `llm` agents would take (in the decoder's play; the model's choices may lead elsewhere).
  public var decisions = 0
  /// Distinct requests (first attempts; retries come on top).
  public var requests = 0
  /// Of those, requests the cache already answers.
  public var cached = 0
  /// UTF-8 bytes of the requests' system and user messages.
  public var promptBytes = 0
  /// Completion tokens at most (`max_tokens` per request).
  public var maxCompletionTokens = 0
  /// Prompts of requests to send (segment, text, samples), at most ``tokenSampleLimit``, for the server's tokenizer.
  public var tokenSamples: [TokenSample] = []
  /// What the server's tokenizer made of the samples: their bytes and tokens (0 when it has no tokenizer).
  public var measuredBytes = 0
  public var measuredTokens = 0
  /// Which endpoint measured them (`/tokenize`, `/extras/tokenize`).
  public var tokenizer: String? = nil

  /// The most prompts sent to a tokenizer endpoint for one estimate.
  public static let tokenSampleLimit = 64
  /// Tokens a chat template adds to a request's messages (roles, separators), counted per request.
  public static let templateTokens = 8

  /// One prompt kept for the tokenizer.
  public struct TokenSample: Sendable, Hashable {
    public var segment: Int
    public var text: String
    public var samples: Int

    public init(segment: Int, text: String, samples: Int) {
      self.segment = segment
      self.text = text
      self.samples = samples
    }
  }

  public init() {}

  /// Prompt tokens of every first attempt: measured (the server's tokens per byte on the sampled prompts, applied
  /// to all bytes) or, without a tokenizer, a range from 4 bytes a token (large vocabularies, English) to 3 tokens a
  /// byte (a byte-fallback vocabulary: the tiny test model spends 3 tokens on each space, written as U+2581).
  public var promptTokens: (low: Int, high: Int) {
    let template = requests * Self.templateTokens
    if measuredBytes > 0 {
      let perByte = Double(measuredTokens) / Double(measuredBytes)
      let estimate = Int((Double(promptBytes) * perByte).rounded()) + template
      return (estimate, estimate)
    }
    return (promptBytes / 4 + template, 3 * promptBytes + template)
  }

  /// Rows for the terminal.
  public var table: [(String, String)] {
    let tokens = promptTokens
    let promptRow: (String, String) =
      if let tokenizer, measuredBytes > 0 {
        (
          "prompt tokens",
          "\(tokens.low) (the server's \(tokenizer) on \(tokenSamples.count) prompts: "
            + "\(String(format: "%.2f", Double(measuredBytes) / Double(max(1, measuredTokens)))) bytes a token)"
        )
      } else {
        (
          "prompt tokens (a guess)",
          "\(tokens.low) to \(tokens.high) (4 bytes a token to 3 tokens a byte; the server has no tokenizer endpoint)"
        )
      }
    return [
      ("decisions by llm agents", "\(decisions)"), ("requests (first attempts)", "\(requests)"),
      ("already in the cache", "\(cached)"), ("requests to send", "\(requests - cached)"), promptRow,
      ("completion tokens (at most)", "\(maxCompletionTokens)"),
      ("retries", "on top: invalid replies are asked again (up to `retries` times), and so are failed requests"),
    ]
  }
}
