/// Why an edge list could not be read as a ``Network``: the file (and line) and what was wrong there.
public struct NetworkError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The file's path, or the name given to a text read from elsewhere.
  public let source: String
  /// The 1-based line at fault, when one is.
  public let line: Int?
  public let message: String

  public init(source: String, line: Int? = nil, _ message: String) {
    self.source = source
    self.line = line
    self.message = message
  }

  public var description: String { line.map { "\(source):\($0): \(message)" } ?? "\(source): \(message)" }
}
