import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraLanguageModel
@testable import AgoraModels
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

/// The shipped presets against the published numbers in the repository's `Validation/` (read here, never in the engine).
@Suite("Validation: presets against published targets")
struct ValidationTests {
  /// The targets a shipped preset misses today (issue 17), as `preset game.statistic`, with why. Each is checked
  /// like every other target but inside `withKnownIssue`: a miss that starts passing fails the test until it is
  /// taken off this list, so the list cannot go stale.
  static let knownMisses: [String: String] = [
    "human ultimatum.mean_offer_share":
      "fitted, 0.441-0.446 on seeds 1-4 against 0.40 +- 0.04: an agent's offer is at least its dictator gift, and "
      + "the fit cannot lower the mean offer without losing the dictator's mean gift (0.28 +- 0.04) or the "
      + "ultimatum's 40-50% band (0.70 +- 0.10), which sit near their edges too (docs/validation.md)",
    "llm_selfish prisoners_dilemma.first_round_cooperation_rate":
      "held out: Claude 2 cooperated in the first move of all 16 of its games and then defected even against "
      + "always-cooperate; a reciprocal player that defects against a partner it believes cooperative defects "
      + "first too (0.25 against 1.00)",
  ]

  @Test(
    "every target of every shipped preset is met within its tolerance (fitted and held out)",
    arguments: PopulationPreset.builtIn.map(\.name))
  func presetMeetsTargets(name: String) throws {
    let preset = try PopulationPreset.load(name)
    let targets = try ValidationTarget.load(TestSupport.validation("\(preset.targets.file)"))
    let calibration = try Calibration(preset: preset, targets: targets)
    #expect(!calibration.targets.isEmpty)
    #expect(calibration.targets.count == targets.filter { $0.preset == nil || $0.preset == name }.count)
    for row in try calibration.evaluate() {
      let key = "\(name) \(row.target.game).\(row.target.statistic)"
      let message: Comment =
        "\(key)\(row.heldOut ? " (held out)" : ""): simulated \(row.simulated), target \(row.target.target) +- \(row.target.tolerance)"
      if let why = Self.knownMisses[key] {
        withKnownIssue(Comment(rawValue: why)) { #expect(row.passes, message) }
      } else {
        #expect(row.passes, message)
      }
    }
  }

  @Test("each dictator row plays at its study's stake: GPT-3.5's 10 euro, the human meta-study's 100")
  func recipeStakes() throws {
    let llm = try ValidationTarget.load(TestSupport.validation("llm_targets.csv"))
    let human = try ValidationTarget.load(TestSupport.validation("human_targets.csv"))
    let gpt35 = try #require(llm.first { $0.preset == "llm_gpt35" && $0.game == "dictator" })
    let engel = try #require(human.first { $0.game == "dictator" })
    #expect(try #require(ValidationRecipe.of(gpt35)).stake == 10)
    #expect(try #require(ValidationRecipe.of(engel)).stake == 100)
    var other = gpt35
    other.condition = "as dictator, 110 euro"
    #expect(try #require(ValidationRecipe.of(other)).stake == 100, "110 euro is not 10 euro")
  }

  @Test("the held-out targets are left out of the fit's objective and reported apart")
  func heldOutSplit() throws {
    let preset = PopulationPreset.human
    let targets = try ValidationTarget.load(TestSupport.validation("human_targets.csv"))
    let calibration = try Calibration(preset: preset, targets: targets)
    #expect(!preset.heldOut.isEmpty)
    #expect(calibration.fitted.count == calibration.targets.count - preset.heldOut.count)
    for key in preset.heldOut {
      #expect(targets.contains { "\($0.game).\($0.statistic)" == key }, "held-out \(key) names a row of the file")
      #expect(!calibration.fitted.contains { "\($0.game).\($0.statistic)" == key })
    }
    let rows = try calibration.evaluate(fittedOnly: true)
    #expect(rows.count == calibration.fitted.count && rows.allSatisfy { !$0.heldOut })
  }

  @Test("a preset loads into a population whose shares sum to 1; a fitted preset file overrides its parameters")
  func presetFiles() throws {
    let spec = try ScenarioLoader.load(yaml: "game: {type: dictator}\npopulation: {preset: human, size: 100}")
    #expect(abs(spec.population.segments.map(\.share).reduce(0, +) - 1) < 1e-9)
    let file = TestSupport.temporaryDirectory() + "/fitted.yaml"
    try "base: llm_selfish\nparameters:\n  temperature: 0.25\n".write(toFile: file, atomically: true, encoding: .utf8)
    let fitted = try ScenarioLoader.load(yaml: "game: {type: dictator}\npopulation: {preset: \(file), size: 10}")
    #expect(fitted.population.segments[0].decoding.temperature == 0.25)
    #expect(throws: ScenarioIssue.self) {
      try ScenarioLoader.load(yaml: "game: {type: dictator}\npopulation: {preset: humen, size: 10}")
    }
  }

  @Test("Nelder-Mead through GSL lowers the loss of a preset that starts off target")
  func calibrationImproves() throws {
    let targets = try ValidationTarget.load(TestSupport.validation("llm_targets.csv"))
    let start = PopulationPreset.llmSelfish.with(["prior_cooperation": 0.9, "guilt": 1.5, "reciprocity": 0.1])
    let calibration = try Calibration(preset: start, targets: targets)
    let before = calibration.loss(try calibration.evaluate())
    let (_, after) = try calibration.fit(evaluations: 40)
    #expect(before > 4)
    #expect(after < before / 2)
  }

  @Test("docs/validation.md shows the figures agora calibrate --figures draws, and each is the one it draws today")
  func validationFigures() throws {
    let docs = TestSupport.repositoryRoot.appendingPathComponent("docs")
    let page = try String(contentsOf: docs.appendingPathComponent("validation.md"), encoding: .utf8)
    for name in ["human", "llm_prosocial", "llm_gpt35"] {
      let preset = try PopulationPreset.load(name)
      let targets = try ValidationTarget.load(TestSupport.validation(preset.targets.file))
      let rows = try Calibration(preset: preset, targets: targets).evaluate()
      let figures = try ValidationFigures.figures(rows, preset: preset)
      #expect(figures.contains { $0.name == "\(name)-dictator-distribution.svg" })
      for figure in figures where figure.name.contains("distribution") || figure.name.contains("path") {
        #expect(page.contains("(validation/\(figure.name))"), "docs/validation.md shows \(figure.name)")
        let file = docs.appendingPathComponent("validation").appendingPathComponent(figure.name)
        let committed = try String(contentsOf: file, encoding: .utf8)
        #expect(
          committed == figure.svg,
          "docs/validation/\(figure.name) is stale: agora calibrate \(name) --check --figures docs/validation")
      }
    }
  }
}
