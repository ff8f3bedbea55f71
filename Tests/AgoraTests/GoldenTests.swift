import Crypto
import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraLanguageModel
@testable import AgoraModels
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

/// The golden-output check that guards refactors: every file that every scenario (at a small size), every sweep file
/// (at a small size) and the default ultimatum scenario (on 1 and 2 threads) write, by SHA-256, against
/// `Golden/digests.txt`. A change to any output shows up here as the files whose digests moved.
///
/// After an intended change of output, regenerate with `AGORA_GOLDEN_UPDATE=1 swift test --filter GoldenTests` and
/// say in the commit which files changed and why. `manifest.json` and `llm-usage.json` (times, versions, request
/// counts) are left out, and so are scenarios that ask a language model (they need a server).
@Suite("Golden outputs", .serialized)
struct GoldenTests {
  static let digestsPath = TestSupport.repositoryRoot.path + "/Tests/AgoraTests/Golden/digests.txt"

  /// `name/file sha256` for every file in `folder` (recursively, sorted), less the excluded ones.
  static func digests(of folder: String, as name: String) throws -> [String] {
    let fm = FileManager.default
    let files = (fm.enumerator(atPath: folder)?.allObjects as? [String] ?? []).sorted()
    var lines: [String] = []
    for file in files {
      var isFolder: ObjCBool = false
      guard fm.fileExists(atPath: folder + "/" + file, isDirectory: &isFolder), !isFolder.boolValue else { continue }
      let base = URL(fileURLWithPath: file).lastPathComponent
      guard !["manifest.json", "llm-usage.json", "sweep.lock"].contains(base), !file.hasPrefix("parts/") else {
        continue
      }
      let digest = SHA256.hash(data: TestSupport.bytes(folder + "/" + file))
      lines.append("\(name)/\(file) " + digest.map { String(format: "%02x", $0) }.joined())
    }
    return lines
  }

  /// The digests of everything the golden runs write now.
  static func current() throws -> [String] {
    var lines: [String] = []
    let root = TestSupport.temporaryDirectory()
    for file in RobustnessTests.scenarioFiles {
      let name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
      let spec = try ScenarioLoader.load(file: file, overrides: RobustnessTests.small(file, size: 200, rounds: 3))
      if spec.population.segments.contains(where: { $0.policy == .llm }) { continue }
      let folder = "\(root)/scenarios/\(name)"
      _ = try RunFolder.execute(spec, into: folder, threads: 2)
      lines += try digests(of: folder, as: "scenarios/\(name)")
    }
    let ultimatum = try ScenarioLoader.load(file: TestSupport.repositoryRoot.path + "/Scenarios/ultimatum.yaml")
    for threads in [1, 2] {
      let folder = "\(root)/ultimatum-threads-\(threads)"
      _ = try RunFolder.execute(ultimatum, into: folder, threads: threads)
      lines += try digests(of: folder, as: "ultimatum-default")
    }
    let sweeps = TestSupport.repositoryRoot.path + "/Scenarios/sweeps"
    for name in try FileManager.default.contentsOfDirectory(atPath: sweeps).filter({ $0.hasSuffix(".yaml") }).sorted() {
      var spec = try SweepSpec.load(file: "\(sweeps)/\(name)")
      spec.overrides += ["population.size=60", "game.rounds=2"]
      spec.repetitions = 1
      spec.keep.steps = true
      let plan = try SweepPlan(spec, template: try ScenarioTemplate(file: spec.scenario))
      let folder = "\(root)/sweeps/\(name)"
      _ = try SweepRunner(plan: plan, directory: folder, jobs: 2).run()
      for file in ["summary.csv", "steps.csv", "segments.csv"]
      where FileManager.default.fileExists(
        atPath: "\(folder)/\(file)")
      {
        let digest = SHA256.hash(data: TestSupport.bytes("\(folder)/\(file)"))
        lines.append("sweeps/\(name)/\(file) " + digest.map { String(format: "%02x", $0) }.joined())
      }
    }
    return lines
  }

  @Test("every output file's digest equals the recorded one (AGORA_GOLDEN_UPDATE=1 records them anew)")
  func goldenDigests() throws {
    let lines = try Self.current()
    #expect(lines.count >= 60, "\(lines.count) files")
    // The two thread counts must agree before anything is compared with the record.
    let byThreads = lines.filter { $0.hasPrefix("ultimatum-default/") }
    #expect(Set(byThreads).count * 2 == byThreads.count, "1 and 2 threads differ")
    let text = Array(Set(lines)).sorted().joined(separator: "\n") + "\n"
    if ProcessInfo.processInfo.environment["AGORA_GOLDEN_UPDATE"] == "1" {
      try FileManager.default.createDirectory(
        atPath: URL(fileURLWithPath: Self.digestsPath).deletingLastPathComponent().path,
        withIntermediateDirectories: true)
      try text.write(toFile: Self.digestsPath, atomically: true, encoding: .utf8)
      return
    }
    let recorded = try String(contentsOfFile: Self.digestsPath, encoding: .utf8)
    let was = Set(recorded.split(separator: "\n").map(String.init))
    let now = Set(text.split(separator: "\n").map(String.init))
    let changed = now.subtracting(was).map { $0.split(separator: " ")[0] }.sorted()
    let gone = was.subtracting(now).map { $0.split(separator: " ")[0] }.filter { !changed.contains($0) }.sorted()
    #expect(changed.isEmpty && gone.isEmpty, "changed or new: \(changed); no longer written: \(gone)")
  }
}
