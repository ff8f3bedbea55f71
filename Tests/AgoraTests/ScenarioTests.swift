import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraLanguageModel
@testable import AgoraModels
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

@Suite("Scenario")
struct ScenarioTests {
  static let root = TestSupport.repositoryRoot

  static var scenarioFiles: [String] {
    let folder = root.appendingPathComponent("Scenarios")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { $0.hasSuffix(".yaml") }.sorted().map { folder.appendingPathComponent($0).path }
  }

  func issue(_ yaml: String, _ overrides: [String] = []) -> ScenarioIssue? {
    do {
      _ = try ScenarioLoader.load(yaml: yaml, source: "test.yaml", overrides: overrides)
      return nil
    } catch {
      return error
    }
  }

  let minimal = "game: {type: ultimatum}\npopulation: {size: 10, segments: [{name: a}]}\n"

  @Test("every file in Scenarios/ validates")
  func examplesValidate() throws {
    #expect(Self.scenarioFiles.count >= 2)
    for file in Self.scenarioFiles { _ = try ScenarioLoader.load(file: file) }
  }

  @Test("a key in the wrong place is named with its place; a sweep file given as a scenario says to use agora sweep")
  func misplacedKeys() throws {
    let file = TestSupport.repositoryRoot.path + "/Scenarios/ultimatum.yaml"
    do {
      _ = try ScenarioLoader.load(file: file, overrides: ["stake=10"])
      Issue.record("accepted stake at the top level")
    } catch {
      #expect(error.description.contains("--set stake=10"), "\(error)")
      #expect(error.description.contains("did you mean 'game.stake'?"), "\(error)")
    }
    do {
      _ = try ScenarioLoader.load(file: file, overrides: ["size=10"])
      Issue.record("accepted size at the top level")
    } catch {
      #expect(error.description.contains("did you mean 'population.size'?"), "\(error)")
    }
    do {
      _ = try ScenarioLoader.load(file: TestSupport.repositoryRoot.path + "/Scenarios/sweeps/ultimatum-lhs.yaml")
      Issue.record("loaded a sweep file as a scenario")
    } catch {
      #expect(error.description.contains("run this file with `agora sweep`"), "\(error)")
    }
    // A swept key in the wrong place names the swept parameter, not a --set nobody typed.
    var sweep = SweepSpec(scenario: file)
    sweep.parameters = [SweepParameter(key: "stake", domain: .values(["1", "2"]))]
    let plan = try SweepPlan(sweep, template: ScenarioTemplate(file: file))
    do {
      _ = try plan.spec(ofRun: 0, template: plan.template())
      Issue.record("decoded a swept key in the wrong place")
    } catch {
      #expect(error.description.hasPrefix("swept parameter stake = 1"), "\(error)")
      #expect(!error.description.contains("--set"), "\(error)")
    }
  }

  @Test("--set reaches nested keys and list items")
  func overrides() throws {
    let file = Self.root.appendingPathComponent("Scenarios/ultimatum.yaml").path
    let spec = try ScenarioLoader.load(
      file: file,
      overrides: [
        "population.size=40", "population.segments.0.decoding.temperature=0.2", "game.stake=10", "game.offer_step=1",
        "population.segments.1.memory.window=3",
      ], seed: 99)
    #expect(spec.population.size == 40)
    #expect(spec.population.segments[0].decoding.temperature == 0.2)
    #expect(spec.population.segments[1].memory.window == 3)
    let game = spec.game.parameters(as: DivisionParameters.self)
    #expect(game.stake == 10 && game.grid.count == 11)
    #expect(spec.seed == 99)
    #expect(Population(spec: spec.population, seeds: SeedSequence(master: 1)).count == 40)
  }

