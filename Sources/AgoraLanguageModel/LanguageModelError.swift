import AgoraCore

/// Why a language-model agent could not decide: the server cannot be reached or keeps failing, a reply that stays
/// invalid under `on_error: fail`, a missing API key, a bad prompt template.
public enum LanguageModelError: Error, Sendable, CustomStringConvertible {
  /// The server did not answer at all (connection refused, unknown host, ...).
  case unreachable(url: String, reason: String)
  /// The server answered with an error status that retries did not cure; `body` is an excerpt of its reply, with
  /// the API key removed (`ChatClient.excerpt`).
  case http(url: String, status: Int, body: String)
  /// Every attempt timed out.
  case timedOut(url: String, seconds: Double, attempts: Int)
  /// The server's answer is not a chat completion.
  case badResponse(url: String, reason: String)
  /// A decision's replies were all malformed or out of range (under `on_error: fail`).
  case invalidReplies(kind: String, agent: Int, attempts: Int, last: String)
  /// The scenario names an API-key variable that is not set.
  case missingKey(variable: String)
  /// The scenario names a variable that `api_key_env` may not read (`LanguageModelSpec.mayReadKey(from:)`).
  case keyNotAllowed(variable: String)
  /// The prompt template file is unreadable or malformed.
  case template(String, String)
  /// The response cache cannot be written.
  case cache(path: String, reason: String)
  /// The transcript cannot be written.
  case transcript(path: String, reason: String)

  public var description: String {
    switch self {
    case .unreachable(let url, let reason):
      return "language model server unreachable: POST \(url) failed: \(reason). Is the server running?"
    case .http(let url, let status, let body):
      return "language model server error: POST \(url) answered HTTP \(status): \(body)"
    case .timedOut(let url, let seconds, let attempts):
      return "language model server timed out: POST \(url) took longer than \(seconds) s, \(attempts) attempts"
    case .badResponse(let url, let reason):
      return "language model server gave an unusable answer: POST \(url): \(reason)"
    case .invalidReplies(let kind, let agent, let attempts, let last):
      return "agent \(agent), decision \(kind): \(attempts) replies were not a valid choice (on_error: fail); "
        + "the last was: \(Self.cut(ChatClient.redact(last, key: nil)))"
    case .missingKey(let variable):
      return "llm.api_key_env names \(variable), but that environment variable is not set"
    case .keyNotAllowed(let variable):
      return "llm.api_key_env names \(variable), but " + LanguageModelSpec.keyVariableRule
    case .template(let path, let reason): return "prompt template \(path): \(reason)"
    case .cache(let path, let reason): return "language model cache \(path): \(reason)"
    case .transcript(let path, let reason): return "cannot write \(path): \(reason)"
    }
  }

  /// At most `limit` characters of `text`, and how many more there were.
  static func cut(_ text: String, limit: Int = 200) -> String {
    let count = text.count
    return count <= limit ? text : text.prefix(limit) + "…(\(count - limit) more characters)"
  }
}
