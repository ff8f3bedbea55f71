import AgoraCore
import Foundation

extension Report {
  /// The most civilizations the galaxy map draws: beyond it, every k-th born one by agent_id (segments hold
  /// consecutive ids, so each keeps its share; positions are drawn at random, so a uniform sample of the galaxy).
  static let civilizationsDrawn = 2000

  /// A map of the galaxy at the end from agents.csv's `position_x`, `position_y` and fate columns: each born
  /// civilization a dot in its segment's colour, filled if it is alive at the horizon and a ring if it ended (a
  /// cross if a strike destroyed it); a 3-D galaxy is seen from above (x and y). `nil` for a run without positions.
  static func civilizationMap(_ result: RunResult) -> String? {
    func values(_ name: String) -> [Double]? { result.agentValues.first { $0.column.name == name }?.values }
    guard let xs = values("position_x"), let ys = values("position_y"), let born = values("born_at"),
      let alive = values("alive_at_end"), let struck = values("destroyed_by_strike"), !xs.isEmpty
    else { return nil }
    let region = result.summary.first { $0.0 == "region" }.flatMap { number($0.1) } ?? (xs + ys).max() ?? 1
    let bornIds = (0..<xs.count).filter { born[$0].isFinite }
    let stride = max(1, (bornIds.count + civilizationsDrawn - 1) / civilizationsDrawn)
    let drawnIds = Swift.stride(from: 0, to: bornIds.count, by: stride).map { bornIds[$0] }
    let size = 640.0
    let margin = 8.0
    let scale = (size - 2 * margin) / max(region, .leastNonzeroMagnitude)
    let colours = segmentColours(result)
    var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(size) + 260)\" height=\"\(Int(size))\" "
    svg += "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
    svg += "<rect x=\"\(margin)\" y=\"\(margin)\" width=\"\(size - 2 * margin)\" height=\"\(size - 2 * margin)\" "
    svg += "fill=\"#f7f7f7\" stroke=\"#999\"/>\n"
    var counts = (alive: 0, struck: 0, collapsed: 0)
    for i in drawnIds {
      let x = margin + xs[i] * scale
      let y = size - margin - ys[i] * scale
      let segment = Int(result.population.segment[i])
      let colour = colours[segment]
      let name = result.population.segments[segment].name
      let fate: String
      var tag = "circle"
      if alive[i] == 1 {
        fate = "alive"
        counts.alive += 1
        svg += String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%@\">", x, y, colour)
      } else if struck[i] == 1 {
        fate = "destroyed by a strike"
        counts.struck += 1
        tag = "path"
        svg += String(
          format: "<path d=\"M%.1f %.1fl5 5m0 -5l-5 5\" stroke=\"%@\" stroke-width=\"1.2\">", x - 2.5, y - 2.5, colour)
      } else {
        fate = "collapsed"
        counts.collapsed += 1
        svg += String(
          format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"none\" stroke=\"%@\">", x, y, colour)
      }
      let title = String(
        format: "civilization %d (%@): %@, born at %.4g, at (%.1f, %.1f)", i, Chart.escape(name), fate, born[i],
        xs[i], ys[i])
      svg += "<title>\(title)</title></\(tag)>\n"
    }
    let legendX = Int(size) + 12
    for (k, segment) in result.population.segments.enumerated() {
      svg += "<rect x=\"\(legendX)\" y=\"\(8 + 18 * k)\" width=\"12\" height=\"12\" fill=\"\(colours[k])\"/>\n"
      svg += "<text x=\"\(legendX + 18)\" y=\"\(18 + 18 * k)\">\(Chart.escape(segment.name))</text>\n"
    }
    let keyY = 8 + 18 * result.population.segments.count + 14
    svg += "<circle cx=\"\(legendX + 6)\" cy=\"\(keyY + 6)\" r=\"3\" fill=\"#555\"/>"
    svg += "<text x=\"\(legendX + 18)\" y=\"\(keyY + 10)\">alive at the horizon (\(counts.alive))</text>\n"
    svg += "<path d=\"M\(legendX + 3) \(keyY + 21)l5 5m0 -5l-5 5\" stroke=\"#555\" stroke-width=\"1.2\"/>"
    svg += "<text x=\"\(legendX + 18)\" y=\"\(keyY + 28)\">destroyed by a strike (\(counts.struck))</text>\n"
    svg += "<circle cx=\"\(legendX + 6)\" cy=\"\(keyY + 42)\" r=\"2.5\" fill=\"none\" stroke=\"#555\"/>"
    svg += "<text x=\"\(legendX + 18)\" y=\"\(keyY + 46)\">collapsed (\(counts.collapsed))</text>\n"
    let which =
      drawnIds.count < bornIds.count
      ? "\(drawnIds.count) of the \(bornIds.count) civilizations born (one in \(stride) by agent_id)"
      : "all \(bornIds.count) civilizations born"
    let view = result.agentValues.contains { $0.column.name == "position_z" } ? ", seen from above (x and y)" : ""
    return "<p>The galaxy at the horizon (<code>agents.csv</code>'s positions and fates): \(which), in the "
      + (region == region.rounded() && region < 1e15 ? String(Int(region)) : String(format: "%.4g", region))
      + " light-year region\(view), coloured by segment (world view).</p>\n" + svg
      + "</svg>\n"
  }
}
