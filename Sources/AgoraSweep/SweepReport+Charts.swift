import AgoraCore
import AgoraOutput
import Foundation

/// The report's charts: each metric's mean with its confidence interval against each swept parameter, one series per
/// value of a second parameter.
extension SweepReport {
  /// Where the design points lie along one parameter: each point's position, and each position's x and words.
  struct Axis {
    /// Each design point's position.
    var positionOf: [Int]
    /// Each position's x: the value, a bin's centre, or a category's index.
    var x: [Double]
    /// Each position's value text, or its bin `[a, b)`.
    var text: [String]
    /// The value texts of a parameter that is not all numbers (a categorical axis), else `nil`.
    var categories: [String]?
    /// Whether the positions are bins of more distinct values than a chart draws.
    var binned: Bool
    /// Whether x is log10 of the values.
    var logScale: Bool
    /// The distinct values.
    var distinct: Int
  }

  /// The distinct values of parameter `p` over the design points (in order of first appearance), and each point's.
  func distinctValues(_ p: Int) -> (values: [String], indexOf: [Int]) {
    var values: [String] = []
    var index: [String: Int] = [:]
    let indexOf = plan.points.map { point -> Int in
      if let i = index[point[p]] { return i }
      index[point[p]] = values.count
      values.append(point[p])
      return values.count - 1
    }
    return (values, indexOf)
  }

  /// The axis of parameter `p`: a position per distinct value, or ``binCount`` bins when a numeric parameter has more
  /// than ``positionLimit`` values; a range sampled on the log scale is drawn against log10 of its values.
  func axis(_ p: Int) -> Axis {
    let (values, indexOf) = distinctValues(p)
    let numbers = values.map(CSVTable.finiteNumber)
    guard numbers.allSatisfy({ $0 != nil }) else {
      return Axis(
        positionOf: indexOf, x: values.indices.map(Double.init), text: values, categories: values, binned: false,
        logScale: false, distinct: values.count)
    }
    var logScale = false
    if case .range(_, _, .log, _) = plan.parameters[p].domain, numbers.allSatisfy({ $0! > 0 }) { logScale = true }
    let xs = numbers.map { logScale ? Foundation.log10($0!) : $0! }
    guard values.count > SweepReport.positionLimit, let low = xs.min(), let high = xs.max(), high > low else {
      return Axis(
        positionOf: indexOf, x: xs, text: values, categories: nil, binned: false, logScale: logScale,
        distinct: values.count)
    }
    let bins = SweepReport.binCount
    let edges = (0...bins).map { k in
      let edge = k == bins ? high : low + (high - low) * Double(k) / Double(bins)
      return logScale ? Foundation.pow(10, edge) : edge
    }
    let binOf = xs.map { x in min(bins - 1, max(0, Int((x - low) / (high - low) * Double(bins)))) }
    return Axis(
      positionOf: indexOf.map { binOf[$0] },
      x: (0..<bins).map { low + (high - low) * (Double($0) + 0.5) / Double(bins) },
      text: (0..<bins).map { k in
        "[\(SweepReport.short(edges[k])), \(SweepReport.short(edges[k + 1]))" + (k == bins - 1 ? "]" : ")")
      },
      categories: nil, binned: true, logScale: logScale, distinct: values.count)
  }

  /// The parameter whose values split the charts of parameter `p` into series: the second swept parameter for the
  /// first, the first for the others; only a grid axis with several values.
  func seriesParameter(for p: Int) -> Int? {
    guard plan.parameters.count > 1 else { return nil }
    let g = p == 0 ? 1 : 0
    guard !plan.parameters[g].isRange, distinctValues(g).values.count > 1 else { return nil }
    return g
  }

  /// A section per swept parameter with a chart per metric.
  func parameterCharts() -> String {
    guard !plan.parameters.isEmpty, !metrics.isEmpty else { return "" }
    return plan.parameters.indices.map(parameterSection).joined()
  }

