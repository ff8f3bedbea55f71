import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

@Suite("Sweep report")
struct SweepReportTests {
  /// A 2 x 2 grid (two temperatures, two stakes) of the tiny scenario, 2 repetitions each.
  func plan(metrics: [String]? = nil) throws -> SweepPlan {
    var spec = SweepSpec(scenario: "tiny.yaml")
    spec.parameters = [
      SweepParameter(key: "population.segments.0.decoding.temperature", domain: .values(["0.1", "1.0"])),
      SweepParameter(key: "game.stake", domain: .values(["10", "100"])),
    ]
    spec.repetitions = 2
    spec.metrics = metrics
    return try SweepPlan(spec, template: ScenarioTemplate(yaml: SweepTests.scenario, source: "tiny.yaml"))
  }

  /// The report's text.
  func report(in directory: String) -> String {
    String(decoding: TestSupport.bytes(directory + "/report.html"), as: UTF8.self)
  }

  /// Each metric's runs at each design point, read back from summary.csv.
  func valuesByPoint(_ directory: String, metric: String) throws -> [Int: [Double]] {
    let table = try CSVTable(contentsOf: directory + "/summary.csv")
    let point = try table.columnIndex("point")
    let column = try table.columnIndex(metric)
    var values: [Int: [Double]] = [:]
    for row in table.rows {
      if let v = CSVTable.finiteNumber(row[column]) { values[Int(row[point])!, default: []].append(v) }
    }
    return values
  }

  @Test("a grid sweep writes report.html: a chart per parameter, a row per design point, the means of summary.csv")
  func gridReport() throws {
    let plan = try plan()
    let directory = TestSupport.temporaryDirectory()
    let outcome = try SweepRunner(plan: plan, directory: directory, jobs: 2).run()
    #expect(outcome.merged.contains("report.html"))
    let html = report(in: directory)
    #expect(html.hasPrefix("<!DOCTYPE html>") && html.hasSuffix("</html>\n"))
    #expect(!html.contains("<script") && !html.contains("src=\"http") && !html.contains("href=\"http"))
    #expect(html.contains("<h1>tiny-sweep</h1>") && html.contains("grid design"))
    #expect(html.contains("<td>population.segments.0.decoding.temperature</td><td>0.1, 1.0</td>"))

    // The default metrics: the model's own, then efficiency and gini.
    let metrics = Set(html.matches(of: /<figure data-parameter="[^"]*" data-metric="([^"]*)"/).map { String($0.1) })
    #expect(metrics.isSuperset(of: ["mean_offer", "acceptance_rate", "efficiency", "gini"]), "\(metrics)")

    // A chart per parameter and metric, the parameter's name on its x axis, one series per value of the other.
    for (name, other) in [("temperature", "stake"), ("stake", "temperature")] {
      let figures = html.matches(of: /<figure data-parameter="([^"]*)" data-metric="[^"]*">\n(<svg[\s\S]*?<\/svg>)/)
        .filter { $0.1 == name }
      #expect(figures.count == metrics.count, "\(name)")
      for figure in figures {
        let svg = String(figure.2)
        #expect(svg.contains("text-anchor=\"middle\">\(name)</text>"), "\(name): no axis label")
        #expect(svg.contains(": mean, 95% CI</text>"))
        #expect(svg.contains(">\(other)=") && svg.matches(of: /<g class="series"/).count == 2, "a legend per series")
        #expect(svg.matches(of: /<title>/).count == 4, "a tooltip per point")
      }
    }

    // The points table: one row per design point; its means are those of summary.csv, exactly in the tooltips.
    let rows = html.matches(of: /<tr data-point="(\d+)">(.*)<\/tr>/)
    #expect(rows.map { Int($0.1)! } == Array(plan.points.indices))
    var checked = 0
    for metric in metrics {
      let byPoint = try valuesByPoint(directory, metric: metric)
      for row in rows {
        let point = Int(row.1)!
        let pattern = "data-metric=\"\(metric)\" data-n=\"(\\d+)\" title=\"([^\"]*)\">([^<]*)</td>"
        let match = try #require(try Regex(pattern).firstMatch(in: String(row.2)))
        let n = Int(match.output[1].substring!)!
        let exact = Double(match.output[2].substring!)!
        let shown = Double(match.output[3].substring!)!
        let values = byPoint[point] ?? []
        #expect(n == values.count && n == 2)
        let mean = values.reduce(0, +) / Double(values.count)
        #expect(exact == mean, "\(metric) at point \(point)")
        #expect(abs(shown - mean) <= 1e-5 * max(1, abs(mean)), "\(metric) at point \(point)")
        checked += 1
      }
    }
    #expect(checked == metrics.count * plan.points.count)
    #expect(html.contains("<p id=\"missing-runs\">None: all 8 runs finished and are merged.</p>"))
  }

