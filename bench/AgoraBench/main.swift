import Agora
import Foundation

// Release-build benchmarks: `swift run -c release AgoraBench <name> [arguments]`, or bench/run.sh for all of them
// with the Python peers. Each prints one line of `key=value` pairs; nothing here is a unit test.

func seconds(_ body: () throws -> Void) rethrows -> Double {
  let start = DispatchTime.now().uptimeNanoseconds
  try body()
  return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// This process's peak resident memory in bytes (VmHWM).
func peakMemory() -> Int {
  guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
  for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
    return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) * 1024
  }
  return 0
}

func report(_ name: String, _ values: [(String, String)]) {
  print(([("bench", name)] + values).map { "\($0.0)=\($0.1)" }.joined(separator: " "))
}

/// M/M/1 on the scheduler: 10^6 customers, lambda 0.5, mu 1; the mean wait in queue is rho / (mu - lambda) = 1.
func mm1(customers: Int) {
  let queue = SingleServerQueue(arrivalRate: 0.5, serviceRate: 1)
  var run = (meanWait: 0.0, events: 0)
  let time = seconds { run = queue.simulate(customers: customers, seed: 11) }
  report(
    "mm1",
    [
      ("customers", "\(customers)"), ("mean_wait", String(format: "%.4f", run.meanWait)),
      ("analytic", String(format: "%.4f", queue.expectedWait)), ("seconds", String(format: "%.3f", time)),
      ("customers_per_s", String(format: "%.0f", Double(customers) / time)),
    ])
}

/// The classic hold model: `pending` events, `operations` hold operations (pop one, push one at now + Exp(1)).
func hold(pending: Int, operations: Int) {
  let stream = RandomStream(seed: 3)
  var queue = EventQueue<Int32>()
  for i in 0..<pending { queue.push(Int32(i), at: stream.exponential(mean: 1)) }
  let time = seconds {
    for _ in 0..<operations {
      let (t, e) = queue.pop()!
      queue.push(e, at: t + stream.exponential(mean: 1))
    }
  }
  report(
    "hold",
    [
      ("pending", "\(pending)"), ("operations", "\(operations)"), ("seconds", String(format: "%.3f", time)),
      ("ops_per_s", String(format: "%.0f", Double(operations) / time)),
    ])
}

/// The floor of one decision of 21 options: 21 exponentials (libm's, of logits that change every decision), their
/// cumulative sum, one uniform draw from the runs' generator (GSL's taus2) and the inverse-distribution lookup, on
/// contiguous memory with nothing else; what any sampler of 21 logits does at least, for the table's ns/decision.
func decisionFloor(decisions: Int) {
  let stream = RandomStream(seed: 5)
  let base = (0..<21).map { -0.37 * Double($0) }
  var cumulative = [Double](repeating: 0, count: 21)
  var checksum = 0
  let time = seconds {
    base.withUnsafeBufferPointer { logits in
      cumulative.withUnsafeMutableBufferPointer { sums in
        for d in 0..<decisions {
          let tilt = Double(d & 1023) * 1e-4
          var total = 0.0
          for k in 0..<21 {
            total += exp(logits[k] - tilt * Double(k))
            sums[k] = total
          }
          let u = stream.uniform() * total
          var k = 0
          while k < 20 && sums[k] <= u { k += 1 }
          checksum &+= k
        }
      }
    }
  }
  report(
    "floor",
    [
      ("decisions", "\(decisions)"), ("options", "21"), ("seconds", String(format: "%.3f", time)),
      ("ns_per_decision", String(format: "%.2f", time * 1e9 / Double(decisions))),
      ("decisions_per_s", String(format: "%.0f", Double(decisions) / time)), ("checksum", "\(checksum)"),
    ])
}

