import AgoraCore
import Foundation

extension Report {
  /// The most nodes the network picture draws: beyond it, the first ones by agent_id and the edges among them
  /// (a picture of 10^5 nodes is a grey disc, and megabytes of SVG).
  static let networkNodesDrawn = 500

  /// A picture of the run's network from its `edges` table (`source`, `target`): the agents on a circle in agent_id
  /// order (a Watts-Strogatz ring shows as a ring with its rewired chords), each edge a line, each agent coloured
  /// by its final `opinion` when a table has one per agent_id (in [0, 1], on the viridis scale), else by
  /// segment; `nil` for a run without a network.
  static func networkMap(_ result: RunResult) -> String? {
    guard let edges = result.tables.first(where: { $0.name == "edges" }),
      let sc = edges.columns.firstIndex(of: "source"), let tc = edges.columns.firstIndex(of: "target")
    else { return nil }
    let n = result.population.count
    let shown = min(n, networkNodesDrawn)
    guard shown > 0 else { return nil }
    let opinions = nodeOpinions(result, count: shown)
    let size = 640.0
    let centre = size / 2
    let radius = size / 2 - 16
    func position(_ i: Int) -> (Double, Double) {
      let angle = 2 * Double.pi * Double(i) / Double(shown) - Double.pi / 2
      return (centre + radius * cos(angle), centre + radius * sin(angle))
    }
    var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(size) + 200)\" height=\"\(Int(size))\" "
    svg += "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
    svg += "<g stroke=\"#777\" stroke-opacity=\"0.3\" stroke-width=\"0.6\">\n"
    var drawn = 0
    for row in edges.rows {
      guard case .int(let a) = row[sc], case .int(let b) = row[tc], a < shown, b < shown, a >= 0, b >= 0 else {
        continue
      }
      let (x1, y1) = position(a)
      let (x2, y2) = position(b)
      svg += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", x1, y1, x2, y2)
      drawn += 1
    }
    svg += "</g>\n"
    let colours = segmentColours(result)
    let dot = max(2, min(6, 1400 / Double(shown)))
    for i in 0..<shown {
      let (x, y) = position(i)
      let colour = opinions.map { opinionColour($0[i]) } ?? colours[Int(result.population.segment[i])]
      let title = opinions.map { String(format: "agent %d: opinion %.4f", i, $0[i]) } ?? "agent \(i)"
      svg += String(
        format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%@\"><title>%@</title></circle>\n", x, y, dot,
        colour, title)
    }
    let legendX = Int(size) + 12
    if opinions != nil {
      for k in 0...10 {
        let v = Double(k) / 10
        svg +=
          "<rect x=\"\(legendX)\" y=\"\(8 + 16 * (10 - k))\" width=\"14\" height=\"16\" fill=\"\(opinionColour(v))\"/>\n"
      }
      svg += "<text x=\"\(legendX + 20)\" y=\"20\">opinion 1</text>\n"
      svg += "<text x=\"\(legendX + 20)\" y=\"180\">opinion 0</text>\n"
    } else {
      for (k, segment) in result.population.segments.enumerated() {
        svg += "<rect x=\"\(legendX)\" y=\"\(8 + 18 * k)\" width=\"12\" height=\"12\" fill=\"\(colours[k])\"/>\n"
        svg += "<text x=\"\(legendX + 18)\" y=\"\(18 + 18 * k)\">\(Chart.escape(segment.name))</text>\n"
      }
    }
    let which =
      shown < n
      ? "the first \(shown) of \(n) agents by agent_id and the \(drawn) edges among them (of \(edges.rows.count))"
      : "all \(n) agents and \(drawn) edges"
    let colouring = opinions != nil ? "coloured by final opinion" : "coloured by segment"
    return "<p>The network (<code>edges.csv</code>): \(which), on a circle in agent_id order, \(colouring).</p>\n"
      + svg + "</svg>\n"
  }

  /// The final opinion of agents `0..<count` from a table with `agent_id` and `opinion` columns, if the run has one
  /// and it covers them.
  static func nodeOpinions(_ result: RunResult, count: Int) -> [Double]? {
    for table in result.tables {
      guard let ic = table.columns.firstIndex(of: "agent_id"), let oc = table.columns.firstIndex(of: "opinion")
      else { continue }
      var values = [Double](repeating: .nan, count: count)
      for row in table.rows {
        guard case .int(let i) = row[ic], i >= 0, i < count, let v = number(row[oc]) else { continue }
        values[i] = v
      }
      return values.contains(where: \.isNaN) ? nil : values
    }
    return nil
  }

  /// A colour for an opinion in [0, 1] on the viridis scale (dark purple, blue, green, yellow: ordered, readable in
  /// grey and by the colour-blind), clamped outside.
  static func opinionColour(_ value: Double) -> String {
    let stops: [(Double, Double, Double)] = [
      (68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37),
    ]
    let x = min(1, max(0, value)) * Double(stops.count - 1)
    let k = min(stops.count - 2, Int(x))
    let t = x - Double(k)
    let (a, b) = (stops[k], stops[k + 1])
    func mix(_ p: Double, _ q: Double) -> Int { Int((p + (q - p) * t).rounded()) }
    return String(format: "#%02X%02X%02X", mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
  }
}
