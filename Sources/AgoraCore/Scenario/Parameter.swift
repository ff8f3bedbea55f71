/// A model's parameters, declared once (in the spirit of swift-argument-parser's `@Option`): each key's name,
/// property, allowed values and a line of documentation, in the order they are decoded. The default is the
/// property's initial value in `init()` (or a rule on the keys decoded before it); decoding, checking, encoding (the
/// manifest and report) and the reference tables of `docs/scenario.md` all derive from the declaration.
public protocol DeclaredParameters: Codable {
  /// A value with every default.
  init()
  /// The keys, in decoding order (a key may depend on the ones before it).
  static var parameters: [Parameter<Self>] { get }
}

/// One declared key of `Root`.
public struct Parameter<Root: DeclaredParameters> {
  /// The YAML key.
  public let key: String
  /// The default, as the docs show it.
  public let defaultText: String
  /// What the key allows, in words (also the error message's "expected ...").
  public let allowed: String
  /// One line saying what the key means.
  public let doc: String
  /// The key's value as summary cells: one column named by the key, or a nested mapping's own keys.
  let cells: (Root) -> [(Column, Cell)]
  let decode: (inout Root, KeyedDecodingContainer<AnyKey>) throws -> Void
  let encode: (Root, inout KeyedEncodingContainer<AnyKey>) throws -> Void

  /// A key whose value is checked by `valid` (given the value and the keys decoded before it); when the key is
  /// absent, `fallback` (given those keys) or the property's initial value is taken, and checked the same way.
  public init<V: Codable>(
    _ key: String, _ path: WritableKeyPath<Root, V>, allowed: String, doc: String,
    default fallback: ((Root) -> V, text: String)? = nil, valid: @escaping (V, Root) -> Bool = { _, _ in true }
  ) {
    self.key = key
    self.allowed = allowed
    self.doc = doc
    defaultText = fallback?.text ?? Parameter.text(Root()[keyPath: path])
    cells = { root in Parameter.cells(key, doc, root[keyPath: path]) }
    decode = { root, container in
      let codingKey = AnyKey(stringValue: key)
      let before = root
      let value = try container.value(
        codingKey, default: fallback?.0(before) ?? before[keyPath: path], allowed: allowed
      ) { valid($0, before) }
      root[keyPath: path] = value
    }
    encode = { root, container in try container.encode(root[keyPath: path], forKey: AnyKey(stringValue: key)) }
  }

  /// A key naming one case of `E` (a misspelling gets a suggestion).
  public init<E: RawRepresentable & CaseIterable & Codable>(
    _ key: String, _ path: WritableKeyPath<Root, E>, doc: String
  )
  where E.RawValue == String {
    self.key = key
    allowed = E.allCases.map { "`\($0.rawValue)`" }.joined(separator: ", ")
    self.doc = doc
    defaultText = Parameter.text(Root()[keyPath: path])
    cells = { root in Parameter.cells(key, doc, root[keyPath: path]) }
    decode = { root, container in
      root[keyPath: path] = try container.choice(AnyKey(stringValue: key), default: root[keyPath: path])
    }
    encode = { root, container in try container.encode(root[keyPath: path], forKey: AnyKey(stringValue: key)) }
  }

  /// `value` as summary cells under `key`: a number as a number, a flag as 0/1, a name or a list as its text, a
  /// nested mapping as its own keys' cells.
  static func cells(_ key: String, _ doc: String, _ value: Any) -> [(Column, Cell)] {
    if let nested = value as? any DeclaredParameters { return nested.declaredCells }
    let cell: Cell
    // Exact types, so that no bridging turns a flag into a number or a count into a double.
    if let x = value as? Bool, type(of: value) == Bool.self {
      cell = .int(x ? 1 : 0)
    } else if let x = value as? Int, type(of: value) == Int.self {
      cell = .int(x)
    } else if let x = value as? Double, type(of: value) == Double.self {
      cell = .double(x)
    } else {
      cell = .string(text(value))
    }
    let type: ColumnType
    switch cell {
    case .int: type = .integer
    case .double: type = .double
    case .string: type = .string
    }
    return [(Column(key, type, doc), cell)]
  }

  /// A default as the docs show it: numbers in their shortest form, names as they are, lists in YAML flow style.
  static func text(_ value: Any) -> String {
    switch value {
    case let x as Double: return x.valueText
    case let x as Int: return String(x)
    case let x as any RawRepresentable: return "\(x.rawValue)"
    case let list as [Any]: return "[" + list.map(text).joined(separator: ", ") + "]"
    default: return "\(value)"
    }
  }
}

extension DeclaredParameters {
  /// Decodes the declared keys in order, refusing any other key (with a suggestion for a misspelling).
  public init(from decoder: any Decoder) throws {
    try decoder.checkKeys(Self.parameters.map(\.key))
    let container = try decoder.container(keyedBy: AnyKey.self)
    var root = Self()
    for parameter in Self.parameters { try parameter.decode(&root, container) }
    self = root
  }

  /// Encodes every declared key (the resolved value, defaults included).
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: AnyKey.self)
    for parameter in Self.parameters { try parameter.encode(self, &container) }
  }

  /// Every declared key's value as summary cells, nested mappings by their own keys.
  public var declaredCells: [(Column, Cell)] { Self.parameters.flatMap { $0.cells(self) } }

  /// The reference table of the keys, as `docs/scenario.md` shows it (`agora list --parameters` prints it).
  public static var markdownTable: String {
    (["| key | default | allowed | meaning |", "|---|---|---|---|"]
      + parameters.map { "| `\($0.key)` | `\($0.defaultText)` | \($0.allowed) | \($0.doc) |" })
      .joined(separator: "\n")
  }
}
