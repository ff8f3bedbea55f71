/// One problem in a scenario: where it is (key path), what was found, and what is allowed.
public struct ScenarioIssue: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file the scenario came from (or `--set` text), when known.
  public var file: String?
  /// The dotted key path, e.g. `population.segments.0.decoding.temperature`.
  public var path: String
  /// The offending value as written, if there is one.
  public var value: String?
  /// What is wrong and what is allowed.
  public var message: String

  public init(file: String? = nil, path: String, value: String? = nil, message: String) {
    self.file = file
    self.path = path
    self.value = value
    self.message = message
  }

  package init(_ codingPath: [any CodingKey], value: String? = nil, _ message: String) {
    self.init(path: ScenarioIssue.dotted(codingPath), value: value, message: message)
  }

  /// `file: key.path: 'value': message`, with long parts cut (a value can be megabytes); an issue with the whole
  /// file (it cannot be read, it is empty) has no key path, and one without a file says `(top level)`.
  public var description: String {
    var parts = file.map { [ScenarioIssue.cut($0, 200)] } ?? []
    if !path.isEmpty || file == nil { parts.append(path.isEmpty ? "(top level)" : ScenarioIssue.cut(path, 200)) }
    if let value { parts.append("'\(ScenarioIssue.cut(value, 80))'") }
    return (parts + [ScenarioIssue.cut(message, 1000)]).joined(separator: ": ")
  }

  /// `text` cut to `limit` characters, saying how many were left out.
  package static func cut(_ text: String, _ limit: Int) -> String {
    guard text.count > limit else { return text }
    return "\(text.prefix(limit))...(\(text.count - limit) more characters)"
  }

  package static func dotted(_ path: [any CodingKey]) -> String {
    path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
  }
}

/// A coding key for any string or index.
package struct AnyKey: CodingKey {
  package var stringValue: String
  package var intValue: Int?
  package init(stringValue: String) { self.stringValue = stringValue }
  package init(intValue: Int) {
    self.stringValue = String(intValue)
    self.intValue = intValue
  }
}

/// The closest of `candidates` to `word` by edit distance, if it is close enough to be a likely typo.
package func nearest(_ word: String, in candidates: [String]) -> String? {
  func distance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
      var current = [i] + [Int](repeating: 0, count: b.count)
      for j in stride(from: 1, through: b.count, by: 1) {
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
      }
      previous = current
    }
    return previous[b.count]
  }
  let w = Array(word.lowercased())
  let scored = candidates.map { ($0, distance(w, Array($0.lowercased()))) }
  guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
  return best.1 <= max(2, w.count / 3) ? best.0 : nil
}

extension Decoder {
  /// Throws when the mapping here has a key outside `allowed`, suggesting the nearest known key, or when there is
  /// no mapping here: then the issue says what was found and names the first keys of `allowed`.
  package func checkKeys(_ allowed: [String], misplaced: [String: String] = [:]) throws {
    let container: KeyedDecodingContainer<AnyKey>
    do {
      container = try self.container(keyedBy: AnyKey.self)
    } catch DecodingError.typeMismatch {
      let keys =
        switch allowed.count {
        case 0: ""
        case 1: " with the key \(allowed[0])"
        case 2: " with the keys \(allowed[0]) and \(allowed[1])"
        default: " with keys such as \(allowed[0]) and \(allowed[1])"
        }
      throw ScenarioIssue(codingPath, "found \(foundValue); expected a mapping\(keys)")
    }
    for key in container.allKeys where !allowed.contains(key.stringValue) {
      var message = "unknown key"
      if let path = misplaced[key.stringValue] {
        message += " here; did you mean '\(path)'?"
      } else if let guess = nearest(key.stringValue, in: allowed) {
        message += "; did you mean '\(guess)'?"
      }
      message += " Allowed keys: \(allowed.joined(separator: ", "))"
      throw ScenarioIssue(codingPath + [key], message)
    }
  }
}

extension Decoder {
  /// What the value being decoded is, in words for an error message: `the number 3`, `the text 'x'`, `a list`.
  package var foundValue: String {
    if (try? unkeyedContainer()) != nil { return "a list" }
    if (try? container(keyedBy: AnyKey.self)) != nil { return "a mapping" }
    guard let single = try? singleValueContainer() else { return "a value of another kind" }
    if single.decodeNil() { return "no value" }
    if let flag = try? single.decode(Bool.self) { return "the value \(flag)" }
    let text = (try? single.decode(String.self)) ?? ""
    if (try? single.decode(Double.self)) != nil { return "the number \(text)" }
    return "the text '\(text)'"
  }
}

/// The value at some key path of a scenario, described in words by `Decoder.foundValue`.
package struct FoundValue: Decodable {
  package let text: String
  package init(from decoder: any Decoder) throws { text = decoder.foundValue }
}

extension KeyedDecodingContainer {
  /// Decodes `key` (or takes `fallback` when absent) and checks it, describing what is `allowed` on failure.
  package func value<T: Decodable>(
    _ key: Key, default fallback: T? = nil, allowed: String = "", _ isValid: (T) -> Bool = { _ in true }
  ) throws -> T {
    let value: T
    if let decoded = try decodeIfPresent(T.self, forKey: key) {
      value = decoded
    } else if let fallback {
      value = fallback
    } else {
      throw ScenarioIssue(
        codingPath + [key],
        (contains(key) ? "has no value" : "required key is missing") + (allowed.isEmpty ? "" : "; expected \(allowed)"))
    }
    guard isValid(value) else { throw ScenarioIssue(codingPath + [key], value: "\(value)", "expected \(allowed)") }
    return value
  }

  /// Decodes a string naming one of `E`'s cases, with a suggestion for a misspelling.
  package func choice<E: RawRepresentable & CaseIterable>(_ key: Key, default fallback: E? = nil) throws -> E
  where E.RawValue == String {
    let names = E.allCases.map(\.rawValue)
    guard let raw = try decodeIfPresent(String.self, forKey: key) else {
      if let fallback { return fallback }
      throw ScenarioIssue(
        codingPath + [key], "required key is missing; expected one of \(names.joined(separator: ", "))")
    }
    guard let value = E(rawValue: raw) else {
      var message = "expected one of \(names.joined(separator: ", "))"
      if let guess = nearest(raw, in: names) { message += "; did you mean '\(guess)'?" }
      throw ScenarioIssue(codingPath + [key], value: raw, message)
    }
    return value
  }
}
