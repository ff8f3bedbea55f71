/// A resolved scenario: what one run simulates. Decoded from YAML by ``ScenarioLoader``, with defaults filled in
/// and every value validated; encodes back to the same keys for the run manifest.
public struct ScenarioSpec: Sendable, Codable, Hashable {
  /// The scenario's name; the default output folder is `Results/<name>/seed-<seed>`.
  public var name: String
  /// Free text describing the scenario.
  public var description: String = ""
  /// The master seed.
  public var seed: UInt64 = 1
  /// The GSL generator algorithm of every stream.
  public var rng: String = RandomGenerator.taus2.name
  public var game: GameSpec
  public var matching: MatchingSpec = MatchingSpec()
  public var population: PopulationSpec
  public var output: OutputSpec = OutputSpec()

  enum CodingKeys: String, CodingKey, CaseIterable {
    case name, description, seed, rng, game, matching, population, output
  }

  /// The generator named by `rng` (validated when the scenario loads).
  public var generator: RandomGenerator { RandomGenerator(name: rng) ?? .taus2 }
}

/// The game played, with its parameters.
public struct GameSpec: Sendable, Codable, Hashable {
  /// The game's type name.
  public var type: GameType
  /// The amount divided in one interaction.
  public var stake: Double = 100
  /// The spacing of the offer grid 0, step, 2*step, ..., stake.
  public var offerStep: Double = 5
  /// Synchronous rounds, or the simulated duration in time units under asynchronous matching.
  public var rounds: Int = 1
  /// How proposer and responder roles are assigned.
  public var roles: RoleAssignment = .swap

  enum CodingKeys: String, CodingKey, CaseIterable {
    case type, stake, offerStep = "offer_step", rounds, roles
  }

  /// The number of offers on the grid.
  public var offerCount: Int { Int((stake / offerStep).rounded()) + 1 }
}

/// The games Agora plays.
public enum GameType: String, Sendable, Codable, Hashable, CaseIterable {
  case ultimatum, dictator
}

/// How roles are assigned in two-role games.
public enum RoleAssignment: String, Sendable, Codable, Hashable, CaseIterable {
  /// Each agent's role alternates every round (half of each segment starts as proposer).
  case swap
  /// Half of each segment proposes in every round, the other half always responds.
  case fixed
  /// The role is drawn anew for every pair.
  case random
}

/// How agents meet.
public struct MatchingSpec: Sendable, Codable, Hashable {
  public var type: MatchingType = .randomPairs
  /// Asynchronous: each agent's Poisson wake-up rate per time unit.
  public var rate: Double = 1
  /// Asynchronous: the delay of each decision (draws below 0 count as 0).
  public var latency: Distribution = .constant(0)
  /// Asynchronous: the time between two rows of `steps.csv`.
  public var sampleInterval: Double = 1

  enum CodingKeys: String, CodingKey, CaseIterable {
    case type, rate, latency, sampleInterval = "sample_interval"
  }

  public init() {}
}

/// The matching protocols.
public enum MatchingType: String, Sendable, Codable, Hashable, CaseIterable {
  /// Every round, agents are shuffled and paired.
  case randomPairs = "random_pairs"
  /// Agents wake up at Poisson times and are paired first come, first served.
  case asynchronous
}

/// The population: its size and its segments.
public struct PopulationSpec: Sendable, Codable, Hashable {
  public var size: Int
  public var segments: [SegmentSpec]

  enum CodingKeys: String, CodingKey, CaseIterable { case size, segments }
}

/// A population segment: a share of the agents with one preference distribution, decoding style and memory.
public struct SegmentSpec: Sendable, Codable, Hashable {
  public var name: String
  public var share: Double
  public var preferences: PreferenceDistributions = PreferenceDistributions()
  public var decoding: DecodingParameters = DecodingParameters()
  public var memory: MemorySpec = MemorySpec()

  enum CodingKeys: String, CodingKey, CaseIterable { case name, share, preferences, decoding, memory }

  public init(
    name: String, share: Double, preferences: PreferenceDistributions = PreferenceDistributions(),
    decoding: DecodingParameters = DecodingParameters(), memory: MemorySpec = MemorySpec()
  ) {
    self.name = name
    self.share = share
    self.preferences = preferences
    self.decoding = decoding
    self.memory = memory
  }
}

/// The distribution of each latent preference in a segment: one marginal per named dimension, plus joint
/// distributions (Dirichlet, multivariate normal) over groups of dimensions.
public struct PreferenceDistributions: Sendable, Hashable {
  /// Marginal distributions, in dimension order.
  public var marginals: [(Preference, ClampedDistribution)] = []
  /// Joint distributions over disjoint groups of dimensions.
  public var joint: [JointPreference] = []

  public init(marginals: [(Preference, ClampedDistribution)] = [], joint: [JointPreference] = []) {
    self.marginals = marginals
    self.joint = joint
  }

  public static func == (lhs: Self, rhs: Self) -> Bool {
    lhs.joint == rhs.joint && lhs.marginals.map(\.0) == rhs.marginals.map(\.0)
      && lhs.marginals.map(\.1) == rhs.marginals.map(\.1)
  }

  public func hash(into hasher: inout Hasher) {
    for (d, dist) in marginals {
      hasher.combine(d)
      hasher.combine(dist)
    }
    hasher.combine(joint)
  }
}

/// A joint distribution over named dimensions.
public struct JointPreference: Sendable, Hashable {
  public var dimensions: [Preference]
  public var distribution: JointDistribution
  /// The covariance as written in the scenario (multivariate normal only), for the manifest.
  public var covariance: [[Double]]? = nil
}

/// A segment's context window and belief model.
public struct MemorySpec: Sendable, Codable, Hashable {
  /// How many past observations an agent keeps.
  public var window: Int = 10
  /// How beliefs are formed.
  public var learning: Learning = .inContext
  /// Prior belief that a positive offer is accepted (a zero offer is believed rejected).
  public var priorAccept: Double = 1
  /// Weight of the prior, in pseudo-observations.
  public var priorWeight: Double = 2

  enum CodingKeys: String, CodingKey, CaseIterable {
    case window, learning, priorAccept = "prior_accept", priorWeight = "prior_weight"
  }

  public init() {}
}

/// Belief models.
public enum Learning: String, Sendable, Codable, Hashable, CaseIterable {
  /// Beliefs stay at the prior.
  case none
  /// Beliefs come from the context window (see ``Memory``).
  case inContext = "in_context"
}

/// Which optional files a run writes.
public struct OutputSpec: Sendable, Codable, Hashable {
  public var steps: Bool = true
  public var agents: Bool = true
  public var events: Bool = false

  enum CodingKeys: String, CodingKey, CaseIterable { case steps, agents, events }

  public init() {}
}
