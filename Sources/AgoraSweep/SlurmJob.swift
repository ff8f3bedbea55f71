import AgoraCore
import AgoraOutput
import AgoraScenario
import Foundation

/// A sweep as a Slurm job array: one array task per shard, array task i running `agora sweep ... --shard i/N` in the
/// submitting folder, with N written into the script so that a resubmitted task (`sbatch --array=i`) is the same
/// shard.
public struct SlurmJob: Sendable {
  /// The job's name in the queue.
  public var name: String
  /// Array tasks, one per shard.
  public var shards: Int
  /// The `agora sweep` command line (program first) every task runs, without `--shard` and `--jobs`.
  public var command: [String]
  /// The folder tasks run in (relative paths in `command` are relative to it).
  public var workingDirectory: String
  /// The sweep's folder, absolute; it holds the plan (`sweep.json`) every task joins.
  public var sweepDirectory: String
  public var partition: String?
  public var time: String?
  public var cpusPerTask: Int?
  public var arrayParallelism: Int?

  public init(name: String, shards: Int, command: [String], workingDirectory: String, sweepDirectory: String) {
    self.name = name
    self.shards = shards
    self.command = command
    self.workingDirectory = workingDirectory
    self.sweepDirectory = sweepDirectory
  }

  /// Where the script and the task logs (`task-<i>.log`) go: `slurm/` in the sweep's folder.
  public var logDirectory: String { SlurmJob.logDirectory(of: sweepDirectory) }

  /// The batch script's path.
  public var scriptPath: String { SlurmJob.scriptPath(of: sweepDirectory) }

  /// The `slurm/` folder of the sweep folder `directory`.
  public static func logDirectory(of directory: String) -> String { directory + "/slurm" }

  /// The batch script of the sweep folder `directory`.
  public static func scriptPath(of directory: String) -> String { logDirectory(of: directory) + "/sweep.sbatch" }

  /// The batch script. Task logs are appended to (`--open-mode=append`), so a resubmitted task's log keeps the
  /// failed attempt's lines; each attempt starts with a line naming the job, task, shard, node and time. Before
  /// starting `agora`, the script checks that the node sees the binary and the sweep's plan, since both must be on
  /// a filesystem shared by the nodes.
  public var script: String {
    let program = command.first ?? "agora"
    let plan = sweepDirectory + "/sweep.json"
    let shared = "the agora binary and the sweep folder must be on a filesystem every node sees"
    var lines = ["#!/bin/bash", "#SBATCH --job-name=\(SlurmJob.quote("agora-\(name)"))"]
    lines.append("#SBATCH --array=0-\(shards - 1)" + (arrayParallelism.map { "%\($0)" } ?? ""))
    lines.append("#SBATCH --output=\(SlurmJob.quote(logDirectory + "/task-%a.log"))")
    lines.append("#SBATCH --open-mode=append")
    if let partition { lines.append("#SBATCH --partition=\(SlurmJob.quote(partition))") }
    if let time { lines.append("#SBATCH --time=\(SlurmJob.quote(time))") }
    lines.append("#SBATCH --cpus-per-task=\(cpusPerTask ?? 1)")
    lines += [
      "# Written by agora sweep --slurm: array task i runs shard i of the \(shards) below; finished runs are kept,",
      "# so failed tasks can be resubmitted as they are, e.g. sbatch --array=2,5 <this script>, then agora merge.",
      "# The agora binary and the sweep folder must be on a filesystem every node sees.",
      "set -euo pipefail",
      "shards=\(shards)",
      "echo \"agora: slurm job ${SLURM_ARRAY_JOB_ID:-?} task ${SLURM_ARRAY_TASK_ID} (shard ${SLURM_ARRAY_TASK_ID}/"
        + "${shards}) on $(hostname) at $(date -u +%Y-%m-%dT%H:%M:%SZ)\"",
      "cd \(SlurmJob.quote(workingDirectory)) || { echo \"error: no folder \(SlurmJob.shellText(workingDirectory)) "
        + "on $(hostname): \(shared)\" >&2; exit 1; }",
      "[ -x \(SlurmJob.quote(program)) ] || { echo \"error: no agora binary \(SlurmJob.shellText(program)) on "
        + "$(hostname): \(shared)\" >&2; exit 1; }",
      "[ -f \(SlurmJob.quote(plan)) ] || { echo \"error: no sweep plan \(SlurmJob.shellText(plan)) on $(hostname): "
        + "\(shared)\" >&2; exit 1; }",
      "exec " + command.map(SlurmJob.quote).joined(separator: " ")
        + " --shard \"${SLURM_ARRAY_TASK_ID}/${shards}\" --jobs \"${SLURM_CPUS_PER_TASK:-1}\"",
    ]
    return lines.joined(separator: "\n") + "\n"
  }

  /// The shard count and array parallelism of a script this type wrote (from its `#SBATCH --array=0-<N-1>[%K]`
  /// line), or `nil` when `script` has no such line.
  public static func arrayShape(ofScript script: String) -> (shards: Int, parallelism: Int?)? {
    for line in script.split(separator: "\n") where line.hasPrefix("#SBATCH --array=0-") {
      let spec = line.dropFirst("#SBATCH --array=0-".count).split(separator: "%", omittingEmptySubsequences: false)
      guard let last = Int(spec[0]), last >= 0, spec.count <= 2 else { return nil }
      if spec.count == 2 {
        guard let k = Int(spec[1]), k >= 1 else { return nil }
        return (last + 1, k)
      }
      return (last + 1, nil)
    }
    return nil
  }

  /// The array tasks that own `missingRuns` when the sweep is split into `shards` (run i is in task i mod N).
  public static func tasks(owning missingRuns: [Int], shards: Int) -> [Int] {
    Set(missingRuns.map { $0 % shards }).sorted()
  }

  /// Task ids as an `--array` list: ascending, consecutive ids as ranges (`0,2-4,7`), `%K` when given.
  public static func arrayList(_ tasks: [Int], parallelism: Int? = nil) -> String {
    var parts: [String] = []
    var k = 0
    let ids = Set(tasks).sorted()
    while k < ids.count {
      var end = k
      while end + 1 < ids.count && ids[end + 1] == ids[end] + 1 { end += 1 }
      parts.append(end == k ? "\(ids[k])" : "\(ids[k])-\(ids[end])")
      k = end + 1
    }
    let list = parts.joined(separator: ",")
    guard let parallelism, parallelism < ids.count else { return list }
    return list + "%\(parallelism)"
  }

  /// The command that resubmits `tasks` of the script at `scriptPath`, as a shell runs it.
  public static func resubmitCommand(tasks: [Int], parallelism: Int? = nil, scriptPath: String) -> String {
    "sbatch --array=\(arrayList(tasks, parallelism: parallelism)) \(quote(scriptPath))"
  }

  /// A word for a POSIX shell: left alone when it is plain, else single-quoted.
  public static func quote(_ word: String) -> String {
    let plain = word.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:,+@%".contains($0) } && !word.isEmpty
    return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }

  /// Text to put inside a double-quoted shell string (in a message), with nothing the shell expands.
  static func shellText(_ text: String) -> String {
    text.filter { !"\"$`\\!\n".contains($0) }
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