/// FNV-1a over bytes: a digest of a run's output, to check that thread counts give the same result.
func digest(_ result: RunResult) -> String {
  var hash: UInt64 = 0xcbf2_9ce4_8422_2325
  func mix<T>(_ values: [T]) {
    values.withUnsafeBytes { bytes in
      for byte in bytes {
        hash ^= UInt64(byte)
        hash = hash &* 0x100_0000_01b3
      }
    }
  }
  mix(result.payoffs)
  mix(result.interactions)
  // The cells' text, not their debug description (which names the module a type lives in).
  let cells = result.summary.map { "\($0.0)=\($0.1.text)" } + result.stepRows.flatMap { $0.map(\.text) }
  mix(Array(cells.joined(separator: ",").utf8))
  return String(hash, radix: 16)
}

/// Population throughput: Scenarios/ultimatum.yaml (two segments, random pairs) at a size and rounds; the median
/// of `repeats` runs with the slowest and the fastest (the spread), and a digest of the output.
func ultimatum(size: Int, rounds: Int, window: Int?, threads: Int, repeats: Int) throws {
  let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  var overrides = ["population.size=\(size)", "game.rounds=\(rounds)"]
  if let window {
    overrides += [0, 1].map { "population.segments.\($0).memory.window=\(window)" }
  }
  let spec = try ScenarioLoader.load(
    file: root.appendingPathComponent("Scenarios/ultimatum.yaml").path, overrides: overrides)
  var times: [Double] = []
  var result: RunResult? = nil
  for _ in 0..<max(1, repeats) {
    result = nil  // one run's memory at a time: the peak is a run's
    let run = try Experiment.run(spec, threads: threads)
    times.append(run.seconds)
    result = run
  }
  guard let result else { return }
  let seconds = times.sorted()[times.count / 2]
  var interactions = 0
  if case .int(let n)? = result["interactions"] { interactions = n }
  let decisions = 2 * interactions
  let peak = peakMemory()
  report(
    "ultimatum",
    [
      ("agents", "\(size)"), ("rounds", "\(rounds)"), ("window", "\(window ?? 10)"), ("threads", "\(threads)"),
      ("decisions", "\(decisions)"), ("runs", "\(times.count)"),
      ("seconds", String(format: "%.3f", seconds)),
      ("decisions_per_s", String(format: "%.0f", Double(decisions) / seconds)),
      ("decisions_per_s_min", String(format: "%.0f", Double(decisions) / times.max()!)),
      ("decisions_per_s_max", String(format: "%.0f", Double(decisions) / times.min()!)), ("peak_bytes", "\(peak)"),
      ("bytes_per_agent", String(format: "%.1f", Double(peak) / Double(size))), ("digest", digest(result)),
    ])
}

/// The dark forest of Scenarios/dark-forest.yaml at `size` civilizations, run as `agora run` runs it: seconds, the
/// events' counts, and the process's peak resident memory per civilization, in all and beyond the process before the
/// run (one size a process, so the peak is this run's). `fixed` keeps the file's region (so the galaxy is denser as it
/// grows and the detections grow with the square of the civilizations); `density` scales the region's side as
/// `region * (size / 10^5)^(1/dimensions)`, keeping the file's density (10^5 civilizations), as an agent-based model
/// is scaled.
func darkForest(size: Int, scaling: String) throws {
  let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  let file = root.appendingPathComponent("Scenarios/dark-forest.yaml").path
  var overrides = ["population.size=\(size)"]
  if scaling == "density" {
    let shipped = try ScenarioLoader.load(file: file)
    let d = DarkForestRun.parameters(shipped).darkForest
    let side = d.region * pow(Double(size) / Double(shipped.population.size), 1 / Double(d.dimensions))
    overrides.append("game.dark_forest.region=\(side)")
  } else if scaling != "fixed" {
    throw BenchError.unknown("dark_forest scaling \(scaling): fixed or density")
  }
  let spec = try ScenarioLoader.load(file: file, overrides: overrides)
  let before = peakMemory()
  var result: RunResult? = nil
  let time = try seconds { result = try Experiment.run(spec, threads: 1) }
  guard let result else { return }
  func count(_ key: String) -> Int {
    if case .int(let n)? = result[key] { return n }
    return 0
  }
  let peak = peakMemory()
  report(
    "dark_forest",
    [
      ("civilizations", "\(size)"), ("scaling", scaling),
      ("region", String(format: "%.1f", DarkForestRun.parameters(spec).darkForest.region)),
      ("rounds", "\(spec.game.rounds)"), ("seconds", String(format: "%.2f", time)),
      ("decisions", "\(count("decisions"))"), ("emissions", "\(count("leaks") + count("broadcasts"))"),
      ("detections", "\(count("detections"))"),
      ("detections_per_civilization", String(format: "%.1f", Double(count("detections")) / Double(size))),
      ("peak_bytes", "\(peak)"), ("bytes_per_civilization", String(format: "%.1f", Double(peak) / Double(size))),
      ("model_bytes_per_civilization", String(format: "%.1f", Double(peak - before) / Double(size))),
      ("estimate_bytes", "\(Experiment.estimatedBytes(spec))"), ("digest", digest(result)),
    ])
}

