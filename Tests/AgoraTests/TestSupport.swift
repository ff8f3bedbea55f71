import Foundation

/// Paths the tests read: the repository root and, beside it, the shared validation data.
enum TestSupport {
  static let repositoryRoot: URL = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url
  }()

  static func shared(_ path: String) -> String {
    repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared").appendingPathComponent(path).path
  }
}
