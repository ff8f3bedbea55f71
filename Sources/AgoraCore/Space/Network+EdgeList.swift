import Foundation

/// Networks read from edge lists: one edge a line, two node ids (integers from 0) separated by spaces or a tab;
/// blank lines and everything after `#` are ignored. An edge may be listed in both directions or repeated (it is
/// kept once); a self loop, a third field, or an id that is not an integer from 0 is refused naming its line.
extension Network {
  /// The largest node id an edge list may name.
  public static let largestNodeId = Int(Int32.max) - 2

  /// The network of the edge list at `path`: nodes `0..<nodes`, or up to the largest id listed when `nodes` is nil.
  public static func read(edgeList path: String, nodes: Int? = nil) throws(NetworkError) -> Network {
    let text: String
    do {
      text = try FileReading.text(atPath: path)
    } catch {
      guard case .cannotRead(_, let reason) = error else { throw NetworkError(source: path, "\(error)") }
      throw NetworkError(source: path, "cannot read the edge list: \(reason)")
    }
    return try parse(edgeList: text, source: path, nodes: nodes)
  }

  /// The network of an edge list's text; `source` names it in errors.
  public static func parse(edgeList text: String, source: String = "edge list", nodes: Int? = nil)
    throws(NetworkError) -> Network
  {
    if let nodes, nodes < 0 || nodes > largestNodeId + 1 {
      throw NetworkError(source: source, "a network of \(nodes) nodes; expected 0 to \(largestNodeId + 1)")
    }
    var edges: [(Int, Int)] = []
    var largest = -1
    var number = 0
    // Lines end at "\n", "\r\n" (one character in Swift) or "\r".
    for raw in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
      number += 1
      let content = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
      let fields = content.split(whereSeparator: { $0 == " " || $0 == "\t" })
      if fields.isEmpty { continue }
      guard fields.count == 2 else {
        throw NetworkError(
          source: source, line: number,
          "expected two node ids separated by spaces or a tab, found \(fields.count) field"
            + (fields.count == 1 ? "" : "s") + ": '\(Self.cut(content))'")
      }
      var ids: [Int] = []
      for field in fields {
        guard field.allSatisfy(\.isASCII), let id = Int(field), id >= 0, id <= largestNodeId else {
          throw NetworkError(
            source: source, line: number,
            "'\(Self.cut(field))' is not a node id (an integer from 0 to \(largestNodeId))")
        }
        if let nodes, id >= nodes {
          throw NetworkError(
            source: source, line: number, "node \(id) is beyond the network's \(nodes) nodes (0 to \(nodes - 1))")
        }
        ids.append(id)
      }
      guard ids[0] != ids[1] else {
        throw NetworkError(
          source: source, line: number, "node \(ids[0]) is linked to itself; a network has no self loops")
      }
      largest = Swift.max(largest, ids[0], ids[1])
      edges.append((ids[0], ids[1]))
    }
    guard nodes != nil || !edges.isEmpty else {
      throw NetworkError(
        source: source, "no edges: expected lines of two node ids (and the number of nodes to have none)")
    }
    return Network(nodes: nodes ?? largest + 1, edges: edges)
  }

  /// A field or line as an error message shows it: at most 40 characters.
  static func cut<S: StringProtocol>(_ text: S) -> String {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    return trimmed.count <= 40 ? trimmed : String(trimmed.prefix(40)) + "..."
  }
}
