import AgoraCore
import AgoraLanguageModel
import Foundation

/// A small SVG chart: lines or points with optional confidence bars or bands, bars, axes with nice ticks, a legend
/// and a title. Self-contained SVG 1.1 (no scripts, no external resources), readable at 640 x 400.
public struct Chart: Sendable {
  /// One point; `low`/`high` draw an interval, and `label` is the tooltip (an SVG `<title>`) of its marker.
  public struct Point: Sendable {
    public var x: Double
    public var y: Double
    public var low: Double?
    public var high: Double?
    public var label: String?

    public init(x: Double, y: Double, low: Double? = nil, high: Double? = nil, label: String? = nil) {
      self.x = x
      self.y = y
      self.low = low
      self.high = high
      self.label = label
    }
  }

  /// How a series is drawn.
  public enum Style: Sendable {
    /// A line through the points, with a shaded band for their intervals.
    case line
    /// Markers with error bars, joined by a thin line.
    case points
    /// Markers with error bars and no line (a scatter of sampled design points).
    case markers
    /// Bars from the x axis (histograms; the points' x are bar centres, `width` their width).
    case bars(width: Double)
    /// A dashed reference line.
    case dashed

    /// Whether each point is drawn as a marker, with its error bar.
    var hasMarkers: Bool {
      switch self {
      case .points, .markers: return true
      default: return false
      }
    }

    /// Whether the points stand alone, not joined by a line.
    var isScatter: Bool {
      if case .markers = self { return true }
      return false
    }
  }

  public struct Series: Sendable {
    public var name: String
    public var points: [Point]
    public var style: Style

    public init(name: String, points: [Point], style: Style = .line) {
      self.name = name
      self.points = points
      self.style = style
    }
  }

  public var title: String
  public var xLabel: String
  public var yLabel: String
  public var series: [Series]
  public var width = 640.0
  public var height = 400.0
  /// Labels for integer x positions (a categorical axis), if any.
  public var categories: [String]? = nil
  /// Force the y axis to include 0.
  public var includeZero = false
  /// Draws a line series of more than ``pointsPerColumn`` points per pixel column of the plot with only the first,
  /// lowest, highest and last point of each column (M4 thinning, Jugel et al. 2014): the same picture at the chart's
  /// size, drawn from a file that does not grow with the rows (a browser or rsvg-convert renders a polyline of 10^5
  /// points in tens of seconds). Off by default, so reports draw every point; `agora plot` turns it on.
  public var thinsLines = false
  /// The points a line series may have per pixel column of the plot before ``thinsLines`` thins it.
  public static let pointsPerColumn = 4

