import AgoraCore
import Crypto
import Foundation

/// Request/response pairs of a language model on disk, one JSON file per request, keyed by the SHA-256 of the
/// endpoint and the canonical request body (model, messages, temperature, top_p, seed, schema, max_tokens).
///
/// A re-run with the same scenario and seed makes the same requests, finds them here and sends nothing. Files are
/// written to a temporary name and renamed, so an interrupted run leaves no half-written entry.
public struct ResponseCache: Sendable {
  /// Which way the cache is used (`--llm-cache`).
  public enum Mode: String, Sendable, CaseIterable {
    case off, read, write, readwrite
    var reads: Bool { self == .read || self == .readwrite }
    var writes: Bool { self == .write || self == .readwrite }
  }

  public let directory: String
  public let mode: Mode

  public init(directory: String, mode: Mode) {
    self.directory = directory
    self.mode = mode
  }

  /// The key of a request body sent to `url`.
  public static func key(url: String, body: Data) -> String {
    var hasher = SHA256()
    hasher.update(data: Data(url.utf8))
    hasher.update(data: Data([0]))
    hasher.update(data: body)
    return hasher.finalize().map { String(format: "%02x", $0) }.joined()
  }

  func path(_ key: String) -> String { "\(directory)/\(key.prefix(2))/\(key).json" }

  /// The stored reply of `key`, when reading is on and one is stored.
  func lookup(_ key: String) -> ChatReply? {
    guard mode.reads, let data = FileManager.default.contents(atPath: path(key)),
      let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let reply = root["reply"] as? [String: Any], let content = reply["content"] as? String
    else { return nil }
    return ChatReply(
      content: content, promptTokens: reply["prompt_tokens"] as? Int ?? 0,
      completionTokens: reply["completion_tokens"] as? Int ?? 0, finishReason: reply["finish_reason"] as? String ?? "")
  }

  /// Whether `key` is stored (for estimates).
  func contains(_ key: String) -> Bool { mode.reads && FileManager.default.fileExists(atPath: path(key)) }

  /// Stores `reply` to the request `body` under `key`, when writing is on.
  func store(_ key: String, url: String, body: Data, reply: ChatReply) throws(LanguageModelError) {
    guard mode.writes else { return }
    let file = path(key)
    let request = (try? JSONSerialization.jsonObject(with: body)) ?? [:]
    let entry: [String: Any] = [
      "url": url, "request": request,
      "reply": [
        "content": reply.content, "prompt_tokens": reply.promptTokens, "completion_tokens": reply.completionTokens,
        "finish_reason": reply.finishReason,
      ],
    ]
    do {
      let data = try JSONSerialization.data(withJSONObject: entry, options: [.sortedKeys, .prettyPrinted])
      let folder = (file as NSString).deletingLastPathComponent
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      let temporary = "\(file).\(getpid()).\(UInt(bitPattern: Int(bitPattern: pthread_self()))).tmp"
      try data.write(to: URL(fileURLWithPath: temporary))
      guard rename(temporary, file) == 0 else {
        unlink(temporary)
        throw LanguageModelError.cache(path: file, reason: String(cString: strerror(errno)))
      }
    } catch let error as LanguageModelError {
      throw error
    } catch {
      throw .cache(path: file, reason: "\(error)")
    }
  }
}
