import Foundation
import Testing

@testable import Agora

/// Bad input never crashes Agora, and every scenario is deterministic.
@Suite("Robustness")
struct RobustnessTests {
  static var scenarioFiles: [String] {
    let folder = TestSupport.repositoryRoot.path + "/Scenarios"
    return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".yaml") }
      .sorted()
      .map { folder + "/" + $0 }
  }

  /// A deterministic stream of mutations of a YAML text.
  struct Mutator {
    var state: UInt64
    mutating func next(_ bound: Int) -> Int {
      state = SeedSequence.mix(state)
      return Int(state % UInt64(bound))
    }

    static let values = [
      "-1", "0", "1e308", "-1e308", ".nan", ".inf", "-.inf", "\"\"", "ü🙂 名前", "[]", "{}", "[[[[[[[[[[1]]]]]]]]]]",
      "{a: {b: {c: {d: {e: {f: 1}}}}}}", "true", "99999999999999999999", "0.0000001", "null", "~", "'1'", "-0",
    ]

    mutating func mutate(_ text: String) -> String {
      var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      guard !lines.isEmpty else { return text }
      let i = next(lines.count)
      switch next(7) {
      case 0: lines.remove(at: i)
      case 1: lines.insert(lines[i], at: i)
      case 2:
        if let colon = lines[i].firstIndex(of: ":") {
          lines[i] = String(lines[i][...colon]) + " " + Mutator.values[next(Mutator.values.count)]
        }
      case 3: return String(text.prefix(next(text.count + 1)))
      case 4: lines[i] = "  " + lines[i]
      case 5:
        if let colon = lines[i].firstIndex(of: ":") {
          lines[i] = String(lines[i][..<colon]) + "x" + String(lines[i][colon...])
        }
      default:
        let j = next(lines.count)
        lines.swapAt(i, j)
      }
      return lines.joined(separator: "\n")
    }
  }

  @Test("thousands of mutated scenario files: always a clear error or a valid scenario, never a crash")
  func fuzzScenarios() throws {
    var tried = 0
    var valid = 0
    var messages = Set<String>()
    for file in Self.scenarioFiles {
      let original = try String(contentsOfFile: file, encoding: .utf8)
      let name = URL(fileURLWithPath: file).lastPathComponent
      var mutator = Mutator(state: name.utf8.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 })
      for round in 0..<250 {
        var text = original
        for _ in 0...(round % 3) { text = mutator.mutate(text) }
        tried += 1
        do {
          let spec = try ScenarioLoader.load(yaml: text, source: "fuzz.yaml")
          valid += 1
          #expect(spec.population.size >= 2)
          #expect(Experiment.estimatedBytes(spec) > 0)
        } catch {
          #expect(!error.message.isEmpty)
          #expect(error.file != nil, "the error names its source: \(error)")
          messages.insert(error.message.components(separatedBy: CharacterSet.decimalDigits).joined())
        }
      }
    }
    print("fuzz: \(tried) mutated scenarios, \(valid) valid, \(messages.count) distinct error messages")
    #expect(tried >= 3000)
    #expect(messages.count >= 20)
  }

  @Test("every scenario file gives byte-identical files twice with the same seed, on 1 and 2 threads")
  func determinismAudit() throws {
    for file in Self.scenarioFiles {
      let spec = try ScenarioLoader.load(
        file: file, overrides: ["population.size=300", "game.rounds=3"])
      var outputs: [[String: Data]] = []
      for threads in [1, 1, 2] {
        let folder = TestSupport.temporaryDirectory()
        let (_, files) = try RunFolder.execute(spec, into: folder, threads: threads)
        var bytes: [String: Data] = [:]
        for name in files where name != "manifest.json" { bytes[name] = TestSupport.bytes(folder + "/" + name) }
        outputs.append(bytes)
      }
      #expect(outputs[0] == outputs[1], "\(file): two runs with the same seed differ")
      #expect(outputs[0] == outputs[2], "\(file): 1 and 2 threads differ")
      #expect(outputs[0]["summary.csv"]?.isEmpty == false)
    }
  }

  @Test("an existing run folder is not overwritten without --force; a group larger than the population is refused")
  func outputSafety() throws {
    let folder = TestSupport.temporaryDirectory()
    let args = ["run", "Scenarios/ultimatum.yaml", "--set", "population.size=100", "--out", folder, "--quiet"]
    #expect(try TestSupport.agora(args).status == 0)
    let again = try TestSupport.agora(args)
    #expect(again.status == 2 && again.output.contains("--force"), "\(again.output)")
    #expect(try TestSupport.agora(args + ["--force"]).status == 0)
    let groups = try TestSupport.agora(["validate", "Scenarios/public-goods.yaml", "--set", "population.size=3"])
    #expect(groups.status == 2 && groups.output.contains("matching.size"), "\(groups.output)")
  }

  @Test("SIGINT during a run exits 130 and leaves no partial file and no manifest")
  func interruptedRun() throws {
    let folder = TestSupport.temporaryDirectory() + "/run"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: TestSupport.agoraExecutable)
    process.arguments = [
      "run", TestSupport.repositoryRoot.path + "/Scenarios/ultimatum.yaml", "--set", "population.size=3000000",
      "--out", folder, "--quiet",
    ]
    process.standardError = FileHandle.nullDevice
    try process.run()
    usleep(1_500_000)
    kill(process.processIdentifier, SIGINT)
    process.waitUntilExit()
    #expect(process.terminationStatus == 130)
    let left = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    #expect(!left.contains("manifest.json"))
    #expect(!left.contains { $0.contains(".tmp") }, "partial files: \(left)")
  }
}
