import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraLanguageModel
@testable import AgoraModels
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

@Suite("Output")
struct OutputTests {
  func temporaryDirectory() -> String { TestSupport.temporaryDirectory() }

  func bytes(_ path: String) -> Data { TestSupport.bytes(path) }

  let yaml = """
    name: det
    seed: 5
    game: {type: ultimatum, rounds: 6}
    population:
      size: 300
      segments:
        - {name: a, share: 0.5, preferences: {envy: {dist: gamma, shape: 2, scale: 0.5}}, decoding: {temperature: 0.3, top_p: 0.9}}
        - {name: b, share: 0.5, decoding: {temperature: 0.6, position_bias: 0.5}}
    output: {events: true}
    """

  @Test("the same scenario and seed give byte-identical CSV files; another seed does not")
  func determinism() throws {
    let spec = try ScenarioLoader.load(yaml: yaml)
    let first = temporaryDirectory()
    let second = temporaryDirectory()
    let third = temporaryDirectory()
    let (_, files) = try RunFolder.execute(spec, into: first)
    _ = try RunFolder.execute(spec, into: second)
    var other = spec
    other.seed = 6
    _ = try RunFolder.execute(other, into: third)
    let csvs = files.filter { $0.hasSuffix(".csv") }
    #expect(Set(csvs) == ["events.csv", "steps.csv", "agents.csv", "segments.csv", "summary.csv", "offers.csv"])
    for file in csvs {
      #expect(bytes("\(first)/\(file)") == bytes("\(second)/\(file)"), "\(file) differs between identical runs")
      #expect(!bytes("\(first)/\(file)").isEmpty)
    }
    #expect(bytes("\(first)/agents.csv") != bytes("\(third)/agents.csv"))
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: first).filter { $0.hasSuffix(".tmp") }
    #expect(leftovers.isEmpty)
  }

  @Test("files hold what they promise: columns, one row per agent and per round, a completed manifest")
  func contents() throws {
    let spec = try ScenarioLoader.load(yaml: yaml)
    let dir = temporaryDirectory()
    _ = try RunFolder.execute(spec, into: dir)
    let summary = try CSVTable(contentsOf: "\(dir)/summary.csv")
    #expect(summary.rows.count == 1)
    for column in [
      "run_id", "run_index", "seed", "efficiency", "gini", "mean_offer", "acceptance_rate", "mean_payoff_a",
    ] {
      #expect(summary.columns.contains(column), "summary.csv lacks \(column)")
    }
    let agents = try CSVTable(contentsOf: "\(dir)/agents.csv")
    #expect(agents.rows.count == 300)
    #expect(agents.columns.prefix(4) == ["run_index", "seed", "agent_id", "segment"])
    #expect(agents.columns.contains("envy") && agents.columns.contains("payoff"))
    let steps = try CSVTable(contentsOf: "\(dir)/steps.csv")
    #expect(steps.rows.count == 6)
    let events = try CSVTable(contentsOf: "\(dir)/events.csv")
    #expect(events.rows.count == 6 * 150)
    let payoffColumn = try agents.columnIndex("payoff")
    let payoffs = agents.rows.map { Double($0[payoffColumn])! }
    let gini = Double(summary.rows[0][try summary.columnIndex("gini")])!
    #expect(gini == (try Inequality.gini(payoffs)), "full-precision doubles round-trip through the CSV")
    let manifest = try JSONSerialization.jsonObject(with: bytes("\(dir)/manifest.json")) as! [String: Any]
    #expect(manifest["completed"] as? Bool == true)
    #expect((manifest["scenario"] as? [String: Any])?["name"] as? String == "det")
  }

  @Test("CSV quoting round-trips through the reader (RFC 4180)")
  func quoting() throws {
    let dir = temporaryDirectory()
    let writer = try CSVWriter(path: "\(dir)/q.csv", columns: ["a", "b,c", "d"])
    try writer.writeRow([.string("plain"), .string("with, comma"), .string("say \"hi\"\nnext line")])
    try writer.writeRow([.double(0.1), .double(.nan), .double(.infinity)])
    #expect(!FileManager.default.fileExists(atPath: "\(dir)/q.csv"), "nothing under the final name before finish()")
    try writer.finish()
    let table = try CSVTable(contentsOf: "\(dir)/q.csv")
    #expect(table.columns == ["a", "b,c", "d"])
    #expect(table.rows == [["plain", "with, comma", "say \"hi\"\nnext line"], ["0.1", "", "inf"]])
  }

  @Test("a file read a chunk at a time gives the rows of the whole file, at every chunk size and cut")
  func streamedRows() throws {
    let dir = temporaryDirectory()
    let texts = [
      "\u{FEFF}a,b,c\r\n1,\"x, y\",3\r\n\r\n\"\"\"q\"\"\",\"line\nbreak\",\r\n4,5,6",
      "a,b,c\n1,2,3\n\"\",,\"\"\"\"\n7,\"8\r\n9\",10\n",
      "x\n\"only\"\n\n",
    ]
    for (n, text) in texts.enumerated() {
      let path = "\(dir)/s\(n).csv"
      try Data(text.utf8).write(to: URL(fileURLWithPath: path))
      let whole = try CSVTable(contentsOf: path)
      for chunk in [1, 2, 3, 5, 8, 64] {
        var rows: [[String]] = []
        var lines: [Int] = []
        let columns = try CSVStream.rows(path: path, keeping: nil, chunk: chunk) { _, fields, line in
          rows.append(fields.strings)
          lines.append(line)
        }
        #expect(columns == whole.columns && rows == whole.rows, "text \(n), chunk \(chunk)")
        #expect(lines == whole.rows.indices.map(whole.line(ofRow:)), "text \(n), chunk \(chunk)")
      }
    }
    // What the whole-file reader refuses, the streamed one refuses.
    for (n, bad) in ["a,b\n1,2,3\n", "a,b\n\"open,2\n", ""].enumerated() {
      let path = "\(dir)/bad\(n).csv"
      try Data(bad.utf8).write(to: URL(fileURLWithPath: path))
      #expect(throws: OutputError.self) { try CSVTable(contentsOf: path) }
      #expect(throws: OutputError.self) { _ = try CSVStream.rows(path: path, keeping: nil, chunk: 2) { _, _, _ in } }
    }
  }

  @Test("a streamed summary and grouping give the whole-file reader's rows: quoted keys, many groups, any number form")
  func streamedSummary() throws {
    let dir = temporaryDirectory()
    let path = "\(dir)/groups.csv"
    // 40 groups (more than the 16 found by comparison), keys quoted or with commas, cells in every form a
    // number takes (exponents, a sign, spaces, hex, a point at either end) and empty cells.
    let forms = ["1", "-2.5", "1e3", "2.5E-2", " 7 ", "0x1p3", ".5", "5.", "+4", "-0", "12345678901234567890", "1e-30"]
    var text = "id,key,x,y\n"
    for r in 0..<400 {
      // Group 3 quoted; groups 5 and 6 the same text in other bytes (precomposed and decomposed), one group as
      // Swift strings compare.
      let key =
        r % 40 == 3 ? "\"k, \"\"q\"\"\"" : r % 40 == 5 ? "caf\u{E9}" : r % 40 == 6 ? "cafe\u{301}" : "k\(r % 40)"
      text += "\(r),\(key),\(forms[r % forms.count]),\(r % 7 == 0 ? "" : String(Double(r) / 3))\n"
    }
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    let table = try CSVTable(contentsOf: path)
    #expect(
      try Summary.stream(path: path, by: ["key"], metrics: ["x", "y"])
        == Summary.table(table, by: ["key"], metrics: ["x", "y"]))
    #expect(try Summary.stream(path: path, by: [], metrics: ["y"]) == Summary.table(table, by: [], metrics: ["y"]))
    let streamed = try CSVStream.numbers(path: path, column: "x", groupedBy: "key")
    let whole = try table.numbers(in: "x", groupedBy: "key")
    #expect(streamed.count == 39 && streamed.map(\.group) == whole.map(\.group))
    #expect(streamed.map(\.values) == whole.map(\.values))
    #expect(streamed.contains { $0.group == "k, \"q\"" })
    let numeric = try Summary.numericColumns(path: path, excluding: ["id"])
    #expect(numeric.finite == ["x", "y"] && numeric.infinite.isEmpty)
  }

  @Test(
    "a plainly written number is read from its bytes exactly as Double(String) reads it; other forms are left to it")
  func plainDecimals() {
    var state: UInt64 = 7
    func next() -> UInt64 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return state >> 11
    }
    var fast = 0
    let formats = ["%.6f", "%g", "%.17g", "%.3e", "%.0f", "%.15g", "%.1f"]
    for n in 0..<200_000 {
      let magnitude = pow(10, Double(next() % 40) - 20)
      let value = (Double(next() % 1_000_000) / 1_000_000 - 0.5) * magnitude
      let text = String(format: formats[n % formats.count], value)
      let bytes = Array(text.utf8)
      guard let read = bytes.withUnsafeBytes({ CSVFields.plainDecimal($0) }) else { continue }
      fast += 1
      #expect(read.bitPattern == Double(text)?.bitPattern, "\(text)")
    }
    #expect(fast > 100_000, "most plain numbers take the fast path (\(fast))")
    // Exactly at the fast path's edges, and forms it leaves to the general parse.
    for text in ["9007199254740992", "9007199254740993", "1e22", "1e23", "123456789e-22", "-0", "0.1", "4.35"] {
      let read = Array(text.utf8).withUnsafeBytes { CSVFields.plainDecimal($0) }
      if let read { #expect(read.bitPattern == Double(text)?.bitPattern, "\(text)") }
    }
    for text in [
      "", "-", ".5", "5.", "+4", " 7", "1e", "1e+", "0x10", "inf", "nan", "1,5", "1e1000", "00000000000000000000001",
    ] {
      #expect(Array(text.utf8).withUnsafeBytes { CSVFields.plainDecimal($0) } == nil, "\(text)")
    }
  }

  @Test("an abandoned writer leaves no file behind")
  func abandoned() throws {
    let dir = temporaryDirectory()
    do {
      let writer = try CSVWriter(path: "\(dir)/gone.csv", columns: ["x"])
      try writer.writeRow([.int(1)])
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
  }
}