  /// A preset given by an override replaces the file's segments (so a sweep can take the population as a factor);
  /// a file that gives both is still refused.
  @Test("--set population.preset replaces the file's segments")
  func presetOverride() throws {
    let file = Self.root.appendingPathComponent("Scenarios/ultimatum.yaml").path
    let own = try ScenarioLoader.load(file: file)
    let spec = try ScenarioLoader.load(file: file, overrides: ["population.preset=llm_selfish"])
    let preset = try ScenarioLoader.load(
      yaml: "game: {type: ultimatum}\npopulation: {size: 10, preset: llm_selfish}")
    #expect(spec.population.segments.map(\.name) == preset.population.segments.map(\.name))
    #expect(spec.population.segments.map(\.name) != own.population.segments.map(\.name))
    #expect(throws: ScenarioIssue.self) {
      try ScenarioLoader.load(
        yaml: "game: {type: ultimatum}\npopulation: {size: 10, preset: human, segments: [{name: a}]}")
    }
  }

  @Test("defaults are filled in")
  func defaults() throws {
    let spec = try ScenarioLoader.load(yaml: minimal, defaultName: "mini")
    #expect(spec.name == "mini" && spec.seed == 1 && spec.rng == "taus2")
    let game = spec.game.parameters(as: DivisionParameters.self)
    #expect(game.stake == 100 && game.offerStep == 5 && spec.game.rounds == 1 && game.roles == .swap)
    #expect(spec.population.segments[0].share == 1)
    #expect(spec.population.segments[0].decoding == DecodingParameters())
    #expect(spec.matching.type == .randomPairs && spec.output.steps && !spec.output.events)
  }

  @Test("a misspelt key names the file, the key path and the closest key")
  func misspelling() throws {
    let found = try #require(issue(minimal, ["population.segments.0.decodng.temperature=1"]))
    #expect(found.path == "population.segments.0.decodng")
    #expect(found.message.contains("did you mean 'decoding'?"))
    #expect(found.description.hasPrefix("--set population.segments.0.decodng.temperature=1 (on test.yaml): "))
    let inFile = try #require(issue(minimal + "outptu: {steps: false}\n"))
    #expect(inFile.description.hasPrefix("test.yaml: outptu: unknown key; did you mean 'output'?"))
  }

  @Test(
    "bad values name the key path, the value and what is allowed",
    arguments: [
      ("population.size=1", "population.size", "1"),
      ("population.size=abc", "population.size", "abc"),
      ("population.segments.0.decoding.temperature=-1", "population.segments.0.decoding.temperature", "-1.0"),
      ("population.segments.0.decoding.top_p=0", "population.segments.0.decoding.top_p", "0.0"),
      ("game.type=ultimatm", "game.type", "ultimatm"),
      ("game.offer_step=7", "game.offer_step", "7.0"),
      ("population.segments.0.share=0.5", "population.segments", "0.5"),
      (
        "population.segments.0.preferences.envy={dist: beta, a: 0, b: 1}", "population.segments.0.preferences.envy",
        "beta"
      ),
      (
        "population.segments.0.preferences.envy={dist: normal, mean: 1}", "population.segments.0.preferences.envy.sd",
        nil
      ),
      (
        "population.segments.0.preferences.envy={dist: nromal, mean: 1}", "population.segments.0.preferences.envy.dist",
        "nromal"
      ),
      ("rng=nope", "rng", "nope"),
      ("matching.type=async", "matching.type", "async"),
      ("population.segments=[{name: a-b, share: 0.5}, {name: a_b, share: 0.5}]", "population.segments.1.name", "a_b"),
      ("game.type.x=1", "game.type", "ultimatum"),
    ] as [(String, String, String?)])
  func badValues(override: String, path: String, value: String?) throws {
    let found = try #require(issue(minimal, [override]))
    #expect(found.path == path, "\(found)")
    #expect(found.value == value, "\(found)")
    #expect(!found.message.isEmpty)
  }

  @Test("misspelt enumerations and distributions get suggestions")
  func suggestions() throws {
    #expect(try #require(issue(minimal, ["game.type=ultimatm"])).message.contains("did you mean 'ultimatum'?"))
    #expect(
      try #require(issue(minimal, ["population.segments.0.preferences.envy={dist: nromal, mean: 1, sd: 1}"])).message
        .contains("did you mean 'normal'?"))
  }

  @Test("syntax errors and wrong shapes are reported, not crashed on")
  func malformed() {
    #expect(issue("game: [unclosed") != nil)
    #expect(issue("") != nil)
    #expect(issue("- a\n- b\n") != nil)
    #expect(issue("game: 3\npopulation: {size: 10, segments: [{name: a}]}") != nil)
    #expect(issue(minimal, ["population.size.x=3"]) != nil)
    #expect(issue(minimal, ["noequals"]) != nil)
  }

  @Test("joint distributions: unknown dimensions and overlaps are refused")
  func jointErrors() throws {
    let bad = try #require(
      issue(
        minimal, ["population.segments.0.preferences={joint: [{dist: dirichlet, dims: [envy, guit], alpha: [1, 1]}]}"]))
    #expect(bad.message.contains("did you mean 'guilt'?"))
    #expect(
      issue(
        minimal,
        ["population.segments.0.preferences={envy: 1, joint: [{dist: dirichlet, dims: [envy, guilt], alpha: [1, 1]}]}"])
        != nil)
    #expect(
      issue(
        minimal,
        [
          "population.segments.0.preferences={joint: [{dist: multivariate_normal, dims: [envy, guilt], mean: [0, 0], cov: [[1, 2], [2, 1]]}]}"
        ])?
        .path == "population.segments.0.preferences.joint.0.cov")
  }
}
