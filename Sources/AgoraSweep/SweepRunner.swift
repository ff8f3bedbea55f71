import AgoraCore
import AgoraLanguageModel
import AgoraOutput
import AgoraScenario
import Foundation

/// Runs a sweep's runs (all of them, or one shard's) on a pool of threads, appending each finished run to the
/// sweep's part files, and merges them into `summary.csv` (and the kept long-format files) once every run is done.
///
/// Started again on the same folder with the same plan, it skips the runs already finished, so an interrupted sweep
/// resumes where it stopped; the merged files are the same whatever the interruptions, thread count or sharding.
public final class SweepRunner: @unchecked Sendable {
  /// The plan being run.
  public let plan: SweepPlan
  /// The sweep's folder.
  public let directory: String
  /// Threads running runs at once.
  public let jobs: Int
  /// The share of the runs this process runs.
  public let shard: SweepShard
  private let template: ScenarioTemplate
  /// Each design point's decoded scenario (its first run's seed), kept when there are at most
  /// ``cachedPointLimit`` points: a run then only sets its seed, instead of decoding the scenario again.
  private let pointSpecs: [ScenarioSpec]
  /// The most design points whose scenarios are kept decoded (a few kilobytes each).
  static let cachedPointLimit = 20_000
  private let lock = NSLock()
  /// The folder's lock, held (shared) from the moment the plan is checked or written until this runner goes.
  private let folderLock: SweepFolderLock
  /// Whether the merge writes `report.html`.
  public let writesReport: Bool

  /// How far a sweep has got.
  public struct Progress: Sendable {
    /// Runs of this shard finished, including those finished before this process started.
    public var done: Int
    /// Runs in this shard.
    public var total: Int
    /// Runs finished by this process.
    public var ranNow: Int
    /// Seconds since this process started running.
    public var elapsed: Double
  }

  /// What a call to ``run(progress:)`` did.
  public struct Outcome: Sendable {
    /// Runs this process ran.
    public var ran: Int
    /// Runs of this shard that were already finished.
    public var skipped: Int
    /// Runs in this shard.
    public var total: Int
    /// Seconds spent.
    public var seconds: Double
    /// The merged files written (empty while other shards are unfinished).
    public var merged: [String]
  }

  /// Checks that every design point makes a valid scenario that fits in memory, then takes `directory` for `plan`
  /// (``SweepFolderLock``): writes `sweep.json` and `scenario.yaml`, or joins the same plan already there (a resume
  /// or another shard). With `force`, a folder holding another sweep is cleared first, unless a process works in it.
  /// With `report` false, the merge writes no `report.html`.
  public init(
    plan: SweepPlan, directory: String, jobs: Int, shard: SweepShard = .all, force: Bool = false, report: Bool = true
  ) throws(SweepError) {
    self.plan = plan
    writesReport = report
    self.directory = directory
    self.shard = shard
    do { template = try plan.template() } catch { throw .scenario(error) }
    var perRun = 1
    var specs: [ScenarioSpec] = []
    let keeps = plan.points.count <= SweepRunner.cachedPointLimit
    // Decoded on up to `jobs` threads (each point into its own slot), checked in point order.
    let decoded = SweepRunner.decodePoints(plan, template: template, threads: max(1, jobs))
    for (point, result) in decoded.enumerated() {
      do {
        let spec = try result.get()
        try MemoryBudget.check(spec, source: "\(plan.scenarioFile) (design point \(point))")
        perRun = max(perRun, Experiment.estimatedBytes(spec))
        if keeps { specs.append(spec) }
      } catch {
        throw .scenario(error)
      }
    }
    pointSpecs = specs
    self.jobs = max(1, min(max(1, jobs), MemoryBudget.available / perRun))
    folderLock = try SweepFolderLock.take(plan, in: directory, force: force)
  }

  /// Every design point's scenario (its first run's seed), decoded on up to `threads` threads; the result is the
  /// same for any number.
  static func decodePoints(_ plan: SweepPlan, template: ScenarioTemplate, threads: Int)
    -> [Result<ScenarioSpec, ScenarioIssue>]
  {
    let count = plan.points.count
    var results = [Result<ScenarioSpec, ScenarioIssue>](
      repeating: .failure(ScenarioIssue(path: "", message: "not decoded")), count: count)
    let workers = max(1, min(threads, count))
    results.withUnsafeMutableBufferPointer { buffer in
      nonisolated(unsafe) let slots = buffer
      let decode: @Sendable (Int) -> Void = { w in
        for point in stride(from: w, to: count, by: workers) {
          do throws(ScenarioIssue) {
            slots[point] = .success(try plan.spec(ofRun: point * plan.repetitions, template: template))
          } catch {
            slots[point] = .failure(error)
          }
        }
      }
      if workers == 1 { decode(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: decode) }
    }
    return results
  }

