import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraLanguageModel
@testable import AgoraModels
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

/// ``Experiment/estimatedBytes(_:)`` against the peak resident memory of real runs of the CLI, for every game and
/// world: the estimate must stay above the peak (it guards `agora run` against a population that cannot fit) and
/// within twice it (or it would refuse runs that fit).
struct MemoryEstimateTests {
  /// One model's check: a scenario file at two sizes, with overrides that shorten the run (fewer rounds, stages or
  /// options) where the model's memory does not depend on them, and raise the dark forest's density and slow its
  /// light so that many of its detections are in flight at a size a debug build runs in seconds.
  struct Case: Sendable, CustomTestStringConvertible {
    let file: String
    let sizes: [Int]
    var overrides: [String] = []

    var testDescription: String { ([file] + overrides).joined(separator: " ") }
  }

  static let cases: [Case] = [
    Case(file: "ultimatum.yaml", sizes: [50_000, 200_000], overrides: ["game.rounds=2"]),
    Case(file: "ultimatum-async.yaml", sizes: [50_000, 200_000], overrides: ["game.rounds=2"]),
    Case(file: "dictator.yaml", sizes: [50_000, 200_000]),
    Case(file: "trust.yaml", sizes: [50_000, 200_000], overrides: ["game.rounds=2"]),
    Case(file: "public-goods.yaml", sizes: [50_000, 200_000], overrides: ["game.rounds=2"]),
    Case(file: "prisoners-dilemma.yaml", sizes: [50_000, 200_000], overrides: ["matching.type=random_pairs"]),
    // A round robin keeps every ordered pair of agents: its memory grows with the square of the population.
    Case(file: "prisoners-dilemma.yaml", sizes: [750, 1_500], overrides: ["game.horizon=1"]),
    Case(file: "bargaining.yaml", sizes: [50_000, 200_000]),
    Case(file: "negotiation.yaml", sizes: [50_000, 200_000], overrides: ["game.horizon=1", "game.offer_step=25"]),
    Case(file: "persuasion.yaml", sizes: [50_000, 200_000], overrides: ["game.horizon=2"]),
    Case(file: "matrix.yaml", sizes: [25_000, 100_000], overrides: ["game.rounds=2"]),
    Case(file: "double-auction.yaml", sizes: [12_500, 50_000], overrides: ["game.rounds=1"]),
    Case(file: "commons.yaml", sizes: [25_000, 100_000], overrides: ["game.rounds=1"]),
    Case(file: "polity.yaml", sizes: [25_000, 100_000], overrides: ["game.rounds=5"]),
    Case(
      file: "dark-forest.yaml", sizes: [5_000, 10_000],
      overrides: [
        "game.dark_forest.region=2000", "game.dark_forest.light_speed=25", "game.dark_forest.fleet_speed=2.5",
        "game.rounds=25",
      ]),
  ]

  @Test("the estimate is at least the peak resident memory of a run, and at most twice it", arguments: cases)
  func estimateBoundsThePeak(_ check: Case) throws {
    let path = TestSupport.repositoryRoot.appendingPathComponent("Scenarios/\(check.file)").path
    var estimates: [Int] = []
    var peaks: [Int] = []
    for n in check.sizes {
      let overrides = ["population.size=\(n)"] + check.overrides
      let estimate = Experiment.estimatedBytes(try ScenarioLoader.load(file: path, overrides: overrides))
      let folder = TestSupport.temporaryDirectory()
      defer { try? FileManager.default.removeItem(atPath: folder) }
      let run = try Self.peakMemory(
        of: ["run", path, "--out", "\(folder)/run", "--quiet"] + overrides.flatMap { ["--set", $0] })
      let line =
        "\(check.testDescription) at \(n): estimate \(estimate >> 20) MiB, peak \(run.peak >> 20) MiB, ratio "
        + String(format: "%.2f", Double(estimate) / Double(max(1, run.peak)))
      print("memory: " + line)
      #expect(run.status == 0, "\(line): the run failed")
      #expect(estimate >= run.peak, "\(line): below the peak")
      #expect(estimate <= 2 * run.peak, "\(line): more than twice the peak")
      estimates.append(estimate)
      peaks.append(run.peak)
    }
    // The part that grows with the population must cover what the peak grows by (the process's fixed part, which
    // the estimate rounds up, must not hide a per-agent part too small).
    let grown = "\(check.testDescription): the estimate grew by \((estimates[1] - estimates[0]) >> 20) MiB"
    #expect(
      estimates[1] - estimates[0] >= peaks[1] - peaks[0], "\(grown), the peak by \((peaks[1] - peaks[0]) >> 20) MiB")
  }

  /// The Python that starts the CLI for ``peakMemory(of:)``: it forks (a copy of its own small process) and
  /// execs, then prints the child's status and peak from `wait4`. Spawning from the test process itself would not
  /// do: `posix_spawn` shares the test process's memory until the exec, and Linux counts that memory's high-water
  /// mark into the child's `ru_maxrss`, so every child would seem as large as the test process.
  static let spawner = """
    import os, sys
    pid = os.fork()
    if pid == 0:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.execv(sys.argv[1], sys.argv[1:])
    _, status, usage = os.wait4(pid, 0)
    print(os.waitstatus_to_exitcode(status), usage.ru_maxrss * 1024)
    """

  /// Runs the CLI with `arguments` in a child process (output discarded); returns its exit status and its peak
  /// resident set size in bytes.
  static func peakMemory(of arguments: [String]) throws -> (status: Int32, peak: Int) {
    let result = try TestSupport.run(["python3", "-c", spawner, TestSupport.agoraExecutable] + arguments)
    let fields = result.output.split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
    let status = try #require(fields.first.flatMap { Int32($0) }, "the spawner said: \(result.output)")
    let peak = try #require(fields.last.flatMap { Int($0) }, "the spawner said: \(result.output)")
    return (status, peak)
  }
}