  /// The charts of every metric against parameter `p`, with notes on what is pooled, capped or binned.
  func parameterSection(_ p: Int) -> String {
    let parameter = plan.parameters[p]
    let axis = axis(p)
    let group = seriesParameter(for: p)
    let groupValues = group.map { distinctValues($0) }
    let groups = min(groupValues?.values.count ?? 1, SweepReport.seriesLimit)
    // Each design point's cell (position x series), or -1 for a series beyond the cap; then the points of each
    // cell, in point order (a counting sort).
    let cellOf = plan.points.indices.map { i -> Int in
      let g = groupValues?.indexOf[i] ?? 0
      return g < groups ? axis.positionOf[i] * groups + g : -1
    }
    let cells = axis.x.count * groups
    var start = [Int](repeating: 0, count: cells + 1)
    for c in cellOf where c >= 0 { start[c + 1] += 1 }
    for c in 0..<cells { start[c + 1] += start[c] }
    var next = start
    var pointsOf = [Int](repeating: 0, count: start[cells])
    for (i, c) in cellOf.enumerated() where c >= 0 {
      pointsOf[next[c]] = i
      next[c] += 1
    }
    var notes: [String] = []
    let pooled = plan.parameters.indices.filter { $0 != p && $0 != group }.map {
      "<code>\(Chart.escape(plan.parameters[$0].name))</code>"
    }
    if !pooled.isEmpty {
      notes.append(
        "Each mean pools the runs at its value over the other swept parameters: \(pooled.joined(separator: ", ")).")
    }
    if let group, let groupValues, groupValues.values.count > groups {
      notes.append(
        "<code>\(Chart.escape(plan.parameters[group].name))</code> has \(groupValues.values.count) values; "
          + "the series are its first \(groups).")
    }
    if axis.binned {
      notes.append(
        "<code>\(Chart.escape(parameter.name))</code> has \(axis.distinct) distinct values, binned into "
          + "\(axis.x.count) intervals; the design points table has every point.")
    }
    let percent = String(format: "%g", SweepReport.level * 100)
    var figures = ""
    for (k, metric) in metrics.enumerated() {
      var series: [Chart.Series] = []
      for g in 0..<groups {
        var points: [Chart.Point] = []
        for position in axis.x.indices {
          let c = position * groups + g
          let values = pointsOf[start[c]..<start[c + 1]].flatMap { self.values(k, at: $0) }
          guard !values.isEmpty else { continue }
          let s = Summary.describe(values, level: SweepReport.level)
          var label = "\(parameter.name) = \(axis.text[position])"
          if let group, let groupValues { label += ", \(plan.parameters[group].name) = \(groupValues.values[g])" }
          label += ": \(metric) mean \(SweepReport.exact(s.mean))"
          if s.low.isFinite {
            label += ", \(percent)% CI [\(SweepReport.exact(s.low)), \(SweepReport.exact(s.high))]"
          }
          label += ", n = \(s.n) run" + (s.n == 1 ? "" : "s")
          var x = axis.x[position]
          if axis.categories != nil && groups > 1 { x += (Double(g) - Double(groups - 1) / 2) * 0.5 / Double(groups) }
          points.append(
            Chart.Point(
              x: x, y: s.mean, low: s.low.isFinite ? s.low : nil, high: s.high.isFinite ? s.high : nil, label: label))
        }
        points.sort { $0.x < $1.x }
        let name = group.map { "\(plan.parameters[$0].name)=\(groupValues!.values[g])" } ?? metric
        let scatter = (parameter.isRange && !axis.binned) || axis.categories != nil
        series.append(Chart.Series(name: name, points: points, style: scatter ? .markers : .points))
      }
      guard series.contains(where: { !$0.points.isEmpty }) else {
        figures += "<p class=\"note\">No run has a value of <code>\(Chart.escape(metric))</code>.</p>\n"
        continue
      }
      var chart = Chart(
        title: "\(metric) by \(parameter.name)" + (group.map { " and \(plan.parameters[$0].name)" } ?? ""),
        xLabel: (axis.logScale ? "log10 " : "") + label(parameter.name) + (axis.binned ? ", binned" : ""),
        yLabel: "\(label(metric)): mean, \(percent)% CI", series: series)
      chart.width = 1280
      chart.height = 440
      chart.categories = axis.categories
      figures +=
        "<figure data-parameter=\"\(Chart.escape(parameter.name))\" data-metric=\"\(Chart.escape(metric))\">\n"
        + chart.svg() + "</figure>\n"
    }
    let intro = notes.isEmpty ? "" : "<p class=\"note\">\(notes.joined(separator: " "))</p>\n"
    return SweepReport.section("By \(parameter.name)", id: "by-\(Chart.escape(parameter.name))", intro + figures)
  }
}
