import AgoraCore
import AgoraLanguageModel
import Foundation

/// Checks on output paths derived from names.
public enum OutputPath {
  /// Whether `name` is safe as one path component: letters, digits, `-`, `_`, `.`, and not `.` or `..`.
  public static func isSafeName(_ name: String) -> Bool {
    !name.isEmpty && name != "." && name != ".." && name.allSatisfy { $0.isLetter || $0.isNumber || "-_.".contains($0) }
  }

  /// Throws unless `path`, with symbolic links resolved as far as it exists, lies inside `root` (resolved too):
  /// a default output folder must not escape the output root through a link.
  public static func checkInside(_ path: String, root: String) throws(OutputError) {
    func resolved(_ p: String) -> String {
      var url = URL(fileURLWithPath: p).standardized
      var tail: [String] = []
      while !FileManager.default.fileExists(atPath: url.path), url.path != "/" {
        tail.insert(url.lastPathComponent, at: 0)
        url.deleteLastPathComponent()
      }
      var base = url.resolvingSymlinksInPath()
      for part in tail { base.appendPathComponent(part) }
      return base.standardized.path
    }
    let r = resolved(root)
    let p = resolved(path)
    guard p == r || p.hasPrefix(r.hasSuffix("/") ? r : r + "/") else {
      throw .cannotWrite(path: path, reason: "it resolves to \(p), outside the output root \(r) (a symbolic link?)")
    }
  }
}
