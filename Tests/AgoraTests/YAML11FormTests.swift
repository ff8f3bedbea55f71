import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraModels
@testable import AgoraScenario
@testable import AgoraSweep

/// YAML 1.1 number and boolean forms (`10:100`, `0x20`, `0o17`, `017`, `yes`) are refused with the key, the value and
/// what to write instead, in scenario files, `--set`, sweep files, `--grid` and `--range`; YAML 1.2 forms still load.
@Suite("YAML 1.1 forms")
struct YAML11FormTests {
  static let scenario = """
    name: forms
    seed: 4
    game: {type: ultimatum, rounds: 3, stake: 100}
    population:
      size: 40
      segments:
        - {name: a, share: 0.5}
        - {name: b, share: 0.5}
    """

  /// The issue `body` throws, or `nil` when it loads (another error is recorded as a failure).
  func issue(_ body: () throws -> Void) -> ScenarioIssue? {
    do {
      try body()
      return nil
    } catch let issue as ScenarioIssue {
      return issue
    } catch {
      Issue.record("not a ScenarioIssue: \(error)")
      return nil
    }
  }

  /// Each number form, with a piece of the advice its message must give.
  static let numberForms: [(text: String, advice: String)] = [
    ("10:100", "reads as 700"), ("0x20", "write 32"), ("-0x10", "write -16"), ("0o17", "write 15"),
    ("017", "write 17 (or 15)"), ("09", "write 9"), ("0b101", "write 5"), ("1:30.5", "reads as 90.5"),
    ("0x1p4", "write 16"),
  ]

  @Test("a number form is refused in --set and in the file, naming the key, the value and what to write")
  func numbersRefused() throws {
    for (text, advice) in YAML11FormTests.numberForms {
      let viaSet = issue {
        _ = try ScenarioLoader.load(yaml: YAML11FormTests.scenario, overrides: ["game.stake=\(text)"])
      }
      #expect(viaSet?.path == "game.stake" && viaSet?.value == text, "\(text): \(String(describing: viaSet))")
      #expect(viaSet?.file?.hasPrefix("--set game.stake=\(text)") == true, "\(String(describing: viaSet))")
      let message = viaSet.map { "\($0)" } ?? ""
      #expect(message.contains("YAML 1.1") && message.contains(advice), "\(text): \(message)")
      #expect(message.contains("quote it ('\(text)')"), "\(message)")

      let yaml = YAML11FormTests.scenario.replacingOccurrences(of: "rounds: 3", with: "rounds: \(text)")
      let inFile = issue { _ = try ScenarioLoader.load(yaml: yaml, source: "forms.yaml") }
      #expect(inFile?.path == "game.rounds" && inFile?.value == text && inFile?.file == "forms.yaml", "\(text)")
    }
    let nested = issue {
      _ = try ScenarioLoader.load(
        yaml: YAML11FormTests.scenario, overrides: ["population.segments.1.preferences.envy=0x1"])
    }
    #expect(nested?.path == "population.segments.1.preferences.envy" && nested?.value == "0x1")
  }

  @Test("yes, no, on and off are refused where true or false is expected, and are text where text is")
  func booleans() throws {
    for (text, want) in [("yes", "true"), ("no", "false"), ("On", "true"), ("OFF", "false")] {
      let found = issue {
        _ = try ScenarioLoader.load(yaml: YAML11FormTests.scenario, overrides: ["output.steps=\(text)"])
      }
      #expect(found?.path == "output.steps" && found?.value == text, "\(String(describing: found))")
      #expect(found?.message.contains("write \(want)") == true, "\(String(describing: found))")
      let yaml = YAML11FormTests.scenario + "\noutput: {agents: \(text)}"
      #expect(issue { _ = try ScenarioLoader.load(yaml: yaml) }?.path == "output.agents", "\(text) in a file")
    }
    let spec = try ScenarioLoader.load(
      yaml: YAML11FormTests.scenario.replacingOccurrences(of: "{name: a,", with: "{name: no,"),
      overrides: ["name=yes", "output.steps=false"])
    #expect(spec.name == "yes" && spec.population.segments[0].name == "no" && spec.output.steps == false)
  }

