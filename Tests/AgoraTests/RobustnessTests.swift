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

/// Bad input never crashes Agora, and every scenario is deterministic.
@Suite("Robustness")
struct RobustnessTests {
  static var scenarioFiles: [String] {
    let folder = TestSupport.repositoryRoot.path + "/Scenarios"
    return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".yaml") }
      .sorted()
      .map { folder + "/" + $0 }
  }

  /// Overrides that make scenario `file` small: `population.size` and `game.rounds`; a scenario on a network read
  /// from a file keeps its population, which is the network's nodes (any other size is refused).
  static func small(_ file: String, size: Int, rounds: Int) -> [String] {
    let fixed = (try? ScenarioLoader.load(file: file))?.matching.network.generator == .file
    return (fixed ? [] : ["population.size=\(size)"]) + ["game.rounds=\(rounds)"]
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

  /// The dotted paths of every number in a composed YAML tree.
  static func numericKeys(_ node: Node, _ path: [String] = []) -> [String] {
    switch node {
    case .mapping(let map): return map.flatMap { numericKeys($0.value, path + [$0.key.string ?? ""]) }
    case .sequence(let list): return list.enumerated().flatMap { numericKeys($0.element, path + [String($0.offset)]) }
    case .scalar(let scalar):
      return scalar.style == .plain && Double(scalar.string)?.isFinite == true ? [path.joined(separator: ".")] : []
    case .alias: return []
    }
  }

  @Test("numeric extremes on every key of every scenario: a clear error or a finished run, never a crash or a hang")
  func numericExtremes() throws {
    let extremes = ["1e-320", "1e12", "1e308", "9223372036854775808", "-1e308"]
    var tried = 0
    var refused = 0
    var slowest = (seconds: 0.0, case: "")
    for file in Self.scenarioFiles {
      let small = Self.small(file, size: 20, rounds: 2)
      let base = try ScenarioLoader.load(file: file, overrides: small)
      if base.population.segments.contains(where: { $0.policy == .llm }) { continue }
      let keys = Self.numericKeys(try #require(try Yams.compose(yaml: try YAMLEncoder().encode(base))))
      #expect(keys.count >= 8, "\(file): \(keys)")
      for key in keys where key != "seed" {
        for value in extremes {
          tried += 1
          let label = "\(URL(fileURLWithPath: file).lastPathComponent) --set \(key)=\(value)"
          let start = Date()
          do {
            let spec = try ScenarioLoader.load(file: file, overrides: small + ["\(key)=\(value)"])
            try MemoryBudget.check(spec)
            let result = try Experiment.run(spec)
            #expect(!Report.html(spec, result).isEmpty)
          } catch let issue as ScenarioIssue {
            refused += 1
            #expect(!issue.message.isEmpty && issue.description.count < 2000, "\(label): \(issue)")
          }
          let seconds = Date().timeIntervalSince(start)
          if seconds > slowest.seconds { slowest = (seconds, label) }
          #expect(seconds < 30, "\(label) took \(seconds) s")
        }
      }
    }
    print(
      "numeric extremes: \(tried) runs, \(refused) refused up front, slowest \(slowest.case) in \(slowest.seconds) s")
    #expect(tried >= 2000)
  }

  @Test("every scenario file gives byte-identical files twice with the same seed, on 1 and 2 threads")
  func determinismAudit() throws {
    for file in Self.scenarioFiles {
      let spec = try ScenarioLoader.load(file: file, overrides: Self.small(file, size: 300, rounds: 3))
      // Language-model scenarios need the server of .ci/llm-up; their cached re-runs must give the same CSVs
      // (llm-usage.json and report.html say how many requests were sent this time, so they differ).
      let asksModel = spec.population.segments.contains { $0.policy == .llm }
      if asksModel && LanguageModelTests.serverURL == nil { continue }
      var outputs: [[String: Data]] = []
      for threads in [1, 1, 2] {
        let folder = TestSupport.temporaryDirectory()
        let (_, files) = try RunFolder.execute(spec, into: folder, threads: threads)
        var bytes: [String: Data] = [:]
        for name in files where name != "manifest.json" && !(asksModel && !name.hasSuffix(".csv")) {
          bytes[name] = TestSupport.bytes(folder + "/" + name)
        }
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

  @Test("limits: each bad value gets its own clear message naming the key")
  func limits() throws {
    let base = "game: {type: ultimatum}\npopulation: {size: 100, segments: [{name: a}]}"
    let cases: [(String, [String], String)] = [
      (base, ["population.size=0"], "population.size"),
      (base, ["population.size=1"], "population.size"),
      (base, ["game.stake=0"], "game.stake"),
      (base, ["game.type=ultimatom"], "did you mean 'ultimatum'"),
      (base, ["population.segments.0.preferences.envy={dist: beta, a: 0, b: 1}"], "beta needs a > 0"),
      (
        base, ["population.segments.0.preferences.envy={dist: discrete, values: [0, 1], probs: [0.5, 0.6]}"], "sum to 1"
      ),
      (base, ["population.segments=[{name: a, share: 0.5}, {name: b, share: 0.6}]"], "sum to 1"),
      (base, ["population.sise=3"], "did you mean 'size'"),
      (base, ["game.mpcr=0.4"], "public_goods"),
      (base, ["population.segments.0.decoding.temperature=-1"], "temperature"),
      (base, ["name=../escape"], "name"),
    ]
    for (yaml, overrides, fragment) in cases {
      do {
        _ = try ScenarioLoader.load(yaml: yaml, source: "limits.yaml", overrides: overrides)
        Issue.record("accepted \(overrides)")
      } catch {
        #expect(error.description.contains(fragment), "\(overrides): \(error.description)")
      }
    }
    // A population that cannot fit in memory is refused up front, with an estimate.
    let huge = try TestSupport.agora([
      "run", "Scenarios/ultimatum.yaml", "--set", "population.size=1000000000", "--out",
      TestSupport.temporaryDirectory() + "/huge", "--quiet",
    ])
    #expect(huge.status == 2 && huge.output.contains("MiB"), "\(huge.output)")
    // Extreme but valid values run: temperature 0 and 1e9 give finite rates.
    for t in ["0", "1000000000"] {
      let spec = try ScenarioLoader.load(
        yaml: base, overrides: ["population.segments.0.decoding.temperature=\(t)", "game.rounds=3"])
      let result = try Experiment.run(spec)
      #expect(TestSupport.number(result, "efficiency").isFinite, "temperature \(t)")
    }
  }

  @Test("unwritable output folders and links out of Results/ give clear errors")
  func unwritable() throws {
    let proc = try TestSupport.agora([
      "run", "Scenarios/ultimatum.yaml", "--set", "population.size=100", "--out", "/proc/agora-test", "--quiet",
    ])
    #expect(proc.status != 0 && proc.output.contains("cannot write /proc/agora-test"), "\(proc.output)")
    let outside = TestSupport.temporaryDirectory()
    let link = TestSupport.repositoryRoot.path + "/Results/robustness-link-\(getpid())"
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: outside)
    defer { try? FileManager.default.removeItem(atPath: link) }
    let escaped = try TestSupport.agora([
      "run", "Scenarios/ultimatum.yaml", "--set", "name=robustness-link-\(getpid())", "--set", "population.size=100",
      "--quiet",
    ])
    #expect(escaped.status == 2 && escaped.output.contains("outside the output root"), "\(escaped.output)")
    #expect((try? FileManager.default.contentsOfDirectory(atPath: outside))?.isEmpty ?? true)
  }

  @Test("a sweep killed at 20+ random moments (SIGKILL, SIGINT, SIGTERM) resumes to the uninterrupted result")
  func randomKills() throws {
    let folder = TestSupport.temporaryDirectory()
    let scenario = folder + "/kill.yaml"
    try """
    name: kill
    seed: 8
    game: {type: ultimatum, rounds: 6}
    population: {size: 2500, segments: [{name: a, decoding: {temperature: 0.3}}]}
    """.write(toFile: scenario, atomically: true, encoding: .utf8)
    func arguments(_ out: String) -> [String] {
      ["sweep", scenario, "--grid", "game.stake=10,50,100", "--seeds", "60", "--keep-steps", "--out", out, "--quiet"]
    }
    let whole = folder + "/whole"
    #expect(try TestSupport.agora(arguments(whole)).status == 0)
    var folders = 0
    var out = folder + "/killed-0"
    var mutator = Mutator(state: 2026)
    var kills = 0
    func check(_ out: String) {
      for file in ["summary.csv", "steps.csv", "segments.csv"] {
        #expect(TestSupport.bytes("\(whole)/\(file)") == TestSupport.bytes("\(out)/\(file)"), "\(out)/\(file)")
      }
    }
    while kills < 24 {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: TestSupport.agoraExecutable)
      process.arguments = arguments(out)
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      usleep(UInt32(30_000 + 10_000 * mutator.next(30)))
      guard process.isRunning else {
        // A fast machine finished the sweep between kills: it must be complete and right; go on in a new folder.
        process.waitUntilExit()
        check(out)
        folders += 1
        out = folder + "/killed-\(folders)"
        continue
      }
      kill(process.processIdentifier, [SIGKILL, SIGINT, SIGTERM][kills % 3])
      process.waitUntilExit()
      kills += 1
      // Whatever the moment, no final file is partial: summary.csv exists only once every run is in (the signal
      // may land just after the last run and the merge), and then it is complete.
      if FileManager.default.fileExists(atPath: out + "/summary.csv") {
        check(out)
        folders += 1
        out = folder + "/killed-\(folders)"
      }
    }
    print(
      "random kills: \(kills) processes killed, \((try? SweepRunner.finishedRuns(in: out).count) ?? 0) of 180 runs "
        + "kept in the last folder (\(folders) completed earlier)")
    #expect(kills >= 20)
    let last = try TestSupport.agora(arguments(out))
    #expect(last.status == 0, "\(last.output)")
    check(out)
  }
}