  /// The scenario of `run`: its design point's, decoded once, with the run's seed; or decoded now when the plan has
  /// too many points to keep them all. (A scenario's seed only seeds its streams, so setting it equals decoding
  /// the scenario with a `seed` override; the golden sweeps check that the outputs are the same.)
  func spec(of run: SweepPlan.Run) throws(ScenarioIssue) -> ScenarioSpec {
    guard run.point < pointSpecs.count else { return try template.spec(overrides: run.overrides, seed: run.seed) }
    var spec = pointSpecs[run.point]
    spec.seed = run.seed
    return spec
  }

  /// Runs this shard's unfinished runs; merges when every run of the sweep is finished.
  public func run(progress: (@Sendable (Progress) -> Void)? = nil) throws(SweepError) -> Outcome {
    let start = DispatchTime.now().uptimeNanoseconds
    let journal = try SweepJournal(directory: directory, tag: shard.tag)
    let finished = try SweepRunner.finishedRuns(in: directory)
    let mine = (0..<plan.runCount).filter(shard.contains)
    let pending = mine.filter { !finished.contains($0) }
    let state = RunState(journal: journal, pending: pending, total: mine.count, start: start)
    progress?(state.progress)
    let group = DispatchGroup()
    for _ in 0..<min(jobs, pending.count) {
      group.enter()
      let thread = Thread { [self] in
        defer { group.leave() }
        while let index = lock.withLock({ state.take() }) {
          do {
            let run = plan.run(index)
            let spec = try self.spec(of: run)
            var events: [Interaction] = []
            let result = try Experiment.run(
              spec, runIndex: index, events: plan.keep.events ? { events.append($0) } : nil,
              languageModel: LanguageModelOptions(
                transcript: try SweepRunner.transcriptPath(directory: directory, run: index, spec: spec),
                runIndex: index))
            let row = try plan.summaryRow(run, result)
            let extras = plan.extraRows(
              result, run, events: events, eventColumns: ModelRegistry.model(spec.game.type)?.eventColumns ?? [])
            lock.lock()
            defer { lock.unlock() }
            try state.journal.append(run: index, extras: extras, summary: row)
            state.ranNow += 1
            progress?(state.progress)
          } catch {
            let reason = (error as? SweepError) ?? .runFailed(index: index, reason: "\(error)")
            lock.withLock { state.failure = state.failure ?? reason }
          }
        }
      }
      thread.stackSize = 8 << 20
      thread.start()
    }
    group.wait()
    if let failure = state.failure {
      folderLock.rollBackIfCreated()
      throw failure
    }
    var merged: [String] = []
    let finishedNow = try SweepRunner.finishedRuns(in: directory)
    if (0..<plan.runCount).allSatisfy(finishedNow.contains) {
      merged = try SweepRunner.merge(directory: directory, report: writesReport).files
    }
    return Outcome(
      ran: state.ranNow, skipped: mine.count - pending.count, total: mine.count, seconds: state.progress.elapsed,
      merged: merged)
  }

  /// Where run `run`'s transcript goes, `transcripts/run-<index>.jsonl` in the sweep's folder (the folder made
  /// here), when its scenario has language-model agents; `nil` otherwise.
  static func transcriptPath(directory: String, run: Int, spec: ScenarioSpec) throws -> String? {
    guard spec.population.segments.contains(where: { $0.policy == .llm }) else { return nil }
    let folder = "\(directory)/\(transcriptFolder)"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    return "\(folder)/run-\(run).jsonl"
  }

  /// The folder of a sweep's transcripts, one file per run of language-model agents.
  public static let transcriptFolder = "transcripts"

  /// The mutable state of one ``run(progress:)``, read and written under the runner's lock.
  private final class RunState: @unchecked Sendable {
    let journal: SweepJournal
    let pending: [Int]
    let total: Int
    let start: UInt64
    var next = 0
    var ranNow = 0
    var failure: SweepError? = nil

    init(journal: SweepJournal, pending: [Int], total: Int, start: UInt64) {
      self.journal = journal
      self.pending = pending
      self.total = total
      self.start = start
    }

    /// The next run to start, or `nil` when all are taken or a run failed.
    func take() -> Int? {
      guard failure == nil, next < pending.count else { return nil }
      next += 1
      return pending[next - 1]
    }