  @Test("decimals, exponents, signs, .inf and quoted text still load")
  func normalForms() throws {
    for text in ["10", "-5", "+3", "0", "-0", "0.5", ".5", "1e6", "1E-3", "2.5e+2", "1_000", ".inf", "-.inf", "007.5"] {
      #expect(YAML11Form.numberProblem(text) == nil, "\(text)")
    }
    for text in ["fixed", "http://x:80", "a:b", "1.2.3", "v0x20", "10:x", "", "-", ":5"] {
      #expect(YAML11Form.numberProblem(text) == nil, "\(text) is not a number form")
    }
    let spec = try ScenarioLoader.load(
      yaml: YAML11FormTests.scenario, overrides: ["game.stake=1e2", "game.rounds=+5", "game.offer_step=2.5"])
    let game = spec.game.parameters(as: DivisionParameters.self)
    #expect(spec.game.rounds == 5 && game.stake == 100 && game.offerStep == 2.5)
    let quoted = try ScenarioLoader.load(
      yaml: YAML11FormTests.scenario.replacingOccurrences(of: "name: forms", with: "name: '0x20'")
        .replacingOccurrences(of: "{name: b,", with: "{name: \"10:30\","))
    #expect(quoted.name == "0x20" && quoted.population.segments[1].name == "10:30")
    let inf = issue { _ = try ScenarioLoader.load(yaml: YAML11FormTests.scenario, overrides: ["game.stake=.inf"]) }
    #expect(inf?.path == "game.stake" && inf?.message.contains("YAML 1.1") == false, "a range check, not a form")
  }

  @Test("a sweep file's number and boolean forms are refused with their key path")
  func sweepFile() throws {
    let cases: [(yaml: String, path: String, value: String)] = [
      ("parameters: {game.stake: [10, 0o17]}", "parameters.game.stake.1", "0o17"),
      ("parameters: {game.stake: {from: 0x10, to: 20, step: 5}}", "parameters.game.stake.from", "0x10"),
      ("set: {game.rounds: '1:00'}\nrepetitions: 010\nparameters: {game.stake: [10]}", "repetitions", "010"),
      ("set: {game.rounds: 1:00}\nparameters: {game.stake: [10]}", "set.game.rounds", "1:00"),
      ("keep: {steps: yes}\nparameters: {game.stake: [10]}", "keep.steps", "yes"),
      ("parameters: {game.stake: {min: 1, max: 5, integer: on}}", "parameters.game.stake.integer", "on"),
    ]
    for (body, path, value) in cases {
      let found = issue { _ = try SweepSpec.parse(yaml: "scenario: forms.yaml\n" + body) }
      #expect(found?.path == path && found?.value == value, "\(body): \(String(describing: found))")
      let message = found.map { "\($0)" } ?? ""
      #expect(message.contains("YAML 1.1"), "\(message)")
    }
    let fine = try SweepSpec.parse(yaml: "scenario: f.yaml\nkeep: {steps: true}\nparameters: {game.stake: [10, 1e2]}")
    #expect(fine.keep.steps && fine.parameters[0].domain == .values(["10", "1e2"]))
  }

  @Test("--grid a:b without a step, and number forms in --grid and --range, are refused by agora sweep")
  func gridAndRange() throws {
    let folder = TestSupport.temporaryDirectory()
    let scenario = folder + "/forms.yaml"
    try YAML11FormTests.scenario.write(toFile: scenario, atomically: true, encoding: .utf8)
    let cases: [(option: String, value: String, expect: [String])] = [
      ("--grid", "game.stake=10:100", ["--grid game.stake=10:100", "'10:100'", "start:stop:step", "10:100:10"]),
      ("--grid", "game.stake=10,0x20", ["game.stake", "'0x20'", "write 32"]),
      ("--grid", "game.stake=0x10:0x20:1", ["'0x10'", "write 16"]),
      ("--grid", "game.stake=1:2:3:4", ["start:stop:step"]),
      ("--range", "game.stake=017:100", ["--range game.stake=017:100", "'017'", "write 17"]),
      ("--grid", "output.steps=true,no", ["output.steps", "'no'", "write false"]),
    ]
    for (option, value, expected) in cases {
      let (status, output) = try TestSupport.agora(
        [
          "sweep", scenario, option, value, "--design", option == "--range" ? "lhs" : "grid", "--samples", "2",
          "--out", folder + "/out", "--quiet",
        ])
      #expect(status == 2, "\(option) \(value): \(output)")
      for piece in expected { #expect(output.contains(piece), "\(option) \(value): \(output)") }
    }
    let (status, output) = try TestSupport.agora(
      ["sweep", scenario, "--grid", "game.stake=10:100:30", "--out", folder + "/stepped", "--quiet"])
    #expect(status == 0, "\(output)")
    let summary = String(decoding: TestSupport.bytes(folder + "/stepped/summary.csv"), as: UTF8.self)
    #expect(summary.split(separator: "\n").count == 5, "10, 40, 70, 100: \(summary)")
  }
}
