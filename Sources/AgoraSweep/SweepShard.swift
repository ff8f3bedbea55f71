import AgoraCore
import AgoraOutput
import AgoraScenario

/// The share of a sweep's runs one process runs: the runs whose index modulo `count` is `index`.
///
/// Striding (rather than blocks of consecutive runs) spreads every parameter value over all shards, so shards take
/// about equally long even when run time depends on a swept parameter.
public struct SweepShard: Sendable, Equatable, CustomStringConvertible {
  /// This shard's number, from 0 to `count - 1`.
  public var index: Int
  /// The number of shards.
  public var count: Int

  /// The whole sweep as one shard.
  public static let all = SweepShard(index: 0, count: 1)

  public init(index: Int, count: Int) {
    precondition(count >= 1 && (0..<count).contains(index), "shard \(index)/\(count)")
    self.index = index
    self.count = count
  }

  /// Parses `i/N` (0 <= i < N), as `--shard` and a Slurm array task (`$SLURM_ARRAY_TASK_ID/N`) give it.
  public init(parsing text: String) throws(SweepError) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, (0..<n).contains(i) else {
      throw .badShard(text)
    }
    self.init(index: i, count: n)
  }

  /// Whether run `run` belongs to this shard.
  public func contains(_ run: Int) -> Bool { run % count == index }

  /// The name of this shard's part files.
  var tag: String { count == 1 ? "local" : "shard-\(index)-of-\(count)" }

  public var description: String { "\(index)/\(count)" }
}
