import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraLanguageModel
@testable import AgoraModels
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

#if canImport(FoundationXML)
  import FoundationXML
#endif

@Suite("Analysis")
struct AnalysisTests {
  @Test("mean, sd and the t-based 95% CI of small samples; Student's t quantiles")
  func statistics() {
    let row = Summary.describe([1, 2, 3, 4])
    #expect(row.n == 4 && row.mean == 2.5)
    #expect(abs(row.sd - 1.2909944487358056) < 1e-12)
    // t(0.975, 3) = 3.182446305284263 (tables); half width = t * sd / sqrt(n).
    #expect(abs(Summary.tQuantile(0.975, degrees: 3) - 3.182446305284263) < 1e-9)
    #expect(abs(Summary.tQuantile(0.975, degrees: 1) - 12.706204736174698) < 1e-7)
    #expect(abs(row.high - (2.5 + 3.182446305284263 * 1.2909944487358056 / 2)) < 1e-9)
    let one = Summary.describe([7])
    #expect(one.n == 1 && one.mean == 7 && one.sd.isNaN && one.low.isNaN)
  }

  @Test("grouping by several columns, in order of first appearance; empty cells are left out; unknown columns named")
  func grouping() throws {
    let table = try CSVTable(
      parsing: Data("a,b,x\n1,p,2\n2,q,4\n1,p,4\n1,q,\n2,q,8\n".utf8), source: "t.csv")
    let rows = try Summary.table(table, by: ["a", "b"], metrics: ["x"])
    #expect(rows.map(\.group) == [["1", "p"], ["2", "q"], ["1", "q"]])
    #expect(rows.map(\.n) == [2, 2, 0])
    #expect(rows[0].mean == 3 && rows[1].mean == 6)
    do {
      _ = try Summary.table(table, by: ["c"], metrics: ["x"])
      Issue.record("accepted an unknown column")
    } catch {
      #expect(error.description.contains("Available: a, b, x"))
    }
  }

  @Test("a two-level factor's effect is the difference of means, with the pooled standard error")
  func regressionTwoLevels() throws {
    let table = try CSVTable(parsing: Data("g,y\nA,1\nA,2\nA,3\nB,5\nB,7\n".utf8), source: "r.csv")
    let fit = try Regression(table, response: "y", factors: ["g"], baseline: ["g": "A"])
    #expect(fit.terms.map(\.name) == ["(intercept)", "g=B"])
    #expect(abs(fit.terms[0].estimate - 2) < 1e-12)
    #expect(abs(fit.terms[1].estimate - 4) < 1e-12)
    // Residuals: -1, 0, 1, -1, 1: SSE 4, s^2 = 4 / 3; SE(diff) = sqrt(s^2 (1/3 + 1/2)).
    #expect(abs(fit.terms[1].standardError - (4.0 / 3 * (1.0 / 3 + 1.0 / 2)).squareRoot()) < 1e-12)
    // R^2 = 1 - 4 / SST, SST = sum (y - 3.6)^2 = 23.2.
    #expect(abs(fit.rSquared - (1 - 4 / 23.2)) < 1e-12)
    #expect(fit.terms[1].n == 2)
  }

  @Test("a balanced two-factor design: main effects are differences of marginal means; an interaction is fitted")
  func regressionTwoFactors() throws {
    var text = "a,b,y\n"
    for (a, b, y) in [("x", "u", 1.0), ("x", "v", 3.0), ("z", "u", 2.0), ("z", "v", 6.0)] {
      for noise in [-0.5, 0.5] { text += "\(a),\(b),\(y + noise)\n" }
    }
    let table = try CSVTable(parsing: Data(text.utf8))
    let additive = try Regression(table, response: "y", factors: ["a", "b"])
    #expect(abs(additive.terms.first { $0.name == "a=z" }!.estimate - 2) < 1e-12)
    #expect(abs(additive.terms.first { $0.name == "b=v" }!.estimate - 3) < 1e-12)
    let full = try Regression(table, response: "y", factors: ["a", "b"], interactions: [("a", "b")])
    #expect(abs(full.terms.first { $0.name == "a=z:b=v" }!.estimate - 2) < 1e-12)
    #expect(abs(full.terms.first { $0.name == "(intercept)" }!.estimate - 1) < 1e-12)
    #expect(throws: OutputError.self) { try Regression(table, response: "y", factors: ["a"], baseline: ["a": "w"]) }
  }

