import AgoraCore
import Foundation

extension Report {
  /// A division game's story from its `offers` table: the distribution of offers (each segment's share of its
  /// proposals at each offer, as bars side by side) and the acceptance curve (the share of each offer accepted,
  /// with the number of proposals behind it); empty for a run without one.
  static func offerCharts(_ result: RunResult) -> String {
    guard let offers = result.tables.first(where: { $0.name == "offers" }),
      let segmentColumn = offers.columns.firstIndex(of: "segment"),
      let shareColumn = offers.columns.firstIndex(of: "offer_share"),
      let madeColumn = offers.columns.firstIndex(of: "proposals"),
      let acceptedColumn = offers.columns.firstIndex(of: "accepted")
    else { return "" }
    var segments: [String] = []
    var bySegment: [String: [(share: Double, made: Int, accepted: Int)]] = [:]
    for row in offers.rows {
      guard let share = number(row[shareColumn]), case .int(let made) = row[madeColumn],
        case .int(let accepted) = row[acceptedColumn]
      else { continue }
      let name = row[segmentColumn].text
      if bySegment[name] == nil { segments.append(name) }
      bySegment[name, default: []].append((share, made, accepted))
    }
    let shares = (bySegment[segments.first ?? ""] ?? []).map(\.share)
    guard shares.count > 1, segments.allSatisfy({ bySegment[$0]?.count == shares.count }) else { return "" }
    let madeSegments = segments.filter { name in bySegment[name]!.contains { $0.made > 0 } }
    guard !madeSegments.isEmpty else { return "" }
    // Bars of each segment side by side within an offer's slot, on a categorical axis (one slot an offer, about
    // 20 labelled).
    let width = 0.8 / Double(madeSegments.count)
    let every = max(1, (shares.count + 19) / 20)
    let distribution = madeSegments.enumerated().map { n, name -> Chart.Series in
      let rows = bySegment[name]!
      let total = Double(rows.reduce(0) { $0 + $1.made })
      let points = rows.enumerated().map { k, row in
        Chart.Point(
          x: Double(k) - 0.4 + width * (Double(n) + 0.5), y: Double(row.made) / total,
          label: String(
            format: "%@: offer %.4g of the stake, %d of %d proposals (%.1f%%)", name, row.share, row.made,
            Int(total), 100 * Double(row.made) / total))
      }
      return Chart.Series(name: name, points: points, style: .bars(width: width))
    }
    var first = Chart(
      title: "Offers made", xLabel: "offer (share of the stake)", yLabel: "share of the segment's proposals",
      series: distribution)
    first.width = 1280
    first.height = 360
    first.includeZero = true
    first.categories = shares.enumerated().map { k, share in k % every == 0 ? String(format: "%.4g", share) : "" }
    var html =
      "<p>The whole distribution of offers (<code>offers.csv</code>): each proposer segment's share of its "
      + "proposals at each offer on the grid.</p>\n" + first.svg() + "\n"
    // The acceptance curve, over all segments, where an offer was made; a dictator's is 1 everywhere: not drawn.
    let pooled = shares.indices.map { k in
      segments.reduce((made: 0, accepted: 0)) { sum, name in
        (sum.made + bySegment[name]![k].made, sum.accepted + bySegment[name]![k].accepted)
      }
    }
    guard pooled.contains(where: { $0.accepted < $0.made }) else { return html }
    let points = shares.indices.compactMap { k -> Chart.Point? in
      let (made, accepted) = pooled[k]
      guard made > 0 else { return nil }
      let rate = Double(accepted) / Double(made)
      // A 95% Wilson interval, so an offer made twice does not look as sure as one made a thousand times.
      let z = 1.96
      let n = Double(made)
      let centre = (rate + z * z / (2 * n)) / (1 + z * z / n)
      let half = z * sqrt(rate * (1 - rate) / n + z * z / (4 * n * n)) / (1 + z * z / n)
      return Chart.Point(
        x: shares[k], y: rate, low: max(0, centre - half), high: min(1, centre + half),
        label: String(format: "offer %.4g: %d of %d accepted (%.1f%%)", shares[k], accepted, made, 100 * rate))
    }
    var curve = Chart(
      title: "Acceptance by offer", xLabel: "offer (share of the stake)", yLabel: "share accepted",
      series: [Chart.Series(name: "all responders", points: points, style: .points)])
    curve.width = 1280
    curve.height = 360
    curve.includeZero = true
    html +=
      "<p>The acceptance curve: the share of each offer that responders accepted, with a 95% Wilson interval "
      + "(offers never made are left out).</p>\n" + curve.svg() + "\n"
    return html
  }
}
