import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraModels
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

/// Declared columns: every column a run writes resolves to a declaration, the data dictionary beside each CSV says
/// what the file holds, and the reference tables of `docs/columns.md` are the declarations.
@Suite("Declared columns", .serialized)
struct DeclaredColumnsTests {
  let catalog = ColumnCatalog(
    model: "test",
    columns: [
      Column("share_sent", unit: Column.Unit.share, "share sent"), Column("gini", "the test model's own gini"),
      Column("cooperation_rate_stage_{n}", unit: Column.Unit.share, "cooperation in stage {n}"),
      Column("stake", "what was left of the stake").only(in: "villages"),
    ],
    parameters: [Column("stake", "the stake")], segments: ["riders", "free_riders"])

  @Test("derived names resolve to their declaration: segments (the longest name wins), pairs, rounds, templates")
  func derivedNames() throws {
    let bySegment = try #require(catalog.column("share_sent_free_riders"))
    #expect(bySegment.description == "share sent, among segment `free_riders`'s agents")
    #expect(bySegment.model == "test" && bySegment.unit == Column.Unit.share)
    let pair = try #require(catalog.column("share_sent_riders_vs_free_riders"))
    #expect(pair.description == "share sent, of segment `riders`'s agents against segment `free_riders`'s")
    #expect(catalog.column("share_sent_round_last")?.description == "share sent, in the last round")
    #expect(catalog.column("cooperation_rate_stage_12")?.description == "cooperation in stage 12")
    // Numbers start at 0 (the public goods schedule's `conditional_contribution_0`), written without leading zeros.
    #expect(catalog.column("cooperation_rate_stage_0")?.description == "cooperation in stage 0")
    #expect(catalog.column("cooperation_rate_stage_03") == nil)
    #expect(catalog.column("share_sent_strangers") == nil)
    #expect(catalog.column("stake")?.description == "the stake")
    // A declaration for one table holds there only (the commons' final `stock` of a village).
    #expect(catalog.column("stake", in: "villages")?.description == "what was left of the stake")
    #expect(catalog.column("stake", in: "steps")?.description == "the stake")
    // A model's own declaration wins over the standard one; a standard one resolves for every model.
    #expect(catalog.column("gini")?.description == "the test model's own gini")
    #expect(catalog.column("theil_t")?.model == nil)
  }

