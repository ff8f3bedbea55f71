import Agora
import Foundation
import Testing

@testable import StagHunt

/// The stag hunt as Agora runs it: its keys load from YAML, and hunters with fixed beliefs do what expected payoffs
/// say (stag when the other hunts it with probability above hare / stag).
@Suite("Stag hunt")
struct StagHuntTests {
  /// Registers the stag hunt once for the whole test process (a static is initialised once, whatever the number of
  /// tests running in parallel; registering a name twice throws).
  static let registered: Void = { try! ModelRegistry.register(StagHunt.self) }()

  init() { Self.registered }

  /// A population of selfish, near-greedy hunters whose belief stays at `belief`.
  func scenario(belief: Double) -> String {
    """
    game: {type: stag_hunt, rounds: 4, stag: 4, hare: 3}
    population:
      size: 200
      segments: [{name: h, decoding: {temperature: 0.01}, memory: {learning: none, prior_cooperation: \(belief)}}]
    """
  }

  @Test("selfish hunters hunt the stag exactly when their belief exceeds hare / stag = 0.75", arguments: [0.6, 0.9])
  func threshold(belief: Double) throws {
    let spec = try ScenarioLoader.load(yaml: scenario(belief: belief))
    #expect(spec.game.parameters(as: StagHunt.Parameters.self).stag == 4)
    let result = try Experiment.run(spec)
    let rate = try #require(result["stag_rate"].flatMap { Double($0.text) })
    #expect(rate == (belief > 0.75 ? 1 : 0), "stag_rate \(rate) at belief \(belief)")
    // Everyone hunts the same way, so every pair coordinates and each hunter earns stag or hare every round.
    let mean = try #require(result["mean_payoff"].flatMap { Double($0.text) })
    #expect(mean == (belief > 0.75 ? 4 : 3) * 4)
  }

  @Test("the game's keys are checked where they are declared")
  func keysAreChecked() throws {
    let tooRich = #expect(throws: ScenarioIssue.self) {
      try ScenarioLoader.load(yaml: scenario(belief: 0.5).replacingOccurrences(of: "hare: 3", with: "hare: 5"))
    }
    #expect(tooRich?.path == "game.hare", "\(String(describing: tooRich))")
    let misspelt = #expect(throws: ScenarioIssue.self) {
      try ScenarioLoader.load(yaml: scenario(belief: 0.5).replacingOccurrences(of: "stag: 4", with: "stagg: 4"))
    }
    #expect(misspelt?.message.contains("did you mean 'stag'") == true, "\(String(describing: misspelt))")
  }

  @Test("the shipped scenario file loads and runs")
  func shippedScenario() throws {
    let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
      "../../Scenarios/stag_hunt.yaml"
    ).standardized.path
    let spec = try ScenarioLoader.load(file: file, overrides: ["population.size=100", "game.rounds=3"])
    let result = try Experiment.run(spec)
    #expect(result.segmentRows.count == 2)
  }
}
