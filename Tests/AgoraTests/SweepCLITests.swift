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

  func sweepArguments(_ scenario: String, out: String, seeds: Int = 8) -> [String] {
    [
      "sweep", scenario, "--grid", "population.segments.0.decoding.temperature=0.1,0.3", "--grid", "game.stake=10,100",
      "--seeds", "\(seeds)", "--keep-steps", "--out", out, "--quiet",
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

  @Test("the Slurm script of a dry run, started as a resubmitted task (count 1), runs shard i of N; merge says how")
  func slurmScriptWithoutSlurm() throws {
    let (folder, scenario) = try setUp()
    let out = folder + "/dry"
    let dry = try TestSupport.agora(
      sweepArguments(scenario, out: out) + ["--slurm", "--shards", "3", "--array-parallelism", "1", "--dry-run"])
    #expect(dry.status == 0 && dry.output.contains("3 array tasks for 32 runs"), "\(dry.output)")
    let script = URL(fileURLWithPath: out).standardized.path + "/slurm/sweep.sbatch"
    // What Slurm sets for `sbatch --array=1 sweep.sbatch`: the task id, and a count of 1.
    let task = ["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "1", "SLURM_ARRAY_JOB_ID": "7"]
    let ran = try TestSupport.run(["bash", script], environment: task)
    #expect(ran.status == 0, "\(ran.output)")
    #expect(ran.output.contains("agora: slurm job 7 task 1 (shard 1/3) on "), "\(ran.output)")
    #expect(ran.output.contains("shard 1/3 (10+ runs)"), "\(ran.output)")
    #expect(ran.output.contains("sweep 11/11 runs (100%)") && ran.output.contains("ran 11 runs in"), "\(ran.output)")
    #expect(try SweepRunner.finishedRuns(in: out) == Set(stride(from: 1, to: 32, by: 3)))

    // merge names the array tasks that own the missing runs, and the line that resubmits them.
    let refused = try TestSupport.agora(["merge", out])
    #expect(refused.status == 1, "\(refused.output)")
    #expect(refused.output.contains("21 of 32 runs are not finished"), "\(refused.output)")
    #expect(refused.output.contains("Slurm array tasks 0,2 "), "\(refused.output)")
    #expect(refused.output.contains("\n  sbatch --array=0,2%1 \(script)\n"), "\(refused.output)")

    // A node that does not see the sweep's folder: the task stops with an error before starting a sweep of its own.
    let moved = folder + "/moved"
    try FileManager.default.moveItem(atPath: out, toPath: moved)
    let lost = try TestSupport.run(["bash", moved + "/slurm/sweep.sbatch"], environment: task)
    #expect(lost.status == 1, "\(lost.output)")
    #expect(lost.output.contains("error: no sweep plan \(URL(fileURLWithPath: out).standardized.path)/sweep.json on "))
    #expect(lost.output.contains("must be on a filesystem every node sees"), "\(lost.output)")
    #expect(!FileManager.default.fileExists(atPath: out))
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

  @Test(
    "a Slurm array task cancelled part-way, resubmitted with the sbatch line Agora prints: merge gives the local summary",
    .enabled(
      if: SlurmJob.available("sbatch") || slurmRequired,
      "sbatch is not on the PATH: no Slurm cluster here (.ci/slurm-up starts one on localhost; CI always runs this)"),
    .timeLimit(.minutes(5)))
  func slurmResubmit() throws {
    let (folder, scenario) = try setUp()
    let local = folder + "/local"
    #expect(try TestSupport.agora(sweepArguments(scenario, out: local, seeds: 24)).status == 0)
    let out = folder + "/slurm"
    // 96 runs in 3 array tasks of 32, one task at a time: task 2 (runs 2, 5, ..., 95) starts after the others.
    let waitLog = folder + "/wait.log"
    #expect(FileManager.default.createFile(atPath: waitLog, contents: nil))
    let log = try FileHandle(forWritingTo: URL(fileURLWithPath: waitLog))
    let waiting = Process()
    waiting.executableURL = URL(fileURLWithPath: TestSupport.agoraExecutable)
    waiting.arguments =
      sweepArguments(scenario, out: out, seeds: 24) + [
        "--slurm", "--shards", "3", "--array-parallelism", "1", "--wait",
      ]
    waiting.currentDirectoryURL = TestSupport.repositoryRoot
    waiting.standardOutput = log
    waiting.standardError = log
    try waiting.run()
    let text = { String(decoding: TestSupport.bytes(waitLog), as: UTF8.self) }
    let deadline = Date().addingTimeInterval(180)
    var job: String?
    while job == nil && waiting.isRunning && Date() < deadline {
      job = text().firstMatch(of: /Submitted Slurm job (\d+):/).map { String($0.1) }
      usleep(20_000)
    }
    let id = try #require(job, "no job id: \(text())")
    // Cancel task 2 once it has finished a run of its shard: Slurm sends it SIGTERM part-way through.
    let shardTwo = { ((try? SweepRunner.finishedRuns(in: out)) ?? []).filter { $0 % 3 == 2 }.count }
    while shardTwo() < 1 && waiting.isRunning && Date() < deadline { usleep(2_000) }
    let cancel = try TestSupport.run(["scancel", "\(id)_2"])
    #expect(cancel.status == 0, "\(cancel.output)")
    waiting.waitUntilExit()
    try log.close()
    let cancelledAfter = shardTwo()
    #expect(cancelledAfter >= 1 && cancelledAfter < 32, "task 2 cancelled after \(cancelledAfter) of its 32 runs")
    #expect(waiting.terminationStatus == 1, "\(text())")
    #expect(text().contains("array tasks 2 failed"), "\(text())")
    let printed = text().split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { $0.hasPrefix("sbatch --array=") }
    let script = URL(fileURLWithPath: out).standardized.path + "/slurm/sweep.sbatch"
    #expect(printed == ["sbatch --array=2 \(script)"], "\(text())")
    #expect(!FileManager.default.fileExists(atPath: out + "/summary.csv"))

    // agora merge refuses, naming the same array task and the same command.
    let refused = try TestSupport.agora(["merge", out])
    #expect(refused.status == 1, "\(refused.output)")
    #expect(refused.output.contains("array tasks 2 "), "\(refused.output)")
    #expect(refused.output.contains("\n  sbatch --array=2 \(script)\n"), "\(refused.output)")

    // The printed command, run as printed, runs shard 2 of 3 again; then agora merge succeeds.
    let command = try #require(printed.first)
    let resubmitted = try TestSupport.run(["/bin/sh", "-c", command])
    #expect(resubmitted.status == 0, "\(resubmitted.output)")
    let second = try #require(
      resubmitted.output.firstMatch(of: /Submitted batch job (\d+)/).map { String($0.1) }, "\(resubmitted.output)")
    while try SlurmJob.isQueued(second) && Date() < deadline { usleep(200_000) }
    #expect(try !SlurmJob.isQueued(second), "job \(second) still queued after 3 minutes")
    let merged = try TestSupport.agora(["merge", out])
    #expect(merged.status == 0 && merged.output.contains("merged 96 runs"), "\(merged.output)")
    #expect(TestSupport.bytes(local + "/summary.csv") == TestSupport.bytes(out + "/summary.csv"))
    #expect(TestSupport.bytes(local + "/steps.csv") == TestSupport.bytes(out + "/steps.csv"))

    // Task logs hold progress lines (not --quiet); task 2's log keeps both attempts.
    let taskLog = { (i: Int) in String(decoding: TestSupport.bytes("\(out)/slurm/task-\(i).log"), as: UTF8.self) }
    #expect(taskLog(0).contains("sweep 32/32 runs (100%)"), "\(taskLog(0))")
    #expect(taskLog(0).contains("ran 32 runs in"), "\(taskLog(0))")
    let attempts = taskLog(2).split(separator: "\n").filter { $0.hasPrefix("agora: slurm job ") }
    #expect(attempts.count == 2, "\(taskLog(2))")
    #expect(attempts.allSatisfy { $0.contains("task 2 (shard 2/3)") }, "\(taskLog(2))")
    #expect(taskLog(2).contains("interrupted: "), "\(taskLog(2))")
    #expect(taskLog(2).contains("sweep 32/32 runs (100%)"), "\(taskLog(2))")
    #expect(
      taskLog(2).contains("ran \(32 - cancelledAfter) runs in")
        && taskLog(2).contains("\(cancelledAfter) were already"),
      "\(taskLog(2))")
  }
}