  @Test("a run whose model writes an undeclared column or a cell of the wrong type is refused")
  func undeclaredColumnsAreRefused() throws {
    let spec = try ScenarioLoader.load(
      yaml: """
        name: t
        game: {type: ultimatum, rounds: 2}
        population: {size: 20, segments: [{name: a, share: 1}]}
        """)
    var result = try Experiment.run(spec)
    let ultimatum = try #require(ModelRegistry.model(.ultimatum)).catalog(spec)
    #expect(result.schema["summary"]?.map(\.name) == result.summary.map(\.0))
    result.summary.append(("mystery", .double(1)))
    #expect(throws: RecordError.undeclared(column: "mystery", table: "summary", model: "ultimatum")) {
      try result.resolveSchema(ultimatum)
    }
    result.summary.removeLast()
    result.stepRows[0][2] = .double(1.5)
    #expect(throws: RecordError.wrongType(column: "step", table: "steps", expected: .integer, value: "1.5")) {
      try result.resolveSchema(ultimatum)
    }
  }

  /// The cells of `path` (a CSV without quoted commas in names, as the scenarios write).
  static func rows(_ path: String) throws -> [[String]] {
    let table = try CSVTable(parsing: TestSupport.bytes(path), source: path)
    return [table.columns] + table.rows
  }

  @Test("every scenario writes a data dictionary beside each CSV that names its header and types its cells")
  func everyFileHasItsDictionary() throws {
    let root = TestSupport.temporaryDirectory()
    var checked = 0
    for file in RobustnessTests.scenarioFiles {
      let spec = try ScenarioLoader.load(file: file, overrides: RobustnessTests.small(file, size: 120, rounds: 3))
      if spec.population.segments.contains(where: { $0.policy == .llm }) { continue }
      let folder = "\(root)/\(spec.name)"
      let (_, files) = try RunFolder.execute(spec, into: folder, report: false)
      for name in files where name.hasSuffix(".csv") {
        #expect(
          files.contains(DataDictionary.fileName(for: name)), "\(file): \(name) is not listed with its dictionary")
        let json =
          try JSONSerialization.jsonObject(
            with: TestSupport.bytes("\(folder)/\(DataDictionary.fileName(for: name))")) as? [String: Any]
        let columns = try #require((json?["tableSchema"] as? [String: Any])?["columns"] as? [[String: Any]])
        let rows = try Self.rows("\(folder)/\(name)")
        #expect(columns.compactMap { $0["name"] as? String } == rows[0], "\(file): \(name)")
        for column in columns {
          let description = column["dc:description"] as? String ?? ""
          #expect(description.count > 8, "\(name): \(column["name"] ?? "?") has no meaning")
        }
        for row in rows.dropFirst() {
          for (cell, column) in zip(row, columns) where !cell.isEmpty {
            let type = column["datatype"] as? String
            let fits =
              type == "integer"
              ? Int64(cell) != nil || UInt64(cell) != nil
              : type == "double" ? Double(cell) != nil : type == "string"
            #expect(fits, "\(file): \(name): \(column["name"] ?? "?") is \(type ?? "?") but holds '\(cell)'")
          }
        }
        checked += 1
      }
    }
    #expect(checked >= 50, "\(checked) files")
  }

  @Test("a sweep's swept columns hold the values the runs resolved, typed by the parameters' declarations")
  func sweepColumnsAreTyped() throws {
    var spec = SweepSpec(scenario: "tiny.yaml")
    spec.parameters = [
      SweepParameter(key: "game.stake", domain: .values(["10", "100"])),
      SweepParameter(key: "population.size", domain: .values(["40", "60"])),
    ]
    spec.repetitions = 1
    let plan = try SweepPlan(spec, template: ScenarioTemplate(yaml: SweepTests.scenario, source: "tiny.yaml"))
    #expect(plan.fieldTypes == [.double, .integer])
    let folder = TestSupport.temporaryDirectory()
    _ = try SweepRunner(plan: plan, directory: folder, jobs: 1).run()
    let rows = try Self.rows("\(folder)/summary.csv")
    let stake = try #require(rows[0].firstIndex(of: "stake"))
    #expect(rows.dropFirst().map { $0[stake] } == ["10.0", "10.0", "100.0", "100.0"])
    let json = try JSONSerialization.jsonObject(with: TestSupport.bytes("\(folder)/summary.csv-metadata.json"))
    let columns = try #require(
      ((json as? [String: Any])?["tableSchema"] as? [String: Any])?["columns"] as? [[String: Any]])
    #expect(columns.map { $0["name"] as? String } == rows[0].map { $0 })
    let types = Dictionary(
      uniqueKeysWithValues: columns.map { ($0["name"] as? String ?? "", $0["datatype"] as? String) })
    #expect(types["stake"] == "double" && types["size"] == "integer" && types["seed"] == "integer")
    #expect(types["point"] == "integer" && types["mean_offer"] == "double")
  }

  @Test("docs/columns.md holds exactly the tables the declarations generate (agora list --columns)")
  func docsAreGenerated() throws {
    BuiltInModels.register()
    let docs = try String(contentsOfFile: TestSupport.repositoryRoot.path + "/docs/columns.md", encoding: .utf8)
    #expect(docs.contains(StandardColumns.docBlock), "docs/columns.md: regenerate with python3 docs/generate.py")
    for model in ModelRegistry.models where BuiltInModels.all.contains(where: { $0.type == model.type }) {
      #expect(docs.contains(model.columnsDocBlock), "docs/columns.md: regenerate \(model.type)")
    }
  }
}
