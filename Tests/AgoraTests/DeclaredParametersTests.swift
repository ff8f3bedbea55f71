import Foundation
import Testing
import Yams

@testable import Agora
@testable import AgoraCore
@testable import AgoraLanguageModel
@testable import AgoraModels
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

/// Parameters declared once: decoding, defaults, checks, encoding and the docs tables all come from the declaration.
@Suite("Declared parameters")
struct DeclaredParametersTests {
  /// Decodes `T` from YAML text the way the scenario loader does (from the composed node, so that issues come out
  /// as they are, not wrapped in a decoding error).
  func decode<T: Decodable>(_ type: T.Type, _ yaml: String) throws -> T {
    try YAMLDecoder().decode(type, from: try #require(try Yams.compose(yaml: yaml)))
  }

  @Test("docs/scenario.md holds exactly the tables the declarations generate (agora list --parameters)")
  func docsMatchDeclarations() throws {
    let docs = try String(contentsOfFile: TestSupport.repositoryRoot.path + "/docs/scenario.md", encoding: .utf8)
    #expect(BuiltInModels.all.count == 16)
    for model in BuiltInModels.all {
      let block = model.docBlock
      #expect(docs.contains(block), "docs/scenario.md: regenerate with agora list --parameters \(model.type)")
      let printed = try TestSupport.agora(["list", "--parameters", model.type.rawValue])
      #expect(printed.status == 0 && printed.output == block + "\n", "\(printed.output)")
    }
    let unknown = try TestSupport.agora(["list", "--parameters", "ultimatun"])
    #expect(unknown.status != 0 && unknown.output.contains("expected one of ultimatum"), "\(unknown.output)")
  }

  @Test("an empty mapping decodes to the declared defaults; a value round-trips through its encoding")
  func defaultsAndRoundTrip() throws {
    #expect(try decode(CommonsSpec.self, "{}") == CommonsSpec())
    #expect(try decode(DarkForestSpec.self, "{}") == DarkForestSpec())
    #expect(try decode(PolitySpec.self, "{}") == PolitySpec())
    var commons = CommonsSpec()
    commons.capacity = 250
    commons.stock = 120
    commons.regrowth = .logistic
    let text = try YAMLEncoder().encode(commons)
    #expect(try YAMLDecoder().decode(CommonsSpec.self, from: text) == commons, "\(text)")
    var polity = PolitySpec()
    polity.brackets = [10, 20]
    polity.schedules = [[0, 0.1, 0.2], [0.1, 0.2, 0.3]]
    polity.initialSchedule = 0
    #expect(try YAMLDecoder().decode(PolitySpec.self, from: try YAMLEncoder().encode(polity)) == polity)
  }

  @Test("defaults that depend on earlier keys, checks that read them, and unknown keys with a suggestion")
  func dependentKeys() throws {
    // stock defaults to capacity; threshold must not exceed it.
    #expect(try decode(CommonsSpec.self, "{capacity: 40}").stock == 40)
    #expect(throws: ScenarioIssue.self) { try decode(CommonsSpec.self, "{capacity: 4}") }
    // Polity's default schedules follow the number of brackets.
    let polity = try decode(PolitySpec.self, "{brackets: [5, 15, 40, 80]}")
    #expect(polity.schedules.allSatisfy { $0.count == 5 })
    do {
      _ = try decode(DarkForestSpec.self, "{light_speed: 10, fleet_speed: 20}")
      Issue.record("a fleet faster than light was accepted")
    } catch let issue as ScenarioIssue {
      #expect(issue.path == "fleet_speed" && issue.message.contains("light_speed"), "\(issue)")
    }
    do {
      _ = try decode(DarkForestSpec.self, "{regoin: 10}")
      Issue.record("a misspelt key was accepted")
    } catch let issue as ScenarioIssue {
      #expect(issue.message.contains("did you mean 'region'"), "\(issue)")
    }
  }
}
