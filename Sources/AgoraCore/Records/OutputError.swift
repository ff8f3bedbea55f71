/// A failure to write results.
public enum OutputError: Error, Sendable, CustomStringConvertible {
  case cannotWrite(path: String, reason: String)
  case cannotRead(path: String, reason: String)
  case malformed(path: String, line: Int, reason: String)
  case missingColumn(path: String, reason: String)

  public var description: String {
    switch self {
    case .cannotWrite(let path, let reason): return "cannot write \(path): \(reason)"
    case .cannotRead(let path, let reason): return "cannot read \(path): \(reason)"
    case .malformed(let path, let line, let reason): return "\(path):\(line): \(reason)"
    case .missingColumn(let path, let reason): return "\(path): \(reason)"
    }
  }
}