  /// Parses `svg` as XML and returns the `data-name` of every series group.
  func parse(_ svg: String) throws -> [String] {
    final class Names: NSObject, XMLParserDelegate {
      var names: [String] = []
      func parser(
        _ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
      ) {
        if element == "g", let name = attributes["data-name"] { names.append(name) }
      }
    }
    let parser = XMLParser(data: Data(svg.utf8))
    let names = Names()
    parser.delegate = names
    #expect(parser.parse(), "well-formed XML: \(parser.parserError.map { "\($0)" } ?? "")")
    return names.names
  }

  @Test("charts are well-formed SVG with the expected series; ticks are nice numbers")
  func charts() throws {
    #expect(Chart.ticks(0, 0.87) == [0, 0.2, 0.4, 0.6, 0.8, 1.0])
    #expect(Chart.ticks(3, 97) == [0, 20, 40, 60, 80, 100])
    #expect(Chart.label(1_500_000, step: 500_000) == "1.5M")
    let table = try CSVTable(
      parsing: Data("t,s,y\n0.1,10,0.9\n0.1,10,0.95\n0.5,10,0.8\n0.5,10,0.82\n0.1,100,0.7\n0.5,100,0.75\n".utf8))
    let chart = try Plot.chart(table, x: "t", y: ["y"], by: "s")
    #expect(try parse(chart.svg()) == ["s=10", "s=100"])
    #expect(chart.series[0].points[0].low != nil, "repeated x values give confidence intervals")
    let spec = try ScenarioLoader.load(
      file: TestSupport.repositoryRoot.path + "/Scenarios/ultimatum.yaml",
      overrides: ["population.size=400", "game.rounds=5"])
    let html = Report.html(spec, try Experiment.run(spec))
    for section in [
      "Summary", "Over time", "Segments", "Payoffs", "Latent preferences by segment", "Resolved scenario",
    ] {
      #expect(html.contains("<h2>\(section)</h2>"))
    }
    #expect(html.components(separatedBy: "<svg").count - 1 >= 7)
    #expect(!html.contains("<script"), "no scripts")
    #expect(!html.contains("src=\"http") && !html.contains("href=\"http"), "no network resources")
  }

  static let chromium = ["chromium", "chromium-browser", "google-chrome"].first { SlurmJob.available($0) }
  static let chromiumRequired = ProcessInfo.processInfo.environment["AGORA_REQUIRE_CHROMIUM"] == "1"

  @Test(
    "report.html renders in headless Chromium: a screenshot that is not blank, and no console errors",
    .enabled(if: chromium != nil || chromiumRequired, "Chromium is not installed (CI installs it and runs this)"))
  func browser() throws {
    let browser = try #require(Self.chromium, "AGORA_REQUIRE_CHROMIUM is set but no chromium is on the PATH")
    let folder = TestSupport.temporaryDirectory()
    let run = try TestSupport.agora([
      "run", "Scenarios/ultimatum.yaml", "--set", "population.size=1000", "--set", "game.rounds=20", "--out", folder,
      "--quiet",
    ])
    #expect(run.status == 0, "\(run.output)")
    let shot = ProcessInfo.processInfo.environment["AGORA_SCREENSHOT"] ?? folder + "/report.png"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
      browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--enable-logging=stderr",
      "--v=0", "--window-size=1400,3000", "--screenshot=\(shot)",
      URL(fileURLWithPath: folder + "/report.html").absoluteString,
    ]
    let pipe = Pipe()
    process.standardError = pipe
    process.standardOutput = pipe
    try process.run()
    let log = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(log)")
    let consoleErrors = log.split(separator: "\n").filter { $0.contains("CONSOLE") || $0.contains("Uncaught") }
    #expect(consoleErrors.isEmpty, "console: \(consoleErrors)")
    let check = try TestSupport.run(["python3", TestSupport.repositoryRoot.path + "/.ci/check-screenshot.py", shot])
    #expect(check.status == 0, "\(check.output)")
  }
}
