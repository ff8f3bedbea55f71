import Foundation

/// The refusal of a run that cannot fit in this machine's memory, made before anything is simulated or written.
public enum MemoryBudget {
  /// The memory this process may plan to use: four fifths of the machine's physical memory.
  public static var available: Int { Int(clamping: ProcessInfo.processInfo.physicalMemory) / 5 * 4 }

  /// Throws when a run of `spec` needs more memory than ``available`` (by the model's estimate).
  public static func check(_ spec: ScenarioSpec, source: String? = nil) throws(ScenarioIssue) {
    let needed = Experiment.estimatedBytes(spec)
    guard needed >= available else { return }
    throw ScenarioIssue(
      file: source, path: "population.size", value: String(spec.population.size),
      message:
        "a run needs about \(needed >> 20) MiB, more than the \(available >> 20) MiB this machine can give it "
        + "(4/5 of \(ProcessInfo.processInfo.physicalMemory >> 20) MiB); reduce population.size or memory.window")
  }
}
