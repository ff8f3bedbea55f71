import AgoraCore
import Foundation
import Yams

/// The YAML 1.1 forms of numbers and booleans that Yams reads and YAML 1.2 does not: `10:100` (base 60, 700),
/// `0x20` (32), `0o17` and `017` (octal 15), `0b101` (5), `yes`/`no`/`on`/`off`. Agora refuses them, because a value
/// nobody typed (`--set game.stake=10:100` running with stake 700) is worse than an error that says what to write.
package enum YAML11Form {
  /// `node` with every plain `yes`, `no`, `on` and `off` (any case) tagged as text, which Yams would otherwise read as
  /// true or false wherever a Bool is decoded: so they are refused where true or false is expected, text where text is.
  /// Subtrees without one are kept as they are (shared, not copied).
  package static func booleansAsText(_ node: Node) -> Node { retagged(node) ?? node }

  /// `node` retagged as ``booleansAsText(_:)`` does, or `nil` when nothing in it changes.
  private static func retagged(_ node: Node) -> Node? {
    switch node {
    case .scalar(var scalar):
      guard scalar.style == .plain || scalar.style == .any, booleanAdvice(scalar.string) != nil else { return nil }
      scalar.tag = Tag(.str)
      return .scalar(scalar)
    case .sequence(var items):
      var changed = false
      for i in items.indices {
        if let new = retagged(items[i]) {
          items[i] = new
          changed = true
        }
      }
      return changed ? .sequence(items) : nil
    case .mapping(var pairs):
      var changed = false
      for i in pairs.indices {
        if let new = retagged(pairs[i].value) {
          pairs[i].value = new
          changed = true
        }
      }
      return changed ? .mapping(pairs) : nil
    case .alias:
      return nil
    }
  }

  /// Why the plain scalar `text` is refused as a YAML 1.1 number form, and what to write instead; `nil` for any other
  /// text (decimals such as `10`, `-0.5`, `1e6`, `.5`, `.inf` are YAML 1.2 numbers and pass).
  package static func numberProblem(_ text: String) -> String? {
    var body = Substring(text)
    let negative = body.first == "-"
    if body.first == "+" || negative { body = body.dropFirst() }
    guard let first = body.first, first.isASCII, first.isNumber else { return nil }
    let quote = "or quote it ('\(text)') if it is text"
    func isDigits(_ part: Substring, radix: Int) -> Bool {
      part.contains { $0 != "_" } && part.allSatisfy { $0 == "_" || ($0.hexDigitValue.map { $0 < radix } ?? false) }
    }
    /// The value of `digits` in `radix`, signed, as text; `nil` when it does not fit an integer.
    func value(_ digits: Substring, radix: Int) -> String? {
      Int(digits.filter { $0 != "_" }, radix: radix).map { String(negative ? -$0 : $0) }
    }
    func advice(_ value: String?) -> String {
      (value.map { " (\($0)); write \($0)," } ?? "; write it in decimal,") + " \(quote)"
    }
    let lower = Substring(body.lowercased())
    let rest = lower.dropFirst(2)
    if lower.hasPrefix("0x"), rest.contains(where: \.isHexDigit),
      rest.allSatisfy({ $0.isHexDigit || "_.p+-".contains($0) })
    {
      let read = isDigits(rest, radix: 16) ? value(rest, radix: 16) : Double(text).map(\.valueText)
      return "is a YAML 1.1 hexadecimal number" + advice(read)
    }
    if lower.hasPrefix("0o"), isDigits(rest, radix: 8) {
      return "is a YAML 1.1 octal number" + advice(value(rest, radix: 8))
    }
    if lower.hasPrefix("0b"), isDigits(rest, radix: 2) {
      return "is a YAML 1.1 binary number" + advice(value(rest, radix: 2))
    }
    if body.count > 1, first == "0", isDigits(body, radix: 10) {
      let decimal = value(body, radix: 10) ?? "the number in decimal"
      guard let octal = isDigits(body, radix: 8) ? value(body, radix: 8) : nil else {
        return "has a leading zero, which YAML 1.1 reads as octal; write \(decimal), \(quote)"
      }
      return "has a leading zero, which YAML 1.1 reads as octal (\(octal) where an integer is expected, \(decimal) "
        + "where a number is); write \(decimal) (or \(octal)), \(quote)"
    }
    if body.contains(":") {
      let parts = body.split(separator: ":", omittingEmptySubsequences: false)
      let last = parts.last!.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
      guard parts.dropLast().allSatisfy({ isDigits($0, radix: 10) }), isDigits(last[0], radix: 10),
        last.count == 1 || last[1].allSatisfy({ $0 == "_" || ("0"..."9").contains($0) })
      else { return nil }
      let read = parts.reduce(0.0) { $0 * 60 + (Double($1.filter { $0 != "_" }) ?? .nan) }
      return "is a YAML 1.1 base-60 number (it reads as \((negative ? -read : read).valueText)); write the number in "
        + "decimal, \(quote); to sweep a range write start:stop:step (--grid) or {from, to, step}"
    }
    return nil
  }

  /// What to write instead of a YAML 1.1 boolean (`write true` for `yes`), or `nil` when `text` is not one.
  package static func booleanAdvice(_ text: String) -> String? {
    switch text.lowercased() {
    case "yes", "on": return "write true (YAML 1.1's yes/no and on/off are not read as true or false)"
    case "no", "off": return "write false (YAML 1.1's yes/no and on/off are not read as true or false)"
    default: return nil
    }
  }

  /// Refuses the first plain scalar value under `node` (keys are names, not values) in a YAML 1.1 number form,
  /// naming its dotted key path below `path`.
  package static func check(_ node: Node, path: [String] = []) throws(ScenarioIssue) {
    switch node {
    case .scalar(let scalar):
      guard scalar.style == .plain || scalar.style == .any, let problem = numberProblem(scalar.string) else { return }
      throw ScenarioIssue(path: path.joined(separator: "."), value: scalar.string, message: problem)
    case .sequence(let items):
      for (i, item) in items.enumerated() { try check(item, path: path + [String(i)]) }
    case .mapping(let pairs):
      for (key, value) in pairs { try check(value, path: path + [key.string ?? "?"]) }
    case .alias:
      return
    }
  }
}
