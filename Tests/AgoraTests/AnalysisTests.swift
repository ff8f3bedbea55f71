import Crypto
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

  /// GLEE's table form: z intervals (estimate +- 1.96 se), each factor's baseline as a row of effect 0 with its count,
  /// several metrics from one command with the family from the run's `game` column, and each metric's empty rows
  /// left out of its own fit only (GLEE drops a game from a metric that is undefined for it).
  @Test("GLEE's table form: several metrics, z intervals, baseline rows, the family")
  func regressionGLEEForm() throws {
    let table = try CSVTable(parsing: Data("g,y\nA,1\nA,2\nA,3\nB,5\nB,7\n".utf8), source: "r.csv")
    let z = try Regression(table, response: "y", factors: ["g"], baseline: ["g": "A"], interval: .z)
    let t = try Regression(table, response: "y", factors: ["g"], baseline: ["g": "A"])
    let effect = z.terms[1]
    #expect(abs(effect.high - effect.estimate - 1.959963984540054 * effect.standardError) < 1e-9)
    #expect(t.terms[1].high - t.terms[1].estimate > 1.5 * (effect.high - effect.estimate))
    #expect(z.table.map(\.parameter) == ["(intercept)", "g", "g"])
    #expect(z.table.map(\.value) == ["", "A", "B"])
    #expect(z.table[1].estimate == 0 && z.table[1].low == 0 && z.table[1].high == 0 && z.table[1].n == 3)

    let folder = TestSupport.temporaryDirectory()
    let file = folder + "/summary.csv"
    try Data(
      "game,g,y,w\nbargaining,A,1,1\nbargaining,A,2,\nbargaining,A,3,2\nbargaining,B,5,4\nbargaining,B,7,\n".utf8
    )
    .write(to: URL(fileURLWithPath: file))
    let out = try TestSupport.agora([
      "analyze", file, "--regress", "y,w", "--factors", "g", "--interval", "z", "--format", "csv",
    ])
    #expect(out.status == 0, "\(out.output)")
    let rows = try CSVTable(parsing: Data(out.output.utf8))
    #expect(rows.columns == ["family", "metric", "parameter", "value", "effect", "ci_low", "ci_high", "se", "n"])
    #expect(rows.rows.map { $0[0] } == Array(repeating: "bargaining", count: 6))
    #expect(
      rows.rows.map { "\($0[1]) \($0[2]) \($0[3]) \($0[8])" } == [
        "y (intercept)  5", "y g A 3", "y g B 2", "w (intercept)  3", "w g A 2", "w g B 1",
      ])
    #expect(Double(rows.rows[2][4]).map { abs($0 - 4) < 1e-12 } == true)
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
    // Pictures before tables: the first chart comes before the segments and summary tables; the whole summary row
    // is folded away at the end; axes and metrics carry their declared units; a multi-series chart has a legend.
    let firstChart = try #require(html.range(of: "<svg")).lowerBound
    #expect(firstChart < (try #require(html.range(of: "<table id=\"segments\"")).lowerBound))
    #expect(firstChart < (try #require(html.range(of: "<table id=\"summary\"")).lowerBound))
    #expect(html.contains("<h2>Main metrics</h2>") && html.contains("<details><summary>every column of summary.csv"))
    #expect(html.contains("mean_offer (share)"))
    // The model's story comes first: the ultimatum's declared chart of offers and acceptance, before the tables.
    let story = try #require(html.range(of: "<h2>The story</h2>")).lowerBound
    #expect(story < (try #require(html.range(of: "<h2>Main metrics</h2>")).lowerBound))
    #expect(html.contains("Offers and acceptance, round by round"))
    #expect(html.contains(">mean_offer</text>") && html.contains(">acceptance_rate</text>"), "legend entries")
    #expect(!html.contains("<script"), "no scripts")
    #expect(!html.contains("src=\"http") && !html.contains("href=\"http"), "no network resources")
  }

  /// Small CSVs and the `agora plot` arguments for them: a time series of two columns, repeated x values by group
  /// (points with bars), repeated x values (a band), a categorical x, and a series of 1,500 rows (not thinned).
  static let plotFixtures: [(name: String, csv: String, x: String, y: [String], by: String?)] = [
    (
      "series", "step,a,b\n" + (1...30).map { "\($0),\($0 * 37 % 101),\($0 * $0 % 17 - 8)\n" }.joined(), "step",
      ["a", "b"], nil
    ),
    ("groups", "t,s,y\n0.1,10,0.9\n0.1,10,0.95\n0.5,10,0.8\n0.5,10,0.82\n0.1,100,0.7\n0.5,100,0.75\n", "t", ["y"], "s"),
    ("bands", "x,y\n" + (0..<120).map { "\($0 % 40),\($0 * 7919 % 1000)\n" }.joined(), "x", ["y"], nil),
    ("categories", "name,y\n" + (0..<15).map { "c\($0),\($0 * $0 % 23)\n" }.joined(), "name", ["y"], nil),
    ("long", "t,y\n" + (0..<1500).map { "\($0),\($0 * 7919 % 1009)\n" }.joined(), "t", ["y"], nil),
  ]

  @Test("plots of small series are byte for byte those of before the linear-time plot (SHA-256 of each SVG)")
  func smallPlotsUnchanged() throws {
    // The digests of the SVGs that `agora plot FIXTURE.csv --x X --y Y [--by B]` wrote before Plot and CSVTable were
    // made linear and long lines thinned.
    let expected = [
      "series": "7f75c397a60180a88c974d69667da745c54d8d1618c493c9600a624f29da7cbb",
      "groups": "b92ffcd2ff65fdefa972145b13dc938b54d544d01105264c39b959f5eb0c2cad",
      "bands": "e84c69e3893642b3a9e0cace944533d8b19e075528be0879c3a8e788c2fa7bbf",
      "categories": "e22522a3b87043873b832e9de35642ff041a1441ba3eaac66df01654e9372228",
      "long": "89f85ef62e89378b42af83a2fe8483821f277fa5a851bafc23ee3022f2267bdc",
    ]
    for fixture in Self.plotFixtures {
      let table = try CSVTable(parsing: Data(fixture.csv.utf8), source: fixture.name + ".csv")
      let svg = try Plot.chart(table, x: fixture.x, y: fixture.y, by: fixture.by).svg()
      let digest = SHA256.hash(data: Data(svg.utf8)).map { String(format: "%02x", $0) }.joined()
      #expect(digest == expected[fixture.name], "\(fixture.name): \(svg.count) bytes")
    }
  }

  /// The vertices of every `<polyline>` of `svg`, as (x, y) pixels.
  func polylines(_ svg: String) -> [[(x: Double, y: Double)]] {
    svg.components(separatedBy: "<polyline points=\"").dropFirst().map { rest in
      rest.prefix { $0 != "\"" }.split(separator: " ").map { pair in
        let xy = pair.split(separator: ",").map { Double($0)! }
        return (xy[0], xy[1])
      }
    }
  }

  @Test("a 2x10^5-row series plots in linear work: at most six vertices per pixel column, each column's extremes kept")
  func longSeries() throws {
    let n = 200_000
    var text = "step,y,z\n"
    for i in 0..<n { text += "\(i + 1),\(Double((i * 7919) % 10007) / 10007),\(i % 3 == 0 ? "" : "\(i % 500)")\n" }
    let table = try CSVTable(parsing: Data(text.utf8))
    #expect(table.rows.count == n)
    let chart = try Plot.chart(table, x: "step", y: ["y", "z"])
    #expect(chart.series.map(\.points.count) == [n, n - (n + 2) / 3], "every row is a point of the chart")
    let svg = chart.svg()
    let lines = polylines(svg)
    #expect(lines.count == 2)
    // Two series: the legend takes 150 px, leaving 640 - 64 - 166 = 410 px of plot.
    let columns = 410
    for line in lines {
      #expect(line.count <= 6 * columns && line.count >= columns, "\(line.count) vertices")
      #expect(zip(line, line.dropFirst()).allSatisfy { $0.x <= $1.x }, "in x order")
    }
    #expect(svg.utf8.count < 200_000, "the file does not grow with the rows: \(svg.utf8.count) bytes")
    // Thinning keeps, in every pixel column, the first, last, lowest and highest point.
    let points = chart.series[0].points
    let thinned = Chart.thinned(points) { ($0 / 2_000).rounded(.down) }
    func extremes(_ ps: [Chart.Point]) -> [Double: [Double]] {
      Dictionary(grouping: ps) { ($0.x / 2_000).rounded(.down) }.mapValues {
        [$0.first!.y, $0.last!.y, $0.map(\.y).min()!, $0.map(\.y).max()!]
      }
    }
    #expect(extremes(thinned) == extremes(points))
    #expect(thinned.count <= 4 * 101 && zip(thinned, thinned.dropFirst()).allSatisfy { $0.x < $1.x })
    // A chart that does not ask for it (a report's) draws every point.
    let many = (0..<5_000).map { Chart.Point(x: Double($0), y: Double($0 % 7)) }
    var full = Chart(title: "t", xLabel: "x", yLabel: "y", series: [Chart.Series(name: "s", points: many)])
    #expect(polylines(full.svg()).map(\.count) == [5_000])
    full.thinsLines = true
    #expect(polylines(full.svg()).map(\.count).allSatisfy { $0 < 5_000 })
  }

  @Test("numbers in cells: the fast path for plain cells reads what trimming whitespace first reads")
  func cellNumbers() {
    for cell in [
      "1", " 1", "1 ", "\t2\t", "-0.5", "1e3", "1e999", "-1e999", "inf", "nan", "", " ", "x", "1x", "\u{A0}3",
      "3\u{2003}", "\r4", "5\n", "0x10", "+7", ".5", "5.",
    ] {
      let trimmed = Double(cell.trimmingCharacters(in: .whitespaces)).flatMap { $0.isFinite ? $0 : nil }
      #expect(CSVTable.finiteNumber(cell) == trimmed, "\(cell.debugDescription)")
    }
  }

  @Test("a table keeping some columns holds their cells, lines and errors as the whole table does")
  func keptColumns() throws {
    let text = "\u{FEFF}a,b,c,d\r\n1,\"x,y\",3,4\n\n5,\"multi\nline\",7,\"\"\"q\"\"\"\n,,,\n9,10,11,12"
    let whole = try CSVTable(parsing: Data(text.utf8), source: "k.csv")
    #expect(whole.columns == ["a", "b", "c", "d"])
    #expect(
      whole.rows == [
        ["1", "x,y", "3", "4"], ["5", "multi\nline", "7", "\"q\""], ["", "", "", ""], ["9", "10", "11", "12"],
      ])
    #expect((0..<4).map(whole.line(ofRow:)) == [2, 4, 6, 7])
    let kept = try CSVTable(parsing: Data(text.utf8), source: "k.csv", keeping: ["d", "b"])
    #expect(kept.columns == ["b", "d"])
    #expect(kept.rows == whole.rows.map { [$0[1], $0[3]] })
    #expect((0..<4).map(kept.line(ofRow:)) == [2, 4, 6, 7])
    // A name the file lacks keeps every column, so that looking it up lists them.
    let missing = try CSVTable(parsing: Data(text.utf8), source: "k.csv", keeping: ["b", "e"])
    #expect(missing.columns == whole.columns && missing.rows == whole.rows)
    for bad in ["a,b\n1,2\n3\n4,5,6\n", "a,b\n1,\"2\n", "", "\n\n"] {
      func message(_ keeping: [String]?) -> String {
        do {
          _ = try CSVTable(parsing: Data(bad.utf8), source: "bad.csv", keeping: keeping)
          return "parsed"
        } catch { return error.description }
      }
      #expect(message(nil) != "parsed", "\(bad.debugDescription)")
      #expect(message(["b"]) == message(nil), "\(bad.debugDescription)")
    }
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
    try TestSupport.screenshot(folder + "/report.html", browser: browser, to: shot)
  }
}
