import Agora
import ArgumentParser

/// `agora merge`: combines a sharded sweep's part files into summary.csv (and the kept long-format files).
struct MergeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge",
    abstract: "Merge a sweep's shards into summary.csv (and steps.csv, segments.csv, agents.csv when kept).",
    discussion: "The result is the same summary.csv an unsharded sweep writes: one row per run, sorted by run_index."
  )

  @Argument(help: "The sweep's folder.")
  var directory: String

  @Flag(help: "Merge even if some runs are unfinished (their rows are missing).")
  var allowMissing = false

  func run() throws {
    let merged = try fail(exit: 1) { try SweepRunner.merge(directory: directory, allowMissing: allowMissing) }
    if merged.finished < merged.total {
      Terminal.note("warning: \(merged.total - merged.finished) of \(merged.total) runs are unfinished and missing")
    }
    print("merged \(merged.finished) runs into \(directory)/: \(merged.files.joined(separator: ", "))")
  }
}
