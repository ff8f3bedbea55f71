import AgoraCore
import Foundation

/// Writes `transcripts.jsonl` as a run goes: one JSON line per language-model decision, in decision order, under a
/// temporary name renamed when the run finishes (an interrupted run leaves no half-written transcript).
final class TranscriptWriter: @unchecked Sendable {
  let path: String
  let temporary: String
  var file: UnsafeMutablePointer<FILE>?

  init(path: String) throws(LanguageModelError) {
    self.path = path
    temporary = TranscriptFiles.temporaryName(for: path)
    guard let file = fopen(temporary, "w") else {
      throw .transcript(path: path, reason: String(cString: strerror(errno)))
    }
    self.file = file
  }

  deinit {
    if let file {
      fclose(file)
      unlink(temporary)
    }
  }

  /// Appends `decision` as one line.
  func write(_ decision: LanguageModelDecision) throws(LanguageModelError) {
    guard let file else { return }
    let line = Array((decision.jsonLine + "\n").utf8)
    guard fwrite(line, 1, line.count, file) == line.count else {
      throw .transcript(path: path, reason: String(cString: strerror(errno)))
    }
  }

  /// Closes the file and gives it its final name.
  func finish() throws(LanguageModelError) {
    guard let file else { return }
    self.file = nil
    let closed = fclose(file) == 0
    guard closed, rename(temporary, path) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(temporary)
      throw .transcript(path: path, reason: reason)
    }
  }
}

/// The temporary names of transcripts being written: `<path>.tmp-<host>.<pid>`, so that a sweep's clean-up on one
/// node of a shared folder leaves alone the transcripts that runs on other nodes are writing.
public enum TranscriptFiles {
  /// This machine's host name.
  public static let host: String = {
    var name = [CChar](repeating: 0, count: 256)
    guard gethostname(&name, name.count - 1) == 0 else { return "localhost" }
    return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }()

  /// The name `path` is written under until it is complete.
  public static func temporaryName(for path: String) -> String { "\(path).tmp-\(host).\(getpid())" }
}

extension LanguageModelDecision {
  /// The decision as one line of JSON, keys in a fixed order, text JSON-escaped (quotes, backslashes, control
  /// characters), so that `pandas.read_json(path, lines=True)` reads it and a reply's words stay data.
  public var jsonLine: String {
    let fields: [(String, String)] = [
      ("run_index", String(runIndex)), ("seed", String(seed)), ("game", Self.quote(game)),
      ("round", round > 0 ? String(round) : "null"), ("group", group >= 0 ? String(group) : "null"),
      ("decision", String(decision)), ("agent_decision", String(agentDecision)), ("agent_id", String(agent)),
      ("segment", Self.quote(segment)), ("kind", Self.quote(kind)),
      ("options", "[" + options.map(Self.quote).joined(separator: ",") + "]"), ("choice", String(choice)),
      ("choice_text", Self.quote(choiceText)), ("reason", reason.map(Self.quote) ?? "null"),
      ("cached", cached ? "true" : "false"), ("fallback", fallback ? "true" : "false"),
      ("salient", features.map { String($0.salient) } ?? "null"),
      ("amount", features.map { $0.amount ? "true" : "false" } ?? "null"),
      ("utility_basis", features.map(Self.basisJSON) ?? "null"),
      ("message", message.map(Self.quote) ?? "null"), ("message_cut", messageCut ? "true" : "false"),
    ]
    return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
  }

  /// The basis as one list per option of its utilities under each motive (``SurrogateFeatures/motives`` order),
  /// numbers in their shortest round-trip form.
  static func basisJSON(_ features: SurrogateFeatures) -> String {
    let d = SurrogateFeatures.motives.count
    let rows = (0..<features.count).map { k in
      "["
        + (0..<d).map { x in
          let v = features.basis[k * d + x]
          return v.isFinite ? "\(v)" : "null"
        }.joined(separator: ",") + "]"
    }
    return "[" + rows.joined(separator: ",") + "]"
  }

  /// `text` as a JSON string literal.
  static func quote(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where scalar.value < 0x20 || scalar.value == 0x7F || (0x2028...0x2029).contains(scalar.value):
        out += String(format: "\\u%04x", scalar.value)
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }
}
