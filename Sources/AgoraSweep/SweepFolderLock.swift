import AgoraCore
import AgoraLanguageModel
import AgoraOutput
import AgoraScenario
import Foundation

/// The lock that gives a sweep folder one owner and one plan: `OUT/sweep.lock`, held with `flock(2)` for as long as
/// a process works in the folder.
///
/// A process that writes the plan (a new sweep, or `--force`) holds it exclusively while it does, then shares it
/// while it runs; every process of the same plan (a resume, another shard, a Slurm array task, `agora merge`) shares
/// it. So a second, different sweep into the folder, or `--force` while any process works there, finds the lock
/// held and is refused; nothing is written before the lock is taken.
final class SweepFolderLock {
  let directory: String
  private let descriptor: Int32
  /// Whether this process created the sweep (wrote its plan) rather than joining one.
  private(set) var created = false
  /// Whether this process created the folder itself.
  private(set) var createdFolder = false

  /// How long to wait for a process that holds the lock exclusively (briefly, while it writes a plan) to let go.
  static let patience = 5.0

  /// Opens (creating the folder if needed) and locks `directory/sweep.lock` shared.
  private init(directory: String) throws(SweepError) {
    self.directory = directory
    let fm = FileManager.default
    var isFolder: ObjCBool = false
    if fm.fileExists(atPath: directory, isDirectory: &isFolder) {
      guard isFolder.boolValue else { throw .output(.cannotWrite(path: directory, reason: "it is a file")) }
    } else {
      do { try fm.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
        throw .output(.cannotWrite(path: directory, reason: error.localizedDescription))
      }
      createdFolder = true
    }
    let path = "\(directory)/sweep.lock"
    descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      let reason = String(cString: strerror(errno))
      if createdFolder { try? fm.removeItem(atPath: directory) }
      throw .output(.cannotWrite(path: path, reason: reason))
    }
  }

  deinit {
    flock(descriptor, LOCK_UN)
    close(descriptor)
  }

  /// Takes the folder for `plan`: creates the sweep (writing `sweep.json` and `scenario.yaml` under the exclusive
  /// lock) or joins the same sweep; refuses a different sweep's folder unless `force` and no process works there.
  static func take(_ plan: SweepPlan, in directory: String, force: Bool) throws(SweepError) -> SweepFolderLock {
    let lock = try SweepFolderLock(directory: directory)
    let deadline = Date().addingTimeInterval(patience)
    while true {
      if flock(lock.descriptor, LOCK_EX | LOCK_NB) == 0 {
        do {
          try lock.prepare(plan, force: force)
        } catch {
          lock.rollBackIfCreated()
          throw error
        }
        flock(lock.descriptor, LOCK_SH)
        return lock
      }
      // Another process works here. Join it if it runs the same plan; never clear or overwrite its folder.
      if flock(lock.descriptor, LOCK_SH | LOCK_NB) == 0 {
        let stored = try? SweepRunner.storedPlan(in: directory)
        if stored == plan && !force { return lock }
        if force { throw .inUse(path: directory, clearing: true) }
        throw .differentPlan(
          path: directory,
          difference: (stored.map { plan.difference(from: $0) } ?? "no plan yet")
            + "; another agora process is working in it now")
      }
      guard Date() < deadline else { throw .inUse(path: directory, clearing: false) }
      usleep(20_000)
    }
  }

  /// Takes the folder shared, for reading or merging an existing sweep.
  static func join(_ directory: String) throws(SweepError) -> SweepFolderLock {
    guard FileManager.default.fileExists(atPath: "\(directory)/sweep.json") else {
      _ = try SweepRunner.storedPlan(in: directory)  // the error that says it is not a sweep folder
      throw .output(.cannotRead(path: "\(directory)/sweep.json", reason: "no such file"))
    }
    let lock = try SweepFolderLock(directory: directory)
    let deadline = Date().addingTimeInterval(patience)
    while flock(lock.descriptor, LOCK_SH | LOCK_NB) != 0 {
      guard Date() < deadline else { throw .inUse(path: directory, clearing: false) }
      usleep(20_000)
    }
    return lock
  }

  /// The merged files a sweep may have written, with their data dictionaries (a stored plan adds its model tables),
  /// and its report.
  static func merged(_ plan: SweepPlan?) -> [String] {
    (SweepJournal.kinds + (plan?.keep.tables ?? [])).flatMap {
      ["\($0).csv", DataDictionary.fileName(for: "\($0).csv")]
    } + ["report.html"]
  }

  /// Under the exclusive lock: checks the plan already in the folder or writes this one.
  private func prepare(_ plan: SweepPlan, force: Bool) throws(SweepError) {
    let fm = FileManager.default
    SweepFolderLock.removeStaleTemporaryFiles(in: directory)
    if fm.fileExists(atPath: "\(directory)/sweep.json") {
      let stored = try? SweepRunner.storedPlan(in: directory)
      if stored == plan && !force { return }
      if !force {
        throw .differentPlan(path: directory, difference: stored.map { plan.difference(from: $0) } ?? "unreadable")
      }
      for name in ["parts", "runs", SweepRunner.transcriptFolder, "sweep.json", "scenario.yaml"]
        + SweepFolderLock.merged(stored)
      {
        try? fm.removeItem(atPath: "\(directory)/\(name)")
      }
    } else if fm.fileExists(atPath: "\(directory)/summary.csv") && !force {
      throw .differentPlan(path: directory, difference: "it holds results that are not a sweep's")
    } else if fm.fileExists(atPath: "\(directory)/parts") && !force {
      throw .differentPlan(path: directory, difference: "it holds part files but no sweep.json")
    } else if force {
      for name in ["parts", "runs", SweepRunner.transcriptFolder, "scenario.yaml", "manifest.json"]
        + SweepFolderLock.merged(nil)
      {
        try? fm.removeItem(atPath: "\(directory)/\(name)")
      }
    }
    guard access(directory, W_OK) == 0 else {
      throw .output(.cannotWrite(path: directory, reason: String(cString: strerror(errno))))
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    created = true
    do {
      try writeAtomically(Data(plan.scenarioYAML.utf8), to: "\(directory)/scenario.yaml")
      try writeAtomically(try encoder.encode(plan), to: "\(directory)/sweep.json")
    } catch let error as OutputError {
      throw .output(error)
    } catch {
      throw .output(.cannotWrite(path: "\(directory)/sweep.json", reason: "\(error)"))
    }
  }

  /// Leaves the folder as it was before this process created the sweep in it: removes its plan, its part files,
  /// its transcripts and, if this process made it, the folder. Only when no other process has joined (the lock can be taken
  /// exclusively again) and no run has finished.
  func rollBackIfCreated() {
    guard created, flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { return }
    defer { flock(descriptor, LOCK_SH) }
    guard (try? SweepRunner.finishedRuns(in: directory))?.isEmpty ?? true else { return }
    let fm = FileManager.default
    for name in ["parts", SweepRunner.transcriptFolder, "sweep.json", "scenario.yaml"] {
      try? fm.removeItem(atPath: "\(directory)/\(name)")
    }
    if createdFolder {
      try? fm.removeItem(atPath: "\(directory)/sweep.lock")
      try? fm.removeItem(atPath: directory)
    }
    created = false
  }

  /// Removes `*.tmp-<pid>` files (of merges, atomic writes and transcripts) left in the folder, its `parts/` and
  /// its `transcripts/` by a process that no longer runs.
  static func removeStaleTemporaryFiles(in directory: String) {
    for folder in [directory, directory + "/parts", directory + "/" + SweepRunner.transcriptFolder] {
      for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
        guard let range = name.range(of: ".tmp-", options: .backwards) else { continue }
        var owner = name[range.upperBound...]
        // A transcript's temporary name also names its host (`.tmp-<host>.<pid>`): a run on another node of a
        // shared folder is not this machine's to judge.
        if let dot = owner.lastIndex(of: ".") {
          guard owner[..<dot] == TranscriptFiles.host[...] else { continue }
          owner = owner[owner.index(after: dot)...]
        }
        guard let pid = Int32(owner), pid > 0 else { continue }
        if pid == getpid() || (kill(pid, 0) != 0 && errno == ESRCH) {
          try? FileManager.default.removeItem(atPath: "\(folder)/\(name)")
        }
      }
    }
  }
}