  public init(title: String, xLabel: String, yLabel: String, series: [Series]) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.series = series
  }

  /// Colours of the series, in order (colour-blind-safe, after Okabe & Ito).
  public static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]

  /// Rounds `value` to 1, 2 or 5 times a power of ten (Heckbert's nice numbers).
  static func nice(_ value: Double, round: Bool) -> Double {
    guard value > 0, value.isFinite else { return 1 }
    let exponent = Foundation.floor(Foundation.log10(value))
    let fraction = value / Foundation.pow(10, exponent)
    let niceFraction: Double
    if round {
      niceFraction = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
    } else {
      niceFraction = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
    }
    return niceFraction * Foundation.pow(10, exponent)
  }

  /// About `count` nice tick values covering `low...high`.
  /// Near the ends of the doubles (a range wider than `Double.greatestFiniteMagnitude`, a step that underflows)
  /// the ticks are just the two ends.
  public static func ticks(_ low: Double, _ high: Double, count: Int = 5) -> [Double] {
    guard low.isFinite, high.isFinite else { return [low, high].filter(\.isFinite) }
    var (lo, hi) = (low, high)
    if !(hi > lo) {
      lo -= 0.5 * max(1, abs(lo))
      hi += 0.5 * max(1, abs(hi))
    }
    let step = nice(nice(hi - lo, round: false) / Double(max(1, count - 1)), round: true)
    let first = Foundation.floor(lo / step) * step
    let last = Foundation.ceil(hi / step) * step
    let steps = (last - first) / step
    guard step > 0, step.isFinite, first.isFinite, last.isFinite, steps.isFinite, steps <= Double(20 * max(1, count))
    else { return [lo, hi] }
    return (0...Int(steps.rounded())).map { k in Double(String(format: "%.12g", first + Double(k) * step))! }
  }

  /// A number for an axis: as many decimals as the tick step needs, thousands as k and millions as M.
  public static func label(_ value: Double, step: Double) -> String {
    if value == 0 { return "0" }
    let magnitude = abs(value)
    if magnitude >= 1e6 && step >= 1e5 { return trim(String(format: "%.*f", decimals(step / 1e6), value / 1e6)) + "M" }
    if magnitude >= 1e4 && step >= 1e3 { return trim(String(format: "%.*f", decimals(step / 1e3), value / 1e3)) + "k" }
    return trim(String(format: "%.*f", decimals(step), value))
  }

  static func decimals(_ step: Double) -> Int {
    guard step > 0, step.isFinite else { return 0 }
    return max(0, min(6, Int(Foundation.ceil(-Foundation.log10(step) - 1e-9))))
  }
  static func trim(_ s: String) -> String { s }

  package static func escape(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
  }

  /// The chart as an SVG document.
  public func svg() -> String {
    let left = 64.0
    let right = 16.0 + (series.count > 1 ? 150 : 0)
    let top = 36.0
    let bottom = 52.0
    let plotW = width - left - right
    let plotH = height - top - bottom
    let all = series.flatMap(\.points)
    var xs = all.map(\.x)
    var ys = all.flatMap { [$0.y, $0.low ?? $0.y, $0.high ?? $0.y] }.filter(\.isFinite)
    for s in series { if case .bars(let w) = s.style { xs += s.points.flatMap { [$0.x - w / 2, $0.x + w / 2] } } }
    if includeZero || series.contains(where: { if case .bars = $0.style { return true } else { return false } }) {
      ys.append(0)
    }
    xs = xs.filter(\.isFinite)
    let xTicks =
      categories != nil ? (0..<(categories!.count)).map(Double.init) : Chart.ticks(xs.min() ?? 0, xs.max() ?? 1)
    let yTicks = Chart.ticks(ys.min() ?? 0, ys.max() ?? 1)
    let (x0, x1) = categories != nil ? (-0.5, Double(categories!.count) - 0.5) : (xTicks.first!, xTicks.last!)
    let (y0, y1) = (yTicks.first!, yTicks.last!)
    func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * plotW }
    func py(_ y: Double) -> Double { top + plotH - (y - y0) / (y1 - y0) * plotH }
    func f(_ v: Double) -> String { String(format: "%.2f", v) }
    var out = """
      <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
      viewBox="0 0 \(Int(width)) \(Int(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
      <rect width="100%" height="100%" fill="white"/>
      <text x="\(f(width / 2))" y="20" text-anchor="middle" font-size="15" font-weight="bold">\(Chart.escape(title))</text>

      """
    let yStep = yTicks.count > 1 ? yTicks[1] - yTicks[0] : 1
    for t in yTicks {
      out +=
        "<line x1=\"\(f(left))\" x2=\"\(f(left + plotW))\" y1=\"\(f(py(t)))\" y2=\"\(f(py(t)))\" stroke=\"#e5e5e5\"/>\n"
      out +=
        "<text x=\"\(f(left - 6))\" y=\"\(f(py(t) + 4))\" text-anchor=\"end\">\(Chart.label(t, step: yStep))</text>\n"
    }
    let xStep = xTicks.count > 1 ? xTicks[1] - xTicks[0] : 1
    for (i, t) in xTicks.enumerated() {
      let text = categories.map { $0[i] } ?? Chart.label(t, step: xStep)
      out +=
        "<line x1=\"\(f(px(t)))\" x2=\"\(f(px(t)))\" y1=\"\(f(top + plotH))\" y2=\"\(f(top + plotH + 5))\" stroke=\"#333\"/>\n"
      out +=
        "<text x=\"\(f(px(t)))\" y=\"\(f(top + plotH + 18))\" text-anchor=\"middle\">\(Chart.escape(text))</text>\n"
    }
    out +=
      "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" fill=\"none\" stroke=\"#333\"/>\n"
    out +=
      "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(height - 10))\" text-anchor=\"middle\">\(Chart.escape(xLabel))</text>\n"
    out +=
      "<text transform=\"translate(16,\(f(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">\(Chart.escape(yLabel))</text>\n"
    let columns = Int(plotW.rounded(.up))
    for (k, s) in series.enumerated() {
      let colour = Chart.palette[k % Chart.palette.count]
      var points = s.points.filter { $0.x.isFinite && $0.y.isFinite }
      if case .line = s.style, thinsLines, points.count > Chart.pointsPerColumn * max(1, columns) {
        points = Chart.thinned(points) { Foundation.floor(px($0)) }
      }
      out += "<g class=\"series\" data-name=\"\(Chart.escape(s.name))\">\n"
      switch s.style {
      case .bars(let w):
        for p in points {
          let xa = px(p.x - w / 2)
          let xb = px(p.x + w / 2)
          let ya = py(max(p.y, 0))
          let yb = py(min(p.y, 0))
          out +=
            "<rect x=\"\(f(xa))\" y=\"\(f(ya))\" width=\"\(f(max(0.5, xb - xa)))\" height=\"\(f(yb - ya))\" fill=\"\(colour)\" fill-opacity=\"0.45\" stroke=\"\(colour)\"/>\n"
        }
      case .line, .points, .markers, .dashed:
        let banded = points.filter { $0.low != nil && $0.high != nil }
        if case .line = s.style, banded.count > 1 {
          let upper = banded.map { "\(f(px($0.x))),\(f(py($0.high!)))" }
          let lower = banded.reversed().map { "\(f(px($0.x))),\(f(py($0.low!)))" }
          out +=
            "<polygon points=\"\((upper + lower).joined(separator: " "))\" fill=\"\(colour)\" fill-opacity=\"0.18\" stroke=\"none\"/>\n"
        }
        let path = points.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
        var width = 2.0
        var dash = ""
        if case .points = s.style { width = 1 }
        if case .dashed = s.style { dash = " stroke-dasharray=\"5,4\"" }
        if points.count > 1 && !s.style.isScatter {
          out += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"\(width)\"\(dash)/>\n"
        }
        if s.style.hasMarkers {
          for p in points {
            if let lo = p.low, let hi = p.high, lo.isFinite, hi.isFinite {
              out +=
                "<line x1=\"\(f(px(p.x)))\" x2=\"\(f(px(p.x)))\" y1=\"\(f(py(lo)))\" y2=\"\(f(py(hi)))\" stroke=\"\(colour)\" stroke-width=\"1.5\"/>\n"
              for yy in [lo, hi] {
                out +=
                  "<line x1=\"\(f(px(p.x) - 4))\" x2=\"\(f(px(p.x) + 4))\" y1=\"\(f(py(yy)))\" y2=\"\(f(py(yy)))\" stroke=\"\(colour)\" stroke-width=\"1.5\"/>\n"
              }
            }
            let circle = "<circle cx=\"\(f(px(p.x)))\" cy=\"\(f(py(p.y)))\" r=\"3.5\" fill=\"\(colour)\""
            out += p.label.map { circle + "><title>\(Chart.escape($0))</title></circle>\n" } ?? circle + "/>\n"
          }
        }
      }
      out += "</g>\n"
    }
    if series.count > 1 {
      for (k, s) in series.enumerated() {
        let y = top + 8 + Double(k) * 18
        let colour = Chart.palette[k % Chart.palette.count]
        out += "<rect x=\"\(f(left + plotW + 12))\" y=\"\(f(y))\" width=\"12\" height=\"12\" fill=\"\(colour)\"/>\n"
        out += "<text x=\"\(f(left + plotW + 30))\" y=\"\(f(y + 10))\">\(Chart.escape(s.name))</text>\n"
      }
    }
    return out + "</svg>\n"
  }

  /// The points of `points` (in their order) that draw the same line at pixel resolution: of each run of
  /// consecutive points in one pixel column (`column(x)`), the first and the last, and those with the lowest and
  /// highest y, low and high (the first of equals). One pass, and at most six points a run.
  static func thinned(_ points: [Point], column: (Double) -> Double) -> [Point] {
    var kept: [Point] = []
    var chosen: [Int] = []
    var start = 0
    while start < points.count {
      let c = column(points[start].x)
      var end = start + 1
      while end < points.count && column(points[end].x) == c { end += 1 }
      var (lowY, highY, lowLow, highHigh) = (start, start, -1, -1)
      for i in start..<end {
        let p = points[i]
        if p.y < points[lowY].y { lowY = i }
        if p.y > points[highY].y { highY = i }
        if let low = p.low, lowLow < 0 || low < points[lowLow].low! { lowLow = i }
        if let high = p.high, highHigh < 0 || high > points[highHigh].high! { highHigh = i }
      }
      chosen.removeAll(keepingCapacity: true)
      chosen += [start, lowY, highY, end - 1]
      if lowLow >= 0 { chosen.append(lowLow) }
      if highHigh >= 0 { chosen.append(highHigh) }
      chosen.sort()
      var last = -1
      for i in chosen where i != last {
        kept.append(points[i])
        last = i
      }
      start = end
    }
    return kept
  }
}