  @Test("the plan's metrics are charted; a merge with missing runs lists them and links runs re-run alone")
  func missingAndLinks() throws {
    let plan = try plan(metrics: ["gini", "mean_offer"])
    let directory = TestSupport.temporaryDirectory()
    let half = try SweepRunner(plan: plan, directory: directory, jobs: 2, shard: SweepShard(index: 0, count: 2)).run()
    #expect(half.merged.isEmpty)
    try FileManager.default.createDirectory(atPath: directory + "/runs/run-2", withIntermediateDirectories: true)
    try Data("<html></html>".utf8).write(to: URL(fileURLWithPath: directory + "/runs/run-2/report.html"))
    try FileManager.default.createDirectory(atPath: directory + "/runs/run-4", withIntermediateDirectories: true)
    let merged = try SweepRunner.merge(directory: directory, allowMissing: true)
    #expect(merged.files.contains("report.html") && merged.finished == 4)
    let html = report(in: directory)
    #expect(html.contains("<p id=\"missing-runs\">1, 3, 5, 7</p>"))
    #expect(html.contains("<a href=\"runs/run-2/report.html\">run 2</a> (point 1, repetition 0)"))
    #expect(html.contains("<a href=\"runs/run-4/\">run 4</a>"))
    let metrics = html.matches(of: /data-metric="([^"]*)">\n<svg/).map { String($0.1) }
    #expect(metrics == ["gini", "mean_offer", "gini", "mean_offer"])
    #expect(html.contains("<tr data-point=\"2\"><td>2</td><td>1.0</td><td>10</td><td>1</td>"), "one run of two")

    // Without a report, the merge removes the earlier one; a forced restart removes it too.
    _ = try SweepRunner.merge(directory: directory, allowMissing: true, report: false)
    #expect(!FileManager.default.fileExists(atPath: directory + "/report.html"))
    #expect(SweepFolderLock.merged(plan).contains("report.html"))
  }

  @Test("a Latin hypercube of many points bins its range, on the log scale for a log range")
  func binnedRange() throws {
    var spec = SweepSpec(scenario: "tiny.yaml")
    spec.design = .lhs
    spec.samples = 70
    spec.parameters = [
      SweepParameter(
        key: "population.segments.0.decoding.temperature",
        domain: .range(min: 0.01, max: 1, scale: .log, integer: false))
    ]
    spec.metrics = ["mean_offer"]
    let plan = try SweepPlan(spec, template: ScenarioTemplate(yaml: SweepTests.scenario, source: "tiny.yaml"))
    let directory = TestSupport.temporaryDirectory()
    let report = try SweepReport(
      directory: directory, plan: plan, columns: [], base: plan.baseModel(), missing: [])
    let axis = report.axis(0)
    #expect(axis.binned && axis.logScale && axis.x.count == SweepReport.binCount && axis.distinct == 70)
    #expect(axis.positionOf.allSatisfy { (0..<SweepReport.binCount).contains($0) })
    #expect(axis.x.first! > -2 && axis.x.last! < 0)
  }

  @Test("agora sweep --no-report writes no report; agora merge writes it")
  func commandLine() throws {
    let folder = TestSupport.temporaryDirectory() + "/sweep"
    let sweep = try TestSupport.agora([
      "sweep", "Scenarios/ultimatum.yaml", "--grid", "game.stake=10,100", "--seeds", "2", "--set",
      "population.size=60", "--set", "game.rounds=2", "--out", folder, "--no-report", "--quiet",
    ])
    #expect(sweep.status == 0, "\(sweep.output)")
    #expect(!FileManager.default.fileExists(atPath: folder + "/report.html"))
    let merge = try TestSupport.agora(["merge", folder])
    #expect(merge.status == 0 && merge.output.contains("report.html"), "\(merge.output)")
    #expect(TestSupport.bytes(folder + "/report.html").count > 1000)
  }

  @Test(
    "a sweep's report.html renders in headless Chromium: a screenshot that is not blank, and no console errors",
    .enabled(
      if: AnalysisTests.chromium != nil || AnalysisTests.chromiumRequired,
      "Chromium is not installed (CI installs it and runs this)"))
  func browser() throws {
    let browser = try #require(AnalysisTests.chromium, "AGORA_REQUIRE_CHROMIUM is set but no chromium is on the PATH")
    let folder = TestSupport.temporaryDirectory()
    _ = try SweepRunner(plan: try plan(), directory: folder, jobs: 2).run()
    let shot = ProcessInfo.processInfo.environment["AGORA_SWEEP_SCREENSHOT"] ?? folder + "/report.png"
    try TestSupport.screenshot(folder + "/report.html", browser: browser, to: shot)
  }
}
