import Foundation

/// What the language-model agents of a run cost and how their decisions went.
///
/// The first group is the same on every re-run of a scenario (the cache replays the same replies), and goes to
/// `summary.csv`; the second says how the replies were obtained this time (network or cache, retries, latency)
/// and goes to the terminal, `llm-usage.json` and the report.
public struct LanguageModelUsage: Sendable, Hashable, Encodable {
  /// Decisions taken by `llm` agents.
  public var decisions = 0
  /// Replies used (first attempts, retries and archetype samples), from the server or the cache.
  public var replies = 0
  public var promptTokens = 0
  public var completionTokens = 0
  /// Replies that were not valid JSON with a choice in range.
  public var invalidReplies = 0
  /// Decisions whose replies were all invalid, taken by the LLM-style decoder instead.
  public var fallbacks = 0

  /// Requests sent to the server.
  public var requests = 0
  /// Replies found in the cache.
  public var cacheHits = 0
  /// 429 / 5xx / time-outs retried with back-off.
  public var httpRetries = 0
  /// Seconds the server took, summed over requests.
  public var latency = 0.0

  public init() {}

  /// The keys of `llm-usage.json`.
  enum CodingKeys: String, CodingKey {
    case decisions, replies, promptTokens = "prompt_tokens", completionTokens = "completion_tokens"
    case invalidReplies = "invalid_replies", fallbacks, requests, cacheHits = "cache_hits"
    case httpRetries = "http_retries", latency = "latency_s"
  }

  /// Adds the counts of `other`.
  public mutating func add(_ other: LanguageModelUsage) {
    decisions += other.decisions
    replies += other.replies
    promptTokens += other.promptTokens
    completionTokens += other.completionTokens
    invalidReplies += other.invalidReplies
    fallbacks += other.fallbacks
    requests += other.requests
    cacheHits += other.cacheHits
    httpRetries += other.httpRetries
    latency += other.latency
  }

  /// The summary columns (identical on re-runs).
  public var summaryColumns: [(String, Cell)] {
    zip(Self.columns, [decisions, replies, promptTokens, completionTokens, invalidReplies, fallbacks]).map {
      ($0.name, .int($1))
    }
  }

  /// The `llm_models` summary column of a population: its `policy: llm` segments' models, each once, in order.
  public static func models(_ segments: [SegmentSpec]) -> (String, Cell) {
    var names: [String] = []
    for model in segments.compactMap({ $0.policy == .llm ? $0.llm?.model : nil }) where !names.contains(model) {
      names.append(model)
    }
    return ("llm_models", .string(names.joined(separator: "+")))
  }

  /// The declarations of ``summaryColumns``.
  public static let columns: [Column] = [
    Column("llm_decisions", .integer, unit: Column.Unit.count, "decisions taken by `policy: llm` agents"),
    Column("llm_replies", .integer, unit: Column.Unit.count, "model replies used (server or cache)"),
    Column("llm_prompt_tokens", .integer, unit: "tokens", "prompt tokens of the replies used"),
    Column("llm_completion_tokens", .integer, unit: "tokens", "completion tokens of the replies used"),
    Column("llm_invalid_replies", .integer, unit: Column.Unit.count, "replies without a valid choice"),
    Column("llm_fallbacks", .integer, unit: Column.Unit.count, "decisions the decoder took after invalid replies"),
    Column(
      "llm_models", .string,
      "the language models the run's `policy: llm` segments ask, in segment order, each once, joined by `+`"),
  ]

  /// Every count, for the terminal, the report and `llm-usage.json`.
  public var table: [(String, String)] {
    [
      ("decisions", "\(decisions)"), ("replies used", "\(replies)"), ("requests sent", "\(requests)"),
      ("cache hits", "\(cacheHits)"), ("prompt tokens", "\(promptTokens)"),
      ("completion tokens", "\(completionTokens)"), ("invalid replies", "\(invalidReplies)"),
      ("fallbacks to the decoder", "\(fallbacks)"), ("429/5xx/time-out retries", "\(httpRetries)"),
      ("server latency (s)", String(format: "%.3f", latency)),
    ]
  }
}
