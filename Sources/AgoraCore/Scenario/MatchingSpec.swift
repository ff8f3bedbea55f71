/// How agents meet.
public struct MatchingSpec: Sendable, Codable, Hashable {
  public var type: MatchingType = .randomPairs
  /// Asynchronous: each agent's Poisson wake-up rate per time unit.
  public var rate: Double = 1
  /// Asynchronous: the delay of each decision (draws below 0 count as 0).
  public var latency: Distribution = .constant(0)
  /// Asynchronous: the time between two rows of `steps.csv`.
  public var sampleInterval: Double = 1
  /// Groups: players per group.
  public var size: Int = 4
  /// Groups: keep the same groups every round (partner) instead of regrouping (stranger).
  public var partner: Bool = false
  /// Network: how the network is generated.
  public var network = NetworkSpec()

  enum CodingKeys: String, CodingKey, CaseIterable {
    case type, rate, latency, sampleInterval = "sample_interval", size, partner, network
  }

  public init() {}
}

/// The matching protocols.
public enum MatchingType: String, Sendable, Codable, Hashable, CaseIterable {
  /// Every round, agents are shuffled and paired.
  case randomPairs = "random_pairs"
  /// Agents wake up at Poisson times and are paired first come, first served.
  case asynchronous
  /// Pairs formed in the first round and kept (partner matching).
  case fixedPairs = "fixed_pairs"
  /// Groups of `size`, regrouped every round (stranger) or kept (`partner: true`).
  case groups
  /// Every agent meets every other agent once per round (a round-robin tournament).
  case roundRobin = "round_robin"
  /// Everyone trades in one market (double auction).
  case market
  /// Agents are the nodes of a network (``NetworkSpec``, drawn once per run) and every linked pair plays once per
  /// round, the first mover alternating from round to round.
  case network
  /// No matching: a world (commons, dark forest, polity) whose agents meet by its own rules (villages, a galaxy, a
  /// society); a world's scenario has no `matching` mapping.
  case none
}

extension MatchingSpec {
  public init(from decoder: any Decoder) throws {
    try decoder.checkKeys(CodingKeys.allCases.map(\.rawValue))
    let c = try decoder.container(keyedBy: CodingKeys.self)
    type = try c.choice(.type, default: .randomPairs)
    rate = try c.value(.rate, default: 1, allowed: "a number in [1e-9, 1e6] (wake-ups per agent per time unit)") {
      $0 >= ScenarioBounds.tiny && $0 <= ScenarioBounds.rate
    }
    latency = try c.value(.latency, default: .constant(0))
    sampleInterval = try c.value(.sampleInterval, default: 1, allowed: "a number in [1e-9, 1e9] (time units)") {
      $0 >= ScenarioBounds.tiny && $0 <= ScenarioBounds.length
    }
    size = try c.value(.size, default: 4, allowed: "an integer from 2 to 1000000") { (2...1_000_000).contains($0) }
    partner = try c.value(.partner, default: false)
    network = try c.value(.network, default: NetworkSpec())
  }
}
