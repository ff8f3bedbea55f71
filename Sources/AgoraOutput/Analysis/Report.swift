import AgoraCore
import AgoraLanguageModel
import Foundation

/// The self-contained HTML report of one run (`report.html`): inline SVG charts and CSS, no scripts, no network.
public enum Report {
  /// The report of `result`, a run of `spec`.
  public static func html(_ spec: ScenarioSpec, _ result: RunResult) -> String {
    var body = "<h1>\(Chart.escape(spec.name))</h1>\n"
    body +=
      "<p class=\"lead\">\(Chart.escape(spec.game.type.rawValue)), \(spec.population.size) agents in "
      + "\(spec.population.segments.count) segments, \(spec.game.rounds) rounds, \(spec.matching.type.rawValue) "
      + "matching, seed \(spec.seed), Agora \(Experiment.version).</p>\n"
    if !spec.description.isEmpty { body += "<p>\(Chart.escape(spec.description))</p>\n" }
    // Pictures first, then the tables: the main metrics, the run over time, payoffs, segments, preferences, and
    // the whole summary row last.
    let story = offerCharts(result) + storyCharts(result)
    if !story.isEmpty { body += section("The story", story) }
    if let map = gridMap(result) { body += section("The grid at the end", map) }
    if let map = networkMap(result) { body += section("The network", map) }
    if let map = civilizationMap(result) { body += section("The galaxy at the end", map) }
    if let curve = survivalCurve(result) { body += section("Survival of the villages", curve) }
    body += section("Main metrics", table(["metric", "value"], mainMetrics(result), id: "main"))
    if let usage = result.languageModelUsage {
      body += section(
        "Language model", table(["item", "value"], usage.table.map { [$0.0, $0.1] }, id: "language-model"))
    }
    if !result.languageModelSamples.isEmpty || !result.languageModelConversations.isEmpty {
      body += section("Language-model decisions", decisions(result))
    }
    body += section("Over time", timeSeries(result).map(\.svg).joined(separator: "\n"))
    body += section("Payoffs", payoffCharts(result).map(\.svg).joined(separator: "\n"))
    body += section("Segments", segmentBars(result).svg() + "<div class=\"wide\">" + segmentTable(result) + "</div>")
    body += section(
      "Latent preferences by segment", preferenceHistograms(result).map { $0.svg() }.joined(separator: "\n"))
    body += section(
      "Summary",
      "<details><summary>every column of summary.csv (\(result.summary.count))</summary>\n"
        + table(
          ["column", "value", "unit"], result.summary.map { [$0.0, text($0.1), unit(result, "summary", $0.0)] },
          id: "summary")
        + "</details>")
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    let resolved = (try? encoder.encode(spec)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    body += section("Resolved scenario", "<pre>\(Chart.escape(resolved))</pre>")
    return """
      <!DOCTYPE html>
      <html lang="en"><head><meta charset="utf-8">
      <title>\(Chart.escape(spec.name)) — Agora report</title>
      <style>
      body { font-family: Helvetica, Arial, sans-serif; margin: 24px auto; max-width: 1320px; color: #222; }
      h1 { margin-bottom: 4px; } .lead { color: #555; margin-top: 0; }
      section { margin: 28px 0; } h2 { border-bottom: 1px solid #ddd; padding-bottom: 4px; }
      table { border-collapse: collapse; font-size: 13px; margin-bottom: 12px; }
      td, th { border: 1px solid #ddd; padding: 3px 8px; text-align: right; } th { background: #f4f4f4; }
      td:first-child, th:first-child { text-align: left; }
      .wide { overflow-x: auto; } svg { margin: 6px 12px 6px 0; vertical-align: top; max-width: 100%; height: auto; }
      summary { cursor: pointer; color: #555; margin-bottom: 8px; }
      pre { background: #f7f7f7; padding: 12px; font-size: 12px; max-height: 480px; overflow: auto; }
      </style></head>
      <body>
      \(body)
      </body></html>

      """
  }

  /// A few decisions of the language-model agents, spread over the run, and a few of its conversations (the
  /// decisions with a message of one round and match or village, in order), with what was said (every text
  /// escaped: a reply is data).
  static func decisions(_ result: RunResult) -> String {
    func rows(_ decisions: [LanguageModelDecision], talk: Bool) -> [[String]] {
      decisions.map { d -> [String] in
        let how = d.fallback ? "decoder (fallback)" : d.cached ? "model (cache)" : "model"
        return [String(d.decision), String(d.agent), d.segment, d.kind, "\(d.choice). \(d.choiceText)"]
          + (talk ? [d.message ?? ""] : []) + [d.reason ?? "", how]
      }
    }
    func header(talk: Bool) -> [String] {
      ["decision", "agent", "segment", "kind", "choice"] + (talk ? ["message"] : []) + ["reason", "answered by"]
    }
    let talk = result.languageModelSamples.contains { $0.message != nil }
    var html =
      "<p>A sample of the run's decisions, spread over it; <code>transcripts.jsonl</code> has every one.</p>\n"
      + table(header(talk: talk), rows(result.languageModelSamples, talk: talk), id: "llm-decisions")
    let conversations = result.languageModelConversations
    if !conversations.isEmpty {
      html +=
        "<p>\(conversations.count == 1 ? "A conversation" : "\(conversations.count) conversations"), spread over the "
        + "run: each the decisions with a message of one round and group (a match, a village), in order.</p>\n"
      for (n, c) in conversations.enumerated() {
        html +=
          "<p><b>Round \(c[0].round)\(c[0].group >= 0 ? ", group \(c[0].group)" : "")</b> (\(c.count) "
          + "\(c.count == 1 ? "message" : "messages"))</p>\n"
          + table(header(talk: true), rows(c, talk: true), id: "llm-conversation-\(n + 1)")
      }
    }
    return html
  }

  /// The model's story charts (``StoryChart``): its chosen step columns over the steps, full width, with captions.
  static func storyCharts(_ result: RunResult) -> String {
    guard let step = result.stepColumns.firstIndex(of: "step"), !result.stepRows.isEmpty else { return "" }
    var html = ""
    for story in result.story {
      let names = story.columns.flatMap { name -> [String] in
        guard name.hasSuffix("*") else { return result.stepColumns.contains(name) ? [name] : [] }
        return result.stepColumns.filter { $0.hasPrefix(name.dropLast()) }
      }
      let series = names.compactMap { name -> Chart.Series? in
        guard let c = result.stepColumns.firstIndex(of: name) else { return nil }
        let points = result.stepRows.compactMap { row -> Chart.Point? in
          guard let x = number(row[step]), let y = number(row[c]), y.isFinite else { return nil }
          return Chart.Point(x: x, y: y, label: "\(name) at step \(Int(x)): \(text(row[c]))")
        }
        return points.isEmpty ? nil : Chart.Series(name: name, points: points)
      }
      guard !series.isEmpty else { continue }
      let units = Set(series.map { unit(result, "steps", $0.name) })
      let yLabel =
        series.count == 1
        ? labelled(result, "steps", series[0].name)
        : (units.count == 1 && !units.first!.isEmpty ? units.first! : "value")
      var chart = Chart(title: story.title, xLabel: "step", yLabel: yLabel, series: series)
      chart.width = 1280
      chart.height = 380
      chart.includeZero = true
      html += "<p>\(Chart.escape(story.caption))</p>\n" + chart.svg() + "\n"
    }
    return html
  }

  /// A picture of a spatial model's grid at the end, from its `cells` table (`x`, `y`, `segment`): one square per
  /// agent, coloured by segment, with a legend; `nil` for a model without one.
  static func gridMap(_ result: RunResult) -> String? {
    guard let cells = result.tables.first(where: { $0.name == "cells" }),
      let xc = cells.columns.firstIndex(of: "x"), let yc = cells.columns.firstIndex(of: "y"),
      let sc = cells.columns.firstIndex(of: "segment"), !cells.rows.isEmpty
    else { return nil }
    let points = cells.rows.compactMap { row -> (Int, Int, String)? in
      guard case .int(let x) = row[xc], case .int(let y) = row[yc] else { return nil }
      return (x, y, row[sc].text)
    }
    let width = (points.map(\.0).max() ?? 0) + 1
    let height = (points.map(\.1).max() ?? 0) + 1
    let size = max(2.0, min(14.0, 900.0 / Double(max(width, height))))
    let names = result.population.segments.map(\.name)
    let colours = segmentColours(result)
    let w = Double(width) * size
    let h = Double(height) * size
    var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w) + 180)\" height=\"\(Int(h))\" "
    svg += "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
    svg += "<rect width=\"\(Int(w))\" height=\"\(Int(h))\" fill=\"#f4f4f4\" stroke=\"#999\"/>\n"
    for (x, y, name) in points {
      let colour = colours[names.firstIndex(of: name) ?? 0]
      svg += String(
        format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%@\"/>\n", Double(x) * size,
        Double(y) * size, size, size, colour)
    }
    for (k, name) in names.enumerated() {
      let colour = colours[k]
      svg += "<rect x=\"\(Int(w) + 12)\" y=\"\(8 + 18 * k)\" width=\"12\" height=\"12\" fill=\"\(colour)\"/>\n"
      svg += "<text x=\"\(Int(w) + 30)\" y=\"\(18 + 18 * k)\">\(Chart.escape(name))</text>\n"
    }
    return "<p>Every agent's cell after the last step, coloured by segment (empty cells grey).</p>\n" + svg
      + "</svg>\n"
  }

  /// Each segment's colour in the maps: a segment named after a colour is drawn in it (a `red` segment red); the
  /// others take the palette's.
  static func segmentColours(_ result: RunResult) -> [String] {
    let named = [
      "red": "#CC3311", "blue": "#0072B2", "green": "#009E73", "orange": "#E69F00", "purple": "#7B3294",
      "black": "#000000", "yellow": "#F0E442", "grey": "#777777", "gray": "#777777", "pink": "#CC79A7",
    ]
    return result.population.segments.enumerated().map { k, segment in
      named[segment.name.lowercased()] ?? Chart.palette[k % Chart.palette.count]
    }
  }

  /// The model's headline metrics and efficiency, with their units.
  static func mainMetrics(_ result: RunResult) -> [[String]] {
    var names: [String] = []
    for name in result.headline + ["efficiency", "mean_payoff", "gini"] where !names.contains(name) {
      if result[name] != nil { names.append(name) }
    }
    return names.map { [labelled(result, "summary", $0), result[$0].map(text) ?? ""] }
  }

  /// The unit of column `name` of `table`, from the run's declarations (empty when it has none).
  static func unit(_ result: RunResult, _ table: String, _ name: String) -> String {
    result.schema[table]?.first { $0.name == name }?.unit ?? ""
  }

  /// `name (unit)`, or the name alone for a column without a unit.
  static func labelled(_ result: RunResult, _ table: String, _ name: String) -> String {
    let unit = unit(result, table, name)
    return unit.isEmpty ? name : "\(name) (\(unit))"
  }

  /// The segments table turned on its side (a row per column, a column per segment), so it fits the page.
  static func segmentTable(_ result: RunResult) -> String {
    guard let nameColumn = result.segmentColumns.firstIndex(of: "segment") else { return "" }
    let segments = result.segmentRows.map { $0[nameColumn].text }
    let skipped: Set<String> = ["run_index", "seed", "segment"]
    let rows = result.segmentColumns.enumerated().filter { !skipped.contains($0.element) }.map { c, name in
      [labelled(result, "segments", name)] + result.segmentRows.map { text($0[c]) }
    }
    return table(["column"] + segments, rows, id: "segments")
  }

  static func section(_ title: String, _ content: String) -> String {
    "<section><h2>\(Chart.escape(title))</h2>\n\(content)\n</section>\n"
  }

  static func text(_ field: Cell) -> String {
    switch field {
    case .double(let v): return v.isNaN ? "" : String(format: "%.6g", v)
    default: return field.text
    }
  }

  static func table(_ header: [String], _ rows: [[String]], id: String) -> String {
    var html = "<table id=\"\(id)\"><tr>" + header.map { "<th>\(Chart.escape($0))</th>" }.joined() + "</tr>\n"
    for row in rows { html += "<tr>" + row.map { "<td>\(Chart.escape($0))</td>" }.joined() + "</tr>\n" }
    return html + "</table>\n"
  }

  static func number(_ field: Cell) -> Double? {
    switch field {
    case .double(let v): return v
    case .int(let v): return Double(v)
    case .string(let s): return Double(s)
    }
  }

  /// The headline rates and efficiency over the steps, and the Gini of accumulated payoffs.
  static func timeSeries(_ result: RunResult) -> [(svg: String, name: String)] {
    guard let step = result.stepColumns.firstIndex(of: "step"), !result.stepRows.isEmpty else { return [] }
    func series(_ name: String) -> Chart.Series? {
      guard let c = result.stepColumns.firstIndex(of: name) else { return nil }
      let points = result.stepRows.compactMap { row -> Chart.Point? in
        guard let x = number(row[step]), let y = number(row[c]), y.isFinite else { return nil }
        return Chart.Point(x: x, y: y)
      }
      return points.isEmpty ? nil : Chart.Series(name: name, points: points)
    }
    var charts: [(String, String)] = []
    var rates: [Chart.Series] = []
    for s in (result.headline + ["efficiency"]).compactMap(series)
    where !rates.contains(where: { r in r.points.map(\.y) == s.points.map(\.y) }) {
      rates.append(s)
    }
    let wide = { (chart: inout Chart) in
      chart.width = 1280
      chart.height = 380
    }
    if rates.count == 1, let only = rates.first {
      var chart = Chart(
        title: "\(only.name) by step", xLabel: "step", yLabel: labelled(result, "steps", only.name), series: rates)
      wide(&chart)
      charts.append((chart.svg(), only.name))
    } else if !rates.isEmpty {
      let units = Set(rates.map { unit(result, "steps", $0.name) })
      let yLabel = units.count == 1 && !(units.first ?? "").isEmpty ? units.first! : "value"
      var chart = Chart(title: "Main metrics by step", xLabel: "step", yLabel: yLabel, series: rates)
      wide(&chart)
      charts.append((chart.svg(), "rates"))
    }
    let others = ["mean_payoff", "gini"].compactMap(series)
    for s in others {
      var chart = Chart(
        title: "\(s.name) by step", xLabel: "step", yLabel: labelled(result, "steps", s.name), series: [s])
      chart.includeZero = true
      wide(&chart)
      charts.append((chart.svg(), s.name))
    }
    return charts
  }

  static func segmentBars(_ result: RunResult) -> Chart {
    let names = result.population.segments.map(\.name)
    let column = result.segmentColumns.firstIndex(of: "mean_payoff")
    let points = result.segmentRows.enumerated().map { i, row in
      Chart.Point(x: Double(i), y: column.flatMap { number(row[$0]) } ?? .nan)
    }
    var chart = Chart(
      title: "Mean payoff by segment", xLabel: "segment", yLabel: "mean payoff",
      series: [Chart.Series(name: "mean payoff", points: points, style: .bars(width: 0.6))])
    chart.categories = names
    return chart
  }

  /// The payoff histogram and the Lorenz curve with the Gini coefficient.
  static func payoffCharts(_ result: RunResult) -> [(svg: String, name: String)] {
    let payoffs = result.payoffs
    guard !payoffs.isEmpty else { return [] }
    var charts: [(String, String)] = [
      (histogram("Payoff distribution", "payoff (the model's money)", [("all agents", payoffs)]).svg(), "hist")
    ]
    guard payoffs.allSatisfy({ $0 >= 0 && $0.isFinite }), let gini = try? Inequality.gini(payoffs) else {
      return charts
    }
    let sorted = AmountSorter.sorted(payoffs)
    let total = sorted.reduce(0, +)
    var lorenz = [Chart.Point(x: 0, y: 0)]
    let stride = max(1, sorted.count / 200)
    var running = 0.0
    for (i, v) in sorted.enumerated() {
      running += v
      if (i + 1) % stride == 0 || i == sorted.count - 1 {
        lorenz.append(Chart.Point(x: Double(i + 1) / Double(sorted.count), y: total > 0 ? running / total : 0))
      }
    }
    let chart = Chart(
      title: String(format: "Lorenz curve (Gini %.4f)", gini), xLabel: "share of agents (poorest first)",
      yLabel: "share of payoff",
      series: [
        Chart.Series(name: "Lorenz curve", points: lorenz),
        Chart.Series(name: "equality", points: [Chart.Point(x: 0, y: 0), Chart.Point(x: 1, y: 1)], style: .dashed),
      ])
    charts.append((chart.svg(), "lorenz"))
    return charts
  }

  /// A histogram with one series of bars per group, over 20 common bins.
  static func histogram(_ title: String, _ label: String, _ groups: [(String, [Double])], bins: Int = 20) -> Chart {
    let all = groups.flatMap(\.1).filter(\.isFinite)
    let lo = all.min() ?? 0
    var hi = all.max() ?? 1
    if hi <= lo { hi = lo + 1 }
    let width = (hi - lo) / Double(bins)
    let series = groups.map { name, values -> Chart.Series in
      var counts = [Int](repeating: 0, count: bins)
      for v in values where v.isFinite {
        // In Double first: near the ends of the doubles the bin position may be infinite or not a number.
        let position = (v - lo) / width
        counts[position.isFinite ? Int(min(Double(bins - 1), max(0, position))) : 0] += 1
      }
      let total = Double(max(1, values.count))
      return Chart.Series(
        name: name,
        points: counts.enumerated().map { Chart.Point(x: lo + (Double($0) + 0.5) * width, y: Double($1) / total) },
        style: .bars(width: width))
    }
    return Chart(title: title, xLabel: label, yLabel: "share of agents", series: series)
  }

  /// One histogram per latent preference that varies, with a series per segment.
  static func preferenceHistograms(_ result: RunResult) -> [Chart] {
    let population = result.population
    var charts: [Chart] = []
    for d in Preference.allCases {
      let column = population[d]
      guard let first = column.first, column.contains(where: { $0 != first }) else { continue }
      // A segment whose agents all share one value would be a spike that flattens the others: it is named in the
      // title instead.
      var groups: [(String, [Double])] = []
      var constant: [String] = []
      for (s, segment) in population.segments.enumerated() {
        let values = Array(column[population.ranges[s]])
        if let v = values.first, values.allSatisfy({ $0 == v }) {
          constant.append("\(segment.name) = \(v.valueText)")
        } else {
          groups.append((segment.name, values))
        }
      }
      guard !groups.isEmpty else { continue }
      let title = constant.isEmpty ? d.name : "\(d.name) (constant: \(constant.joined(separator: ", ")))"
      var chart = histogram(title, d.name, groups)
      chart.width = 420
      chart.height = 300
      charts.append(chart)
    }
    return charts
  }
}