    var progress: Progress {
      Progress(
        done: total - pending.count + ranNow, total: total, ranNow: ranNow,
        elapsed: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
  }

  /// Stops this process's sweep for exit: waits for a run being written to finish writing, then holds the lock so
  /// no other row is started.
  public func haltForExit() {
    lock.lock()
  }

  /// Removes the temporary files this process (and any that no longer runs) left in the sweep's folder: for an
  /// exit on a signal, which cannot unwind the writers that would remove them.
  public static func removeTemporaryFiles(in directory: String) {
    SweepFolderLock.removeStaleTemporaryFiles(in: directory)
  }

  /// The runs whose summary row is complete in `directory/parts`.
  public static func finishedRuns(in directory: String) throws(SweepError) -> Set<Int> {
    let folder = directory + "/parts"
    var runs = Set<Int>()
    for part in SweepJournal.partFiles(in: folder) where part.kind == "summary" {
      runs.formUnion(try PartScan(path: "\(folder)/\(part.name)").records.lazy.map(\.run).filter { $0 >= 0 })
    }
    return runs
  }

  /// Merges `directory/parts` into `summary.csv` (and `steps.csv`, `segments.csv`, `agents.csv` when kept), sorted
  /// by run index, then writes `report.html` (``SweepReport``) unless `report` is false, which removes an earlier
  /// one. Unless `allowMissing`, every run of the plan in `directory/sweep.json` must be finished.
  public static func merge(directory: String, allowMissing: Bool = false, report: Bool = true) throws(SweepError)
    -> (files: [String], finished: Int, total: Int)
  {
    let held = try SweepFolderLock.join(directory)
    defer { withExtendedLifetime(held) {} }
    let plan = try storedPlan(in: directory)
    let index = try SweepIndex(directory: directory, plan: plan)
    let finished = index.finished
    let missing = (0..<plan.runCount).filter { !finished.contains($0) }
    if !missing.isEmpty && !allowMissing {
      throw .incomplete(path: directory, missing: missing, total: plan.runCount)
    }
    let base = plan.baseModel()
    var summaryColumns: [Column] = []
    var files = try index.merge(into: directory, runs: 0..<plan.runCount) { kind, names throws(SweepError) in
      let columns = try plan.mergedColumns(kind: kind, names: names, base: base)
      if kind == "summary" { summaryColumns = columns }
      return columns
    }
    if report {
      files.append(
        try SweepReport.write(
          directory: directory, plan: plan, columns: summaryColumns, base: base, missing: missing))
    } else {
      try? FileManager.default.removeItem(atPath: "\(directory)/report.html")
    }
    return (files, plan.runCount - missing.count, plan.runCount)
  }

  /// The plan stored in `directory/sweep.json`.
  public static func storedPlan(in directory: String) throws(SweepError) -> SweepPlan {
    let path = "\(directory)/sweep.json"
    let data: Data
    do { data = try FileReading.data(atPath: path) } catch {
      guard case .cannotRead(_, let reason) = error else { throw .output(error) }
      throw .output(.cannotRead(path: path, reason: "\(reason); is \(directory) a sweep folder?"))
    }
    do { return try JSONDecoder().decode(SweepPlan.self, from: data) } catch {
      throw .output(.malformed(path: path, line: 1, reason: "not a sweep plan (\(error))"))
    }
  }

}

extension SweepPlan {
  /// What differs between two plans, in words, for the message refusing to resume into another sweep's folder.
  func difference(from other: SweepPlan) -> String {
    var parts: [String] = []
    if scenarioYAML != other.scenarioYAML { parts.append("the scenario file's text") }
    if overrides != other.overrides { parts.append("--set overrides") }
    if seed != other.seed { parts.append("seed \(other.seed) there, \(seed) here") }
    if seedBits != other.seedBits {
      parts.append("run seeds (\(other.seedBits)-bit there, made by an earlier Agora; \(seedBits)-bit here)")
    }
    if design != other.design || samples != other.samples { parts.append("design") }
    if repetitions != other.repetitions { parts.append("repetitions \(other.repetitions) there, \(repetitions) here") }
    if parameters != other.parameters { parts.append("parameters") }
    if metrics != other.metrics || keep != other.keep { parts.append("kept metrics or files") }
    if agoraVersion != other.agoraVersion { parts.append("agora version \(other.agoraVersion) there") }
    if parts.isEmpty && points != other.points { parts.append("design points") }
    return "differs in " + (parts.isEmpty ? "name" : parts.joined(separator: ", "))
  }
}
