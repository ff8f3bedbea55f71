import AgoraCore
import AgoraOutput
import AgoraScenario

/// Why a sweep cannot start, go on or merge.
public enum SweepError: Error, Sendable, CustomStringConvertible {
  /// A scenario or sweep file problem.
  case scenario(ScenarioIssue)
  /// Reading or writing results failed.
  case output(OutputError)
  /// The output folder holds a sweep with a different plan.
  case differentPlan(path: String, difference: String)
  /// Another process is writing the same part of this sweep.
  case busy(path: String, tag: String)
  /// Another process works in the sweep's folder (its lock is held), so it cannot be taken over or cleared.
  case inUse(path: String, clearing: Bool)
  /// A merge found a row that does not belong: ragged, outside the plan, or another plan's.
  case foreignRow(path: String, line: Int, reason: String)
  /// A run failed.
  case runFailed(index: Int, reason: String)
  /// A listed metric is not a column of the runs' summaries.
  case unknownMetric(String, available: [String])
  /// Merging found runs missing.
  case incomplete(path: String, missing: [Int], total: Int)
  /// A shard argument is malformed.
  case badShard(String)
  /// Slurm refused or failed.
  case slurm(String)

  public var description: String {
    switch self {
    case .scenario(let issue): return issue.description
    case .output(let error): return error.description
    case .differentPlan(let path, let difference):
      return "\(path) holds a different sweep (\(difference)); use another --out, or --force to start it over"
    case .busy(let path, let tag):
      return "another agora sweep is writing \(path) (\(tag)); wait for it or stop it"
    case .inUse(let path, let clearing):
      return "another agora process is working in \(path) now"
        + (clearing ? "; --force will not clear a folder in use: wait for it or stop it" : "; wait for it or stop it")
    case .foreignRow(let path, let line, let reason):
      return
        "\(path), line \(line): \(reason); this row does not belong to the sweep in this folder (nothing was merged)"
    case .runFailed(let index, let reason): return "run \(index) failed: \(reason)"
    case .unknownMetric(let name, let available):
      let guess = nearest(name, in: available).map { "; did you mean '\($0)'?" } ?? ""
      return "metrics: '\(name)' is not a summary column\(guess) Available: \(available.joined(separator: ", "))"
    case .incomplete(let path, let missing, let total):
      let shown = missing.prefix(10).map(String.init).joined(separator: ", ")
      return "\(path): \(missing.count) of \(total) runs are not finished (run indices \(shown)"
        + (missing.count > 10 ? ", ..." : "") + "); finish them (run the sweep again) or merge with --allow-missing"
    case .badShard(let text): return "--shard '\(text)': expected i/N with 0 <= i < N, e.g. 0/4"
    case .slurm(let message): return "slurm: \(message)"
    }
  }
}
