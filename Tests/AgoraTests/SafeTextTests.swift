import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraLanguageModel
@testable import AgoraModels
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

/// Text from user files leaves Agora safely (no spreadsheet formulas in CSVs, no escape codes on the terminal),
/// CSV input is read strictly (a byte order mark skipped, `inf` and `nan` refused), and errors say what is wrong.
@Suite("Safe text")
struct SafeTextTests {
  /// A small ultimatum scenario whose segment names are a formula, a sum, a reference and a plain name.
  static let formulaScenario = """
    name: formulas
    game: {type: ultimatum, rounds: 2}
    population:
      size: 12
      segments:
        - {name: '=HYPERLINK("x")', share: 0.25}
        - {name: '-1+2', share: 0.25}
        - {name: '@sum', share: 0.25}
        - {name: plain, share: 0.25}
    """

  /// Writes `text` to a new file named `name` and returns its path.
  func file(_ name: String, _ text: String) throws -> String {
    let path = TestSupport.temporaryDirectory() + "/" + name
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
  }

  /// The cells of `column` in the CSV file at `path`.
  func cells(_ path: String, _ column: String) throws -> [String] {
    let table = try CSVTable(contentsOf: path)
    let index = try table.columnIndex(column)
    return table.rows.map { $0[index] }
  }

  @Test("segment names that a spreadsheet would run as formulas get a leading quote in agents.csv and segments.csv")
  func formulaNames() throws {
    let folder = TestSupport.temporaryDirectory()
    let spec = try ScenarioLoader.load(yaml: Self.formulaScenario)
    _ = try RunFolder.execute(spec, into: folder, report: false)
    let guarded = ["'=HYPERLINK(\"x\")", "'-1+2", "'@sum", "plain"]
    #expect(try cells(folder + "/segments.csv", "segment") == guarded)
    #expect(try Set(cells(folder + "/agents.csv", "segment")) == Set(guarded))
    let segments = String(decoding: TestSupport.bytes(folder + "/segments.csv"), as: UTF8.self)
    #expect(segments.contains("\n0,1,\"'=HYPERLINK(\"\"x\"\")\",3,"), "\(segments)")
    #expect(segments.contains("\n0,1,'-1+2,3,"), "\(segments)")
    for line in segments.split(separator: "\n") {
      let cells = line.split(separator: ",", omittingEmptySubsequences: false)
      #expect(!cells.contains { $0.hasPrefix("=") || $0.hasPrefix("\"=") || $0.hasPrefix("@") }, "\(line)")
    }
  }

