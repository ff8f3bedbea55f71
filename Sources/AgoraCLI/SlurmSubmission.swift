import Agora
import ArgumentParser
import Foundation

/// `agora sweep --slurm`: prepares the sweep folder, writes the job-array script, submits it and, with `--wait`,
/// waits for the array and merges.
struct SlurmSubmission {
  var command: SweepCommand
  var plan: SweepPlan
  var directory: String

  func run() throws {
    let options = command.slurm
    let shards = options.shards ?? min(plan.runCount, 16)
    guard (1...plan.runCount).contains(shards) else {
      throw ValidationError("--shards must be from 1 to the number of runs (\(plan.runCount))")
    }
    _ = try fail(exit: 2) {
      try SweepRunner(plan: plan, directory: directory, jobs: 1, shard: .all, force: command.force)
    }
    let cwd = FileManager.default.currentDirectoryPath
    let folder = URL(fileURLWithPath: directory, relativeTo: URL(fileURLWithPath: cwd + "/")).standardized.path
    var job = SlurmJob(
      name: plan.name, shards: shards, command: [Self.executable()] + arguments(), workingDirectory: cwd,
      sweepDirectory: folder)
    job.partition = options.partition
    job.time = options.time
    job.cpusPerTask = options.cpusPerTask
    job.arrayParallelism = options.arrayParallelism
    let logs = job.logDirectory
    let scriptPath = job.scriptPath
    try fail(exit: 1) {
      try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
      try writeAtomically(Data(job.script.utf8), to: scriptPath)
    }
    chmod(scriptPath, 0o755)
    if options.dryRun {
      print(
        "wrote \(scriptPath) (\(shards) array tasks for \(plan.runCount) runs); submit it with: sbatch \(scriptPath)")
      return
    }
    let id = try fail(exit: 1) { try SlurmJob.submit(scriptPath) }
    FileHandle.standardOutput.write(
      Data(
        "Submitted Slurm job \(id): \(shards) array tasks for \(plan.runCount) runs; logs in \(logs)/task-<i>.log\n"
          .utf8))
    guard options.wait else {
      print("when it has finished: agora merge \(directory)")
      return
    }
    var lastCount = -1
    while try fail(exit: 1, { try SlurmJob.isQueued(id) }) {
      let done = (try? SweepRunner.finishedRuns(in: directory).count) ?? 0
      if done != lastCount && !command.quiet {
        Terminal.note("slurm job \(id): \(done)/\(plan.runCount) runs finished")
        lastCount = done
      }
      Thread.sleep(forTimeInterval: 2)
    }
    let finished = try fail(exit: 1) { try SweepRunner.finishedRuns(in: directory) }
    let missing = (0..<plan.runCount).filter { !finished.contains($0) }
    guard missing.isEmpty else {
      let failed = SlurmJob.tasks(owning: missing, shards: shards)
      Terminal.error(
        "slurm job \(id) ended with \(missing.count) of \(plan.runCount) runs unfinished: array tasks "
          + "\(SlurmJob.arrayList(failed)) failed (see \(logs)/task-<i>.log)")
      Terminal.note(
        Self.resubmission(
          tasks: failed, parallelism: options.arrayParallelism, scriptPath: scriptPath, directory: directory))
      throw ExitCode.failure
    }
    let merged = try fail(exit: 1) { try SweepRunner.merge(directory: directory, report: !command.noReport) }
    print("Results in \(directory)/: \(merged.files.joined(separator: ", "))")
  }

  /// The `agora sweep` arguments each task repeats: everything but the Slurm options, `--shard`, `--jobs` and
  /// `--quiet` (a task always logs its progress, whatever the submitting terminal asked for).
  func arguments() -> [String] {
    var args = ["sweep", command.file]
    for g in command.grids { args += ["--grid", g] }
    for r in command.ranges { args += ["--range", r] }
    if let d = command.design { args += ["--design", d] }
    if let s = command.samples { args += ["--samples", String(s)] }
    if let s = command.seeds { args += ["--seeds", String(s)] }
    if let s = command.seed { args += ["--seed", String(s)] }
    for o in command.overrides { args += ["--set", o] }
    if let m = command.metrics { args += ["--metrics", m] }
    if command.keepSteps { args.append("--keep-steps") }
    if command.keepAgents { args.append("--keep-agents") }
    for table in command.keep { args += ["--keep", table] }
    if command.noReport { args.append("--no-report") }
    for name in command.allowKeyEnv { args += ["--allow-key-env", name] }
    args += ["--out", directory]
    return args
  }

  /// How to finish a sweep whose array `tasks` failed: the `sbatch` line that resubmits them, on a line of its own
  /// so that it can be copied as it is, then the merge.
  static func resubmission(tasks: [Int], parallelism: Int?, scriptPath: String, directory: String) -> String {
    "resubmit the failed array tasks (each runs the same shard again, keeping its finished runs) with:\n  "
      + SlurmJob.resubmitCommand(tasks: tasks, parallelism: parallelism, scriptPath: scriptPath)
      + "\nthen, once they have finished: agora merge \(SlurmJob.quote(directory))"
  }

  /// The absolute path of the running `agora`.
  static func executable() -> String {
    if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
    return URL(fileURLWithPath: CommandLine.arguments[0]).standardized.path
  }
}
