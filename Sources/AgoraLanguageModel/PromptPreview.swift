import AgoraCore
import Foundation

/// The requests a run's language-model agents would send first, collected without sending them (`agora prompts`):
/// the same request bodies, built by the same code, as a real run's.
public final class PromptPreview: @unchecked Sendable {
  /// One request as it would be sent.
  public struct Request: Sendable {
    public var agent: Int
    public var segment: String
    public var kind: String
    /// The agent's own decision number (1-based).
    public var agentDecision: Int
    public var url: String
    /// The JSON body, exactly as it would be sent.
    public var body: Data
  }

  /// Only this agent's decisions, or every `llm` agent's when `nil`.
  public let agent: Int?
  /// How many requests to collect.
  public let limit: Int
  let lock = NSLock()
  var collected: [Request] = []

  public init(agent: Int? = nil, limit: Int = 3) {
    self.agent = agent
    self.limit = max(1, limit)
  }

  /// The requests collected, in decision order.
  public var requests: [Request] { lock.withLock { collected } }

  /// Whether enough requests are collected.
  var isFull: Bool { lock.withLock { collected.count >= limit } }

  func add(_ request: Request) { lock.withLock { if collected.count < limit { collected.append(request) } } }
}

extension PromptPreview.Request {
  /// The request in words: where it goes, the system and user messages as sent, the reply format (the JSON schema)
  /// and the sampling parameters.
  public var text: String {
    let object = (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:]
    let messages = object["messages"] as? [[String: Any]] ?? []
    func message(_ role: String) -> String {
      messages.first { $0["role"] as? String == role }?["content"] as? String ?? ""
    }
    func json(_ value: Any) -> String {
      guard JSONSerialization.isValidJSONObject(value),
        let data = try? JSONSerialization.data(
          withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
      else { return "\(value)" }
      return String(decoding: data, as: UTF8.self)
    }
    let parameters = ["model", "temperature", "top_p", "max_tokens", "seed"].compactMap { key in
      object[key].map { "\(key): \($0)" }
    }
    var lines = [
      "=== agent \(agent) (segment \(segment)), decision \(agentDecision), \(kind)",
      "POST \(url)", "--- system ---", message("system"), "--- user ---", message("user"),
    ]
    if let format = object["response_format"] {
      lines += ["--- response_format ---", json(format)]
    } else {
      lines += ["--- response_format ---", "(none: the reply format is given in the system message only)"]
    }
    lines += ["--- parameters ---", parameters.joined(separator: ", ")]
    return lines.joined(separator: "\n")
  }
}