  @Test("numbers written as text stay as they are; other text starting with = + - @ tab or CR is guarded")
  func numbersStay() {
    let numbers = ["-0.5", "+1e5", "-3", "-inf", "+inf", "-1e-05", "1e+16", "-.5", "-5."]
    #expect(CSVWriter.text([numbers.map(Cell.string)]) == numbers.joined(separator: ",") + "\n")
    let texts: [Cell] = ["-", "-x", "+", "-1e", "--1", "@", "=1", "\tA", "\rB", "-1,5"]
    #expect(CSVWriter.text([texts]) == "'-,'-x,'+,'-1e,'--1,'@,'=1,'\tA,\"'\rB\",\"'-1,5\"\n")
    #expect(
      CSVWriter.text([[.string("'=x"), .string("a=b"), .string(" -x"), .double(-0.5), .int(-3)]])
        == "'=x,a=b, -x,-0.5,-3\n")
  }

  @Test("a sweep keeps swept negative numbers as numbers and guards segment names")
  func sweptNumbers() throws {
    let scenario = try file(
      "pd.yaml",
      """
      name: pd
      game: {type: prisoners_dilemma, rounds: 2}
      population:
        size: 8
        segments:
          - {name: '@x', share: 0.5}
          - {name: '+y', share: 0.5}
      """)
    let out = TestSupport.temporaryDirectory() + "/sweep"
    let sweep = try TestSupport.agora([
      "sweep", scenario, "--grid", "game.payoffs.S=-0.5,-3,-1e1", "--seeds", "1", "--out", out, "--quiet",
    ])
    #expect(sweep.status == 0, "\(sweep.output)")
    // The swept column holds the values the runs resolved, as the run's own payoff_s does.
    #expect(try cells(out + "/summary.csv", "s") == ["-0.5", "-3.0", "-10.0"])
    #expect(try cells(out + "/summary.csv", "payoff_s") == ["-0.5", "-3.0", "-10.0"])
    #expect(try Set(cells(out + "/segments.csv", "segment")) == ["'@x", "'+y"])
  }

  @Test("names with escape codes are printed without them; the CSV files keep the name as written")
  func escapeCodes() throws {
    let name = "e\u{1B}[2Jsc\u{07}\u{9B}31mx\r"
    let scenario = try file(
      "esc.yaml",
      """
      name: esc
      game: {type: ultimatum}
      population:
        size: 10
        segments:
          - {name: "e\\e[2Jsc\\a\\u009B31mx\\r", share: 1}
      """)
    let out = TestSupport.temporaryDirectory() + "/run"
    let run = try TestSupport.agora(["run", scenario, "--out", out, "--no-report"])
    #expect(run.status == 0, "\(run.output)")
    let validate = try TestSupport.agora(["validate", scenario])
    #expect(validate.status == 0, "\(validate.output)")
    let bad = try TestSupport.agora(["validate", scenario, "--set", "game.type=\u{1B}]0;title\u{07}ultimatm"])
    #expect(bad.status == 2, "\(bad.output)")
    for output in [run.output, validate.output, bad.output] {
      #expect(!output.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" || (0x7F...0x9F).contains($0.value) })
    }
    #expect(run.output.contains("\ne[2Jsc31mx "), "\(run.output)")
    #expect(validate.output.contains("[e[2Jsc31mx (1.0)]"), "\(validate.output)")
    #expect(bad.output.contains("game.type: ']0;titleultimatm': expected one of"), "\(bad.output)")
    #expect(try cells(out + "/segments.csv", "segment") == [name])
  }

  @Test("a UTF-8 byte order mark is not part of the first column's name")
  func byteOrderMark() throws {
    let path = try file("bom.csv", "\u{FEFF}step,value\r\n1,2\r\n2,3\r\n")
    #expect(TestSupport.bytes(path).prefix(3) == Data([0xEF, 0xBB, 0xBF]))
    let table = try CSVTable(contentsOf: path)
    #expect(table.columns == ["step", "value"])
    #expect(try table.numbers(in: "value", groupedBy: "step").map(\.group) == ["1", "2"])
    let plot = try TestSupport.agora(["plot", path, "--x", "step", "--y", "value", "--no-png"])
    #expect(plot.status == 0, "\(plot.output)")
  }

  @Test(
    "inf, nan and overflowing cells are refused with the file, the line and the column",
    arguments: [
      "inf", "-inf", "nan", "1e999", "-1e999", "Infinity",
    ])
  func nonFinite(cell: String) throws {
    let path = try file("values.csv", "group,x\na,1\n\na,2\nb,\(cell)\nb,3\n")
    let table = try CSVTable(contentsOf: path)
    func refused(_ body: () throws -> Void) {
      do {
        try body()
        Issue.record("'\(cell)' was accepted")
      } catch {
        #expect("\(error)" == "\(path):5: column 'x' holds '\(cell)', not a finite number")
      }
    }
    refused { _ = try table.numbers(in: "x") }
    refused { _ = try Summary.table(table, by: ["group"], metrics: ["x"]) }
    refused { _ = try Plot.chart(table, x: "group", y: ["x"]) }
    refused { _ = try Regression(table, response: "x", factors: ["group"]) }
    let metrics = try TestSupport.agora(["metrics", path, "--column", "x"])
    #expect(metrics.status == 2 && metrics.output.contains("values.csv:5: column 'x' holds"), "\(metrics.output)")
    let analyze = try TestSupport.agora(["analyze", path, "--by", "group"])
    #expect(analyze.status == 0 && analyze.output.contains("not summarised (inf or nan has no mean): x\n"))
    #expect(CSVTable.finiteNumber(cell) == nil)
    #expect(CSVTable.finiteNumber(" -2.5e3 ") == -2500)
  }

  @Test("a number where a mapping belongs says what was found and which keys are expected")
  func mappingExpected() throws {
    let minimal = "game: {type: ultimatum}\npopulation: {size: 10, segments: [{name: a}]}\n"
    func message(_ overrides: [String]) -> String {
      do {
        _ = try ScenarioLoader.load(yaml: minimal, source: "s.yaml", overrides: overrides)
        return "loaded"
      } catch {
        return error.description
      }
    }
    #expect(
      message(["population=3"])
        == "--set population=3 (on s.yaml): population: found the number 3; expected a mapping with keys such as "
        + "size and segments")
    #expect(
      message(["game=5"]).hasSuffix("game: found the number 5; expected a mapping with keys such as type and rounds"))
    #expect(
      message(["matching=[1, 2]"]).hasSuffix(
        "matching: found a list; expected a mapping with keys such as type and rate"))
    #expect(message(["population.segments=x"]).hasSuffix("population.segments: found the text 'x'; expected a list"))
    #expect(
      message(["population.segments.0=true"]).hasSuffix(
        "found the value true; expected a mapping with keys such as name and share"))
    #expect(message(["population.size=abc"]).hasSuffix("population.size: 'abc': expected an integer"))
    let cli = try TestSupport.agora(["validate", "Scenarios/ultimatum.yaml", "--set", "population=3"])
    #expect(cli.status == 2)
    #expect(
      cli.output.contains("population: found the number 3; expected a mapping with keys such as size and segments"))
  }

  @Test("a file that cannot be read is named with the plain reason, never a Cocoa error code")
  func unreadableFiles() throws {
    let folder = TestSupport.temporaryDirectory()
    let missing = folder + "/missing.csv"
    let cases: [([String], String)] = [
      (["validate", folder], "error: \(folder): cannot read the file: is a directory\n"),
      (["validate", missing], "error: \(missing): cannot read the file: no such file\n"),
      (["analyze", folder], "error: cannot read \(folder): is a directory\n"),
      (["plot", missing, "--x", "a", "--y", "b"], "error: cannot read \(missing): no such file\n"),
      (["metrics", folder, "--column", "x"], "error: cannot read \(folder): is a directory\n"),
      (["analyze", missing + "/x.csv"], "error: cannot read \(missing)/x.csv: no such file\n"),
    ]
    for (arguments, expected) in cases {
      let result = try TestSupport.agora(arguments)
      #expect(result.status == 2 && result.output == expected, "agora \(arguments.joined(separator: " "))")
    }
    #expect(FileReading.reason(EACCES) == "permission denied")
    #expect(FileReading.reason(EISDIR) == "is a directory")
    #expect(throws: OutputError.self) { try FileReading.data(atPath: folder) }
    let text = try file("t.yaml", "name: x\n")
    #expect(try FileReading.text(atPath: text) == "name: x\n")
  }
}
