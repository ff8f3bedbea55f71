import Agora
import ArgumentParser
import Foundation

/// `agora merge`: combines a sharded sweep's part files into summary.csv (and the kept long-format files).
struct MergeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge",
    abstract:
      "Merge a sweep's shards into summary.csv and report.html (and steps.csv, segments.csv, agents.csv when kept).",
    discussion: "The result is the same summary.csv an unsharded sweep writes: one row per run, sorted by run_index."
  )

  @Argument(help: "The sweep's folder.")
  var directory: String

  @Flag(help: "Merge even if some runs are unfinished (their rows are missing).")
  var allowMissing = false

  @Flag(help: "Do not write report.html.")
  var noReport = false

  func run() throws {
    let merged: (files: [String], finished: Int, total: Int)
    do { merged = try SweepRunner.merge(directory: directory, allowMissing: allowMissing, report: !noReport) } catch {
      Terminal.error("\(error)")
      if case .incomplete(_, let missing, _) = error, let hint = slurmHint(missing: missing) { Terminal.note(hint) }
      throw ExitCode(1)
    }
    if merged.finished < merged.total {
      Terminal.note("warning: \(merged.total - merged.finished) of \(merged.total) runs are unfinished and missing")
    }
    print("merged \(merged.finished) runs into \(directory)/: \(merged.files.joined(separator: ", "))")
  }

  /// For a sweep submitted with `--slurm`: which array tasks own the missing runs and the command that resubmits
  /// them (read from the folder's `slurm/sweep.sbatch`); `nil` for a sweep that was not.
  func slurmHint(missing: [Int]) -> String? {
    let cwd = FileManager.default.currentDirectoryPath
    let folder = URL(fileURLWithPath: directory, relativeTo: URL(fileURLWithPath: cwd + "/")).standardized.path
    let scriptPath = SlurmJob.scriptPath(of: folder)
    guard let script = try? String(contentsOfFile: scriptPath, encoding: .utf8),
      let shape = SlurmJob.arrayShape(ofScript: script)
    else { return nil }
    let tasks = SlurmJob.tasks(owning: missing, shards: shape.shards)
    return "the missing runs belong to Slurm array tasks \(SlurmJob.arrayList(tasks)) (logs in "
      + "\(SlurmJob.logDirectory(of: folder))/task-<i>.log); if none of them is still queued or running (squeue), "
      + SlurmSubmission.resubmission(
        tasks: tasks, parallelism: shape.parallelism, scriptPath: scriptPath, directory: directory)
  }
}