@Suite("Output: agora metrics input")
struct MetricsInputTests {
  let csv = Data("id,group,x\n1,a,1\n2,b,10\n3,a,3\n4,\"b, c\",4\n".utf8)

  @Test("numbers are grouped in order of first appearance, quoted groups included")
  func grouping() throws {
    let table = try CSVTable(parsing: csv, source: "t.csv")
    let groups = try table.numbers(in: "x", groupedBy: "group")
    #expect(groups.map(\.group) == ["a", "b", "b, c"])
    #expect(groups.map(\.values) == [[1, 3], [10], [4]])
    #expect(try table.numbers(in: "x").map(\.values) == [[1, 10, 3, 4]])
  }

  @Test("a missing column or a non-number is an error naming the file, the line and the nearest column")
  func errors() throws {
    let table = try CSVTable(parsing: csv, source: "t.csv")
    #expect(throws: OutputError.self) { try table.numbers(in: "y") }
    do {
      _ = try table.numbers(in: "grup")
    } catch {
      #expect(error.description.hasPrefix("t.csv: no column 'grup'; did you mean 'group'?"))
    }
    do {
      _ = try table.numbers(in: "group")
      Issue.record("a text column was read as numbers")
    } catch {
      #expect(error.description == "t.csv:2: column 'group' holds 'a', not a number")
    }
  }

