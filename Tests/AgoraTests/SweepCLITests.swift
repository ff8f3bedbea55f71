import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraLanguageModel
@testable import AgoraModels
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

/// `agora sweep`, `merge` and `run --from-sweep` as a user runs them: real processes, killed at real moments.
@Suite("Sweep (CLI)", .serialized)
struct SweepCLITests {
  /// A scenario file in a new folder, big enough that a sweep of it takes a few seconds in a debug build.
  func setUp() throws -> (folder: String, scenario: String) {
    let folder = TestSupport.temporaryDirectory()
    let scenario = folder + "/cli.yaml"
    try """
    name: cli
    seed: 3
    game: {type: ultimatum, rounds: 8}
    population:
      size: 1500
      segments:
        - {name: a, share: 0.6, decoding: {temperature: 0.2}}
        - {name: b, share: 0.4, decoding: {temperature: 0.5}}
    """.write(toFile: scenario, atomically: true, encoding: .utf8)
    return (folder, scenario)
  }

  func sweepArguments(_ scenario: String, out: String) -> [String] {
    [
      "sweep", scenario, "--grid", "population.segments.0.decoding.temperature=0.1,0.3", "--grid", "game.stake=10,100",
      "--seeds", "8", "--keep-steps", "--out", out, "--quiet",
    ]
  }

  /// Starts `agora` and kills it with `signal` once `out` holds at least `runs` finished runs.
  func interrupt(_ arguments: [String], out: String, after runs: Int, signal: Int32) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: TestSupport.agoraExecutable)
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(60)
    while process.isRunning && Date() < deadline {
      if ((try? SweepRunner.finishedRuns(in: out).count) ?? 0) >= runs { break }
      usleep(2_000)
    }
    kill(process.processIdentifier, signal)
    process.waitUntilExit()
    return process.terminationStatus
  }

  @Test("SIGKILL and SIGINT part-way, then the same command: the same files as an uninterrupted sweep")
  func killAndResume() throws {
    let (folder, scenario) = try setUp()
    let whole = folder + "/whole"
    let (status, output) = try TestSupport.agora(sweepArguments(scenario, out: whole))
    #expect(status == 0, "\(output)")
    for (signal, expected) in [(SIGKILL, Int32(SIGKILL)), (SIGINT, Int32(130))] {
      let out = folder + "/killed-\(signal)"
      let code = try interrupt(sweepArguments(scenario, out: out), out: out, after: 5, signal: signal)
      let finished = try SweepRunner.finishedRuns(in: out).count
      #expect(code == expected)
      #expect(finished >= 5 && finished < 32, "killed after \(finished) of 32 runs")
      #expect(!FileManager.default.fileExists(atPath: out + "/summary.csv"))
      let resumed = try TestSupport.agora(sweepArguments(scenario, out: out).dropLast())
      #expect(resumed.status == 0, "\(resumed.output)")
      #expect(resumed.output.contains("\(finished) were already finished"), "\(resumed.output)")
      for file in ["summary.csv", "steps.csv", "segments.csv"] {
        #expect(
          TestSupport.bytes("\(whole)/\(file)") == TestSupport.bytes("\(out)/\(file)"), "\(file) after signal \(signal)"
        )
      }
    }
  }

  @Test("shards merged by agora merge equal the unsharded sweep; run --from-sweep reproduces a row")
  func shardsMergeAndRerun() throws {
    let (folder, scenario) = try setUp()
    let whole = folder + "/whole"
    #expect(try TestSupport.agora(sweepArguments(scenario, out: whole)).status == 0)
    let sharded = folder + "/sharded"
    for i in 0..<3 {
      let r = try TestSupport.agora(sweepArguments(scenario, out: sharded) + ["--shard", "\(i)/3"])
      #expect(r.status == 0, "\(r.output)")
    }
    try FileManager.default.removeItem(atPath: sharded + "/summary.csv")
    let merged = try TestSupport.agora(["merge", sharded])
    #expect(merged.status == 0 && merged.output.contains("merged 32 runs"), "\(merged.output)")
    #expect(TestSupport.bytes(whole + "/summary.csv") == TestSupport.bytes(sharded + "/summary.csv"))
    #expect(TestSupport.bytes(whole + "/steps.csv") == TestSupport.bytes(sharded + "/steps.csv"))

    let rerun = try TestSupport.agora(["run", "--from-sweep", whole, "--run-index", "17", "--quiet"])
    #expect(rerun.status == 0, "\(rerun.output)")
    let lines = { (path: String) in String(decoding: TestSupport.bytes(path), as: UTF8.self).split(separator: "\n") }
    #expect(lines(whole + "/runs/run-17/summary.csv")[1] == lines(whole + "/summary.csv")[18])
    let bad = try TestSupport.agora(["merge", folder])
    #expect(bad.status != 0 && bad.output.contains("sweep.json"))
  }

  static let slurmRequired = ProcessInfo.processInfo.environment["AGORA_REQUIRE_SLURM"] == "1"

  @Test(
    "a sweep through Slurm (--slurm --wait, 3 array tasks) merges into the same summary.csv as a local sweep",
    .enabled(
      if: SlurmJob.available("sbatch") || slurmRequired,
      "sbatch is not on the PATH: no Slurm cluster here (.ci/slurm-up starts one on localhost; CI always runs this)"),
    .timeLimit(.minutes(5)))
  func slurm() throws {
    let (folder, scenario) = try setUp()
    let local = folder + "/local"
    #expect(try TestSupport.agora(sweepArguments(scenario, out: local)).status == 0)
    let viaSlurm = folder + "/slurm"
    let r = try TestSupport.agora(sweepArguments(scenario, out: viaSlurm) + ["--slurm", "--shards", "3", "--wait"])
    #expect(r.status == 0, "\(r.output)")
    #expect(r.output.contains("Submitted Slurm job"), "\(r.output)")
    let logs = (try? FileManager.default.contentsOfDirectory(atPath: viaSlurm + "/slurm")) ?? []
    #expect(logs.filter { $0.hasPrefix("task-") }.count == 3)
    #expect(TestSupport.bytes(local + "/summary.csv") == TestSupport.bytes(viaSlurm + "/summary.csv"))
    #expect(TestSupport.bytes(local + "/steps.csv") == TestSupport.bytes(viaSlurm + "/steps.csv"))
  }
}
