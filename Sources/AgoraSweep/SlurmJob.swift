import AgoraCore
import AgoraOutput
import AgoraScenario
import Foundation

/// A sweep as a Slurm job array: one array task per shard, each running
/// `agora sweep ... --shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT` in the submitting folder.
public struct SlurmJob: Sendable {
  /// The job's name in the queue.
  public var name: String
  /// Array tasks, one per shard.
  public var shards: Int
  /// The `agora sweep` command line (program first) every task runs, without `--shard` and `--jobs`.
  public var command: [String]
  /// The folder tasks run in (relative paths in `command` are relative to it).
  public var workingDirectory: String
  /// Where task logs go (`task-<i>.log`).
  public var logDirectory: String
  public var partition: String?
  public var time: String?
  public var cpusPerTask: Int?
  public var arrayParallelism: Int?

  public init(name: String, shards: Int, command: [String], workingDirectory: String, logDirectory: String) {
    self.name = name
    self.shards = shards
    self.command = command
    self.workingDirectory = workingDirectory
    self.logDirectory = logDirectory
  }

  /// The batch script.
  public var script: String {
    var lines = ["#!/bin/bash", "#SBATCH --job-name=\(SlurmJob.quote("agora-\(name)"))"]
    lines.append("#SBATCH --array=0-\(shards - 1)" + (arrayParallelism.map { "%\($0)" } ?? ""))
    lines.append("#SBATCH --output=\(logDirectory)/task-%a.log")
    if let partition { lines.append("#SBATCH --partition=\(partition)") }
    if let time { lines.append("#SBATCH --time=\(time)") }
    lines.append("#SBATCH --cpus-per-task=\(cpusPerTask ?? 1)")
    lines += [
      "# Written by agora sweep --slurm: each array task runs one shard of the sweep; finished runs are kept,",
      "# so a failed task can be resubmitted with: sbatch --array=<task ids> <this script>",
      "set -euo pipefail",
      "cd \(SlurmJob.quote(workingDirectory))",
      "exec " + command.map(SlurmJob.quote).joined(separator: " ")
        + " --shard \"${SLURM_ARRAY_TASK_ID}/${SLURM_ARRAY_TASK_COUNT}\" --jobs \"${SLURM_CPUS_PER_TASK:-1}\"",
    ]
    return lines.joined(separator: "\n") + "\n"
  }

  /// A word for a POSIX shell: left alone when it is plain, else single-quoted.
  public static func quote(_ word: String) -> String {
    let plain = word.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:,+@%".contains($0) } && !word.isEmpty
    return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }

  /// Submits `scriptPath` with `sbatch --parsable`; returns the job id.
  public static func submit(_ scriptPath: String) throws(SweepError) -> String {
    let (status, output) = try run(["sbatch", "--parsable", scriptPath])
    let id = output.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
    guard status == 0, !id.isEmpty, id.allSatisfy(\.isNumber) else {
      throw .slurm(
        "sbatch \(scriptPath) failed (exit \(status)): \(output.trimmingCharacters(in: .whitespacesAndNewlines))")
    }
    return id
  }

  /// Whether job `id` still has tasks pending or running (`squeue`).
  public static func isQueued(_ id: String) throws(SweepError) -> Bool {
    let (status, output) = try run(["squeue", "--noheader", "--jobs", id, "--format=%i %T"])
    if status != 0 {
      if output.contains("Invalid job id") { return false }
      throw .slurm("squeue --jobs \(id) failed (exit \(status)): \(output)")
    }
    return !output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
  }

  /// Whether `program` is on the PATH.
  public static func available(_ program: String = "sbatch") -> Bool {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(program)") }
  }

  static func run(_ arguments: [String]) throws(SweepError) -> (Int32, String) {
    guard available(arguments[0]) else {
      throw .slurm(
        "\(arguments[0]) is not on the PATH; is this a Slurm submit host? (--dry-run writes the script only)")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    do { try process.run() } catch { throw .slurm("cannot start \(arguments[0]): \(error.localizedDescription)") }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }
}