  @Test("output.agent_steps: every agent's payoff and interactions at every k-th step and the last; worlds refuse it")
  func agentSteps() throws {
    for game in ["ultimatum", "prisoners_dilemma"] {
      let spec = try ScenarioLoader.load(
        yaml: """
          name: a
          game: {type: \(game), rounds: 5}
          population: {size: 50, segments: [{name: a, share: 0.4}, {name: b, share: 0.6}]}
          output: {agent_steps: {every: 2}}
          """)
      let folder = TestSupport.temporaryDirectory()
      let (result, files) = try RunFolder.execute(spec, into: folder, report: false)
      #expect(files.contains("agent_steps.csv") && files.contains("agent_steps.csv-metadata.json"))
      let table = try CSVTable(contentsOf: folder + "/agent_steps.csv")
      #expect(table.columns == ["run_index", "seed", "step", "agent_id", "segment", "payoff", "interactions"])
      #expect(table.rows.count == 3 * 50, "\(game): steps 2, 4 and the last, 5")
      #expect(Set(table.rows.map { $0[2] }) == ["2", "4", "5"])
      let last = table.rows.filter { $0[2] == "5" }
      for (i, row) in last.enumerated() {
        #expect(Double(row[5]) == result.payoffs[i] && Int(row[6]) == Int(result.interactions[i]), "\(game) agent \(i)")
      }
      #expect(last.map { $0[4] } == Array(repeating: "a", count: 20) + Array(repeating: "b", count: 30))
    }
    #expect(throws: ScenarioIssue.self) {
      try ScenarioLoader.load(
        yaml: "game: {type: commons}\npopulation: {size: 10, segments: [{name: a, share: 1}]}\n"
          + "output: {agent_steps: {every: 1}}")
    }
  }
}
