import Foundation

/// The memory a run needs, estimated per model before anything is allocated (what `agora run` and every
/// design point of `agora sweep` check against the machine's memory).
extension Experiment {
  /// The peak resident memory of a run of 2 agents (the binary, the Swift runtime, Foundation, GSL): 39 MiB measured
  /// in a release build and 42 MiB in a debug build, rounded up for other systems' libraries.
  static let processBytes = 48 << 20

  /// A conservative estimate of the peak memory (resident set) of a run of `spec`, in bytes: the process itself plus
  /// the model's own memory as a function of its parameters, measured for every scenario file at two sizes to stay
  /// above the measured peak and within twice it (method and table: docs/design-notes.md, "The memory estimate").
  public static func estimatedBytes(_ spec: ScenarioSpec) -> Int {
    // Bytes per agent beyond the windows: each model's measured slope (docs/design-notes.md) plus 10-15%.
    let model = ModelRegistry.entry(spec.game.type).estimatedBytes(spec)
    let total = Double(processBytes) + model.rounded(.up)
    let most = Double(Int.max / 2)
    return total.isNaN ? Int(most) : Int(min(most, total))
  }

  /// The longest context window of any segment (every agent's ring buffer holds this many observations).
  public static func contextWindow(_ spec: ScenarioSpec) -> Int {
    spec.population.segments.map(\.memory.contextWindow).max() ?? 0
  }

  /// A division game's memory beyond the process: per agent, the preference record and the run's columns (measured
  /// 112 to 124 bytes), the responder's window when it learns (2 bytes an observation, 8 of counters), and the
  /// asynchronous scheduler's pending events and queues (measured 64 bytes).
  public static func divisionBytes(_ spec: ScenarioSpec, responderLearns: Bool) -> Double {
    let window = responderLearns ? Double(contextWindow(spec)) : 0
    var perAgent = 144.0
    if window > 0 { perAgent += 8 + 2 * window }
    if spec.matching.type == .asynchronous { perAgent += 80 }
    return Double(spec.population.size) * perAgent
  }

  /// A match game's memory beyond the process: `perAgent` bytes (measured for each game: the preference record, the
  /// motives, payoffs, match counts and the game's own columns), each agent's observation window (a Float an
  /// observation, a running sum and counters), and in a round robin every ordered pair of agents (two Int32 a match).
  public static func matchBytes(_ spec: ScenarioSpec, perAgent: Double) -> Double {
    let n = Double(spec.population.size)
    let window = Double(contextWindow(spec))
    var bytes = n * (perAgent + (window > 0 ? 16 + 4 * window : 0))
    if spec.matching.type == .roundRobin { bytes += 4 * n * (n - 1) }
    return bytes
  }
}