/// A benchmark's arguments that name nothing it knows.
enum BenchError: Error {
  case unknown(String)
}

/// Schelling on the engine, as `agora run` runs it: `Experiment.run` of Scenarios/schelling.yaml (small: 40 x 40,
/// 1000 agents, radius 1) or Scenarios/schelling-large.yaml (large: 100 x 100, 8000 agents, radius 2), 20 steps each;
/// the median of `runs` runs with seeds 1, 2, ..., and the happy agents of the last run's last step.
func schelling(_ size: String, runs: Int) throws {
  let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  let file = size == "large" ? "Scenarios/schelling-large.yaml" : "Scenarios/schelling.yaml"
  var spec = try ScenarioLoader.load(file: root.appendingPathComponent(file).path)
  var times: [Double] = []
  var finalHappy = 0
  for seed in 0..<max(1, runs) {
    spec.seed = UInt64(seed + 1)
    var result: RunResult? = nil
    times.append(try seconds { result = try Experiment.run(spec) })
    if case .double(let share)? = result?["happy_share"] {
      finalHappy = Int((share * Double(spec.population.size)).rounded())
    }
  }
  times.sort()
  report(
    "schelling",
    [
      ("size", size), ("agents", "\(spec.population.size)"), ("runs", "\(times.count)"),
      ("median_seconds", String(format: "%.6f", times[times.count / 2])), ("last_happy", "\(finalHappy)"),
    ])
}

let arguments = Array(CommandLine.arguments.dropFirst())
let which = arguments.first ?? "all"
func argument(_ i: Int, _ fallback: Int) -> Int { arguments.count > i ? Int(arguments[i]) ?? fallback : fallback }
switch which {
case "mm1": mm1(customers: argument(1, 1_000_000))
case "hold": hold(pending: argument(1, 100_000), operations: argument(2, 10_000_000))
case "floor": decisionFloor(decisions: argument(1, 20_000_000))
case "ultimatum":
  let window = arguments.count > 3 && arguments[3] != "-" ? argument(3, 10) : nil
  try ultimatum(
    size: argument(1, 100_000), rounds: argument(2, 50), window: window, threads: argument(4, 1),
    repeats: argument(5, 1))
case "dark_forest": try darkForest(size: argument(1, 100_000), scaling: arguments.count > 2 ? arguments[2] : "fixed")
case "schelling": try schelling(arguments.count > 1 ? arguments[1] : "small", runs: argument(2, 100))
default:
  mm1(customers: 1_000_000)
  hold(pending: 100_000, operations: 10_000_000)
  try ultimatum(size: 100_000, rounds: 50, window: nil, threads: 1, repeats: 1)
  try schelling("small", runs: 100)
  try schelling("large", runs: 20)
}
