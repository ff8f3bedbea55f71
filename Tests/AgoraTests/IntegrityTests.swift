import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraLanguageModel
@testable import AgoraModels
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

/// Nothing lost, nothing mislabelled: sweep folders with one owner and one plan, run folders that are complete or
/// visibly incomplete, merges that refuse rows that do not belong. Real processes, started at the same moment.
@Suite("Integrity (CLI)", .serialized)
struct IntegrityTests {
  /// A small, fast scenario file in a new folder.
  func setUp(size: Int = 100, rounds: Int = 2) throws -> (folder: String, scenario: String) {
    let folder = TestSupport.temporaryDirectory()
    let scenario = folder + "/integrity.yaml"
    try """
    name: integrity
    seed: 5
    game: {type: ultimatum, rounds: \(rounds)}
    population: {size: \(size), segments: [{name: a, decoding: {temperature: 0.3}}]}
    """.write(toFile: scenario, atomically: true, encoding: .utf8)
    return (folder, scenario)
  }

  /// Starts `agora` with `arguments`; its output goes to a file read by ``finish(_:)``.
  func start(_ arguments: [String]) throws -> (Process, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: TestSupport.agoraExecutable)
    process.arguments = arguments
    process.currentDirectoryURL = TestSupport.repositoryRoot
    let log = TestSupport.temporaryDirectory() + "/log.txt"
    _ = FileManager.default.createFile(atPath: log, contents: nil)
    let handle = FileHandle(forWritingAtPath: log)!
    process.standardOutput = handle
    process.standardError = handle
    try process.run()
    return (process, log)
  }

  func finish(_ started: (Process, String)) -> (status: Int32, output: String) {
    started.0.waitUntilExit()
    return (started.0.terminationStatus, String(decoding: TestSupport.bytes(started.1), as: UTF8.self))
  }

  /// The column `name` of a CSV file.
  func column(_ name: String, of path: String) throws -> [String] {
    let table = try CSVTable(contentsOf: path)
    let k = try #require(table.columns.firstIndex(of: name), "\(path) has no column \(name)")
    return table.rows.map { $0[k] }
  }

  @Test("--grid on a key the sweep file sweeps replaces that axis: every row is labelled with what it played")
  func gridReplacesAxis() throws {
    let out = TestSupport.temporaryDirectory() + "/persuasion"
    let (status, output) = try TestSupport.agora([
      "sweep", "Scenarios/sweeps/glee_persuasion.yaml", "--grid", "game.buyer=long_lived", "--grid",
      "game.stake=100", "--set", "population.size=20", "--set", "game.rounds=2", "--out", out,
    ])
    #expect(status == 0, "\(output)")
    #expect(output.contains("replaces the sweep file's axis"), "\(output)")
    // 3 priors x 5 values x 1 stake x 2 x 2 x 1 buyer: the replaced axes have one value each.
    let buyer = try column("buyer", of: out + "/summary.csv")
    #expect(buyer.count == 60)
    #expect(Set(buyer) == ["long_lived"])
    #expect(Set(try column("stake", of: out + "/summary.csv")) == ["100.0"])
    let plan = try SweepRunner.storedPlan(in: out)
    #expect(plan.parameters.map(\.key).filter { $0 == "game.buyer" }.count == 1)
  }

  @Test("two different sweeps started at the same moment into one folder: one runs, the other is refused (20 trials)")
  func concurrentDifferentSweeps() throws {
    let (folder, scenario) = try setUp()
    var refused = 0
    for trial in 0..<20 {
      let out = "\(folder)/race-\(trial)"
      func arguments(_ stakes: String) -> [String] {
        ["sweep", scenario, "--grid", "game.stake=\(stakes)", "--seeds", "6", "--out", out, "--quiet"]
      }
      let a = try start(arguments("10,20"))
      let b = try start(arguments("30,40,50"))
      let results = [finish(a), finish(b)]
      let winners = results.indices.filter { results[$0].status == 0 }
      #expect(winners.count == 1, "trial \(trial): \(results)")
      guard let winner = winners.first else { continue }
      let loser = results[1 - winner]
      #expect(loser.status == 2, "trial \(trial): \(loser)")
      #expect(loser.output.contains("holds a different sweep"), "trial \(trial): \(loser.output)")
      refused += 1
      // The folder holds the winner's plan and exactly the winner's rows, labelled with the winner's values.
      let stakes = winner == 0 ? ["10", "20"] : ["30", "40", "50"]
      let plan = try SweepRunner.storedPlan(in: out)
      #expect(plan.points.map(\.[0]) == stakes, "trial \(trial)")
      let labels = try column("stake", of: out + "/summary.csv")
      #expect(labels == stakes.flatMap { Array(repeating: $0 + ".0", count: 6) }, "trial \(trial)")
      // A resume of the loser's command is refused again; the folder is unchanged.
      let again = try TestSupport.agora(arguments(winner == 0 ? "30,40,50" : "10,20"))
      #expect(again.status == 2, "\(again.output)")
    }
    #expect(refused == 20)
  }

  @Test("--force while another sweep works in the folder is refused, and that sweep keeps all its runs (20 trials)")
  func forceWhileRunning() throws {
    let (folder, scenario) = try setUp(size: 400, rounds: 4)
    var mutator = RobustnessTests.Mutator(state: 15)
    var refusals = 0
    for trial in 0..<20 {
      let out = "\(folder)/force-\(trial)"
      let a = try start(["sweep", scenario, "--grid", "game.stake=10,20", "--seeds", "60", "--out", out, "--quiet"])
      let deadline = Date().addingTimeInterval(30)
      while !FileManager.default.fileExists(atPath: out + "/sweep.json") && Date() < deadline { usleep(1_000) }
      usleep(UInt32(1_000 * mutator.next(150)))
      let wasRunning = a.0.isRunning
      let b = try TestSupport.agora([
        "sweep", scenario, "--grid", "game.stake=30", "--seeds", "2", "--out", out, "--force", "--quiet",
      ])
      let first = finish(a)
      #expect(first.status == 0, "trial \(trial): \(first.output)")
      if wasRunning && b.status != 0 {
        #expect(b.status == 2 && b.output.contains("working in"), "trial \(trial): \(b.output)")
        refusals += 1
        #expect(try column("run_index", of: out + "/summary.csv").count == 120, "trial \(trial): runs lost")
        #expect(try SweepRunner.storedPlan(in: out).runCount == 120)
      } else {
        // The first sweep had finished: --force may start over, and then the folder holds the second sweep alone.
        #expect(b.status == 0, "trial \(trial): \(b.output)")
        #expect(try column("stake", of: out + "/summary.csv") == ["30", "30"], "trial \(trial)")
      }
    }
    print("--force while running: \(refusals) of 20 trials refused while the first sweep ran")
    #expect(refusals >= 10, "most trials must catch the first sweep running")
  }

  @Test("a sweep that fails late leaves the folder as it was, so the corrected command runs")
  func lateFailureLeavesNothing() throws {
    let (folder, scenario) = try setUp()
    let out = folder + "/late"
    let bad = try TestSupport.agora([
      "sweep", scenario, "--seeds", "3", "--metrics", "efficency", "--out", out, "--quiet",
    ])
    #expect(bad.status != 0 && bad.output.contains("did you mean 'efficiency'"), "\(bad.output)")
    #expect(!FileManager.default.fileExists(atPath: out), "the failed sweep left \(out)")
    let good = try TestSupport.agora([
      "sweep", scenario, "--seeds", "3", "--metrics", "efficiency", "--out", out, "--quiet",
    ])
    #expect(good.status == 0, "\(good.output)")
    #expect(try column("efficiency", of: out + "/summary.csv").count == 3)
  }

  @Test("merge refuses ragged rows, run indices outside the plan and 23-digit numbers, with the line; no crash")
  func mergeRefusesForeignRows() throws {
    let (folder, scenario) = try setUp()
    let out = folder + "/merge"
    let arguments = ["sweep", scenario, "--grid", "game.stake=10,20", "--seeds", "2", "--out", out, "--quiet"]
    #expect(try TestSupport.agora(arguments).status == 0)
    let part = out + "/parts/summary.local.0.csv"
    let original = TestSupport.bytes(part)
    let lines = String(decoding: original, as: UTF8.self).split(separator: "\n").map(String.init)
    let cases: [(String, String)] = [
      (lines[1] + ",extra", "fields under a header"),
      ("99" + lines[1].drop { $0 != "," }, "not a run of the plan"),
      ("12345678901234567890123" + lines[1].drop { $0 != "," }, "not a run of the plan"),
      // Run 1's row under another sweep's seed: a row of another plan.
      ("1,12345," + lines[2].split(separator: ",", maxSplits: 2)[2], "seed is '12345'"),
    ]
    for (row, message) in cases {
      try (String(decoding: original, as: UTF8.self) + row + "\n").write(
        toFile: part, atomically: true, encoding: .utf8)
      try? FileManager.default.removeItem(atPath: out + "/summary.csv")
      let merged = try TestSupport.agora(["merge", out])
      #expect(merged.status == 1, "\(row): \(merged.output)")
      #expect(merged.output.contains(message) && merged.output.contains("line 6"), "\(row): \(merged.output)")
      #expect(!FileManager.default.fileExists(atPath: out + "/summary.csv"))
      // The same folder swept again: no crash, the same refusal.
      let resumed = try TestSupport.agora(arguments)
      #expect(resumed.status == 1 && resumed.output.contains(message), "\(resumed.output)")
    }
    try original.write(to: URL(fileURLWithPath: part))
    #expect(try TestSupport.agora(["merge", out]).status == 0)
  }

  @Test("temporary files are removed by a signal and cleaned by the next run; SIGHUP ends a sweep like SIGTERM")
  func temporaryFiles() throws {
    let (folder, scenario) = try setUp(size: 800, rounds: 4)
    let out = folder + "/tmp"
    let arguments = ["sweep", scenario, "--seeds", "200", "--out", out, "--quiet"]
    let stale = [out + "/summary.csv.tmp-4194305", out + "/parts/steps.csv.tmp-4194306"]
    let a = try start(arguments)
    let deadline = Date().addingTimeInterval(30)
    while ((try? SweepRunner.finishedRuns(in: out).count) ?? 0) < 3 && Date() < deadline { usleep(2_000) }
    for path in stale { _ = FileManager.default.createFile(atPath: path, contents: Data("x".utf8)) }
    kill(a.0.processIdentifier, SIGHUP)
    let hung = finish(a)
    #expect(hung.status == 128 + SIGHUP, "\(hung.output)")
    #expect(hung.output.contains("interrupted"), "\(hung.output)")
    let left =
      ((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? [])
      + ((try? FileManager.default.contentsOfDirectory(atPath: out + "/parts")) ?? [])
    #expect(!left.contains { $0.contains(".tmp") }, "\(left)")
    for path in stale { _ = FileManager.default.createFile(atPath: path, contents: Data("x".utf8)) }
    #expect(try TestSupport.agora(arguments).status == 0)
    for path in stale { #expect(!FileManager.default.fileExists(atPath: path), "\(path) was left") }
  }

  @Test("run --force removes the old manifest first and every file the new run does not write")
  func runForce() throws {
    let (folder, scenario) = try setUp(size: 200)
    let out = folder + "/run"
    let first = try TestSupport.agora([
      "run", scenario, "--set", "output.events=true", "--out", out, "--quiet",
    ])
    #expect(first.status == 0, "\(first.output)")
    #expect(FileManager.default.fileExists(atPath: out + "/events.csv"))
    let second = try TestSupport.agora([
      "run", scenario, "--set", "output.agents=false", "--seed", "9", "--out", out, "--force", "--quiet",
    ])
    #expect(second.status == 0, "\(second.output)")
    let files = Set(try FileManager.default.contentsOfDirectory(atPath: out))
    #expect(!files.contains("events.csv") && !files.contains("agents.csv"), "\(files)")
    #expect(Set(try column("seed", of: out + "/steps.csv")) == ["9"])
    // Interrupted while the new run plays: no manifest claims the folder is complete.
    let big = try start([
      "run", scenario, "--set", "population.size=3000000", "--set", "game.rounds=20", "--out", out, "--force",
      "--quiet",
    ])
    let deadline = Date().addingTimeInterval(30)
    while FileManager.default.fileExists(atPath: out + "/manifest.json") && Date() < deadline { usleep(2_000) }
    usleep(300_000)
    kill(big.0.processIdentifier, SIGINT)
    let stopped = finish(big)
    #expect(stopped.status == 130, "\(stopped.output)")
    let left = Set(try FileManager.default.contentsOfDirectory(atPath: out))
    #expect(!left.contains("manifest.json") && !left.contains("summary.csv"), "\(left)")
  }

  @Test("sweep sizes that overflow or cannot fit are refused up front with exit 2")
  func sweepBounds() throws {
    let (folder, scenario) = try setUp()
    let seeds = try TestSupport.agora([
      "sweep", scenario, "--seeds", "4611686018427387904", "--out", folder + "/seeds", "--quiet",
    ])
    #expect(seeds.status == 2 && seeds.output.contains("--seeds"), "\(seeds.output)")
    let axes = try TestSupport.agora([
      "sweep", scenario, "--seeds", "100000", "--grid", "game.stake=1:2000:1", "--out", folder + "/axes", "--quiet",
    ])
    #expect(axes.status == 2 && axes.output.contains("split the sweep"), "\(axes.output)")
    #expect(!FileManager.default.fileExists(atPath: folder + "/axes"))
    let huge = try TestSupport.agora([
      "sweep", scenario, "--set", "population.size=1000000000", "--seeds", "2", "--out", folder + "/huge", "--quiet",
    ])
    #expect(huge.status == 2 && huge.output.contains("MiB"), "\(huge.output)")
    #expect(!FileManager.default.fileExists(atPath: folder + "/huge"))
  }

  @Test("nested YAML aliases, huge files and huge values are refused at once with a short message")
  func hostileFiles() throws {
    let folder = TestSupport.temporaryDirectory()
    // Each level doubles the last: 40 levels stand for 2^40 values in 1 KB of text.
    var bomb = "a0: &a0 [1, 1]\n"
    for k in 1..<40 { bomb += "a\(k): &a\(k) [*a\(k - 1), *a\(k - 1)]\n" }
    bomb += "game: {type: ultimatum}\npopulation: {size: 10, segments: [{name: a}]}\n"
    let path = folder + "/bomb.yaml"
    try bomb.write(toFile: path, atomically: true, encoding: .utf8)
    let start = Date()
    let refused = try TestSupport.agora(["validate", path])
    #expect(refused.status == 2 && refused.output.contains("expands to more than"), "\(refused.output)")
    #expect(Date().timeIntervalSince(start) < 10 && refused.output.count < 2000)
    let big = folder + "/big.yaml"
    try ("description: \"" + String(repeating: "x", count: 9 << 20) + "\"\n").write(
      toFile: big, atomically: true, encoding: .utf8)
    let large = try TestSupport.agora(["validate", big])
    #expect(large.status == 2 && large.output.contains("bytes"), "\(large.output.prefix(500))")
    let long = String(repeating: "y", count: 100_000)
    let cut = try TestSupport.agora(["validate", "Scenarios/ultimatum.yaml", "--set", "game.type=\(long)"])
    #expect(cut.status == 2 && cut.output.contains("more characters") && cut.output.count < 3000, "\(cut.output.count)")
  }

  @Test("an unwritable output folder is refused before anything is simulated")
  func unwritableBeforeSimulation() throws {
    let start = Date()
    let result = try TestSupport.agora([
      "run", "Scenarios/ultimatum.yaml", "--set", "population.size=5000000", "--out", "/proc/agora-before", "--quiet",
    ])
    #expect(result.status != 0 && result.output.contains("cannot write /proc/agora-before"), "\(result.output)")
    #expect(Date().timeIntervalSince(start) < 5, "the run was simulated before the folder was checked")
  }

  @Test("agora plot: a 10^5-row series in linear time, values near the largest double without a crash")
  func plotExtremes() throws {
    let folder = TestSupport.temporaryDirectory()
    var rows = "step,value\n"
    for k in 0..<100_000 { rows += "\(k),\(Double(k % 97) * 0.5)\n" }
    try rows.write(toFile: folder + "/series.csv", atomically: true, encoding: .utf8)
    let start = Date()
    let series = try TestSupport.agora(["plot", folder + "/series.csv", "--x", "step", "--y", "value", "--no-png"])
    #expect(series.status == 0, "\(series.output)")
    #expect(Date().timeIntervalSince(start) < 30, "10^5 rows took \(Date().timeIntervalSince(start)) s")
    try "x,y\n1,-1.7e308\n2,1.7e308\n3,1e308\n".write(toFile: folder + "/huge.csv", atomically: true, encoding: .utf8)
    let huge = try TestSupport.agora(["plot", folder + "/huge.csv", "--x", "x", "--y", "y", "--no-png"])
    #expect(huge.status == 0, "\(huge.output)")
    let ticks = Chart.ticks(-1.7e308, 1.7e308)
    #expect(ticks.allSatisfy { $0.isFinite })
    #expect(!Chart.ticks(1e308, 1e308).isEmpty)
  }

  @Test("output.events on a game that logs no interactions is refused, not written as an empty file")
  func eventsOnlyWhereThereAreEvents() throws {
    for file in ["commons", "dark-forest", "schelling"] {
      let result = try TestSupport.agora(["validate", "Scenarios/\(file).yaml", "--set", "output.events=true"])
      #expect(result.status == 2 && result.output.contains("logs no interactions"), "\(file): \(result.output)")
      #expect(result.output.contains("prisoners_dilemma") && result.output.contains("double_auction"), "\(file)")
    }
    for file in [
      "dictator", "trust", "bargaining", "negotiation", "prisoners-dilemma", "public-goods", "persuasion", "matrix",
      "double-auction",
    ] {
      let logged = try TestSupport.agora(["validate", "Scenarios/\(file).yaml", "--set", "output.events=true"])
      #expect(logged.status == 0, "\(file): \(logged.output)")
    }
  }

  @Test("a dark forest whose leaks snowball with its breakthroughs is refused up front (it ran 14 minutes, 5.5 GB)")
  func snowballingLeaks() throws {
    let refused = try TestSupport.agora([
      "validate", "Scenarios/dark-forest.yaml", "--set", "population.size=20000", "--set",
      "game.dark_forest.breakthrough_rate=0.5", "--set", "game.dark_forest.leak_rate=0.5",
    ])
    #expect(refused.status == 2 && refused.output.contains("events"), "\(refused.output)")
    let shipped = try TestSupport.agora(["validate", "Scenarios/dark-forest.yaml"])
    #expect(shipped.status == 0, "\(shipped.output)")
  }
}
