/// A population segment: a share of the agents with one preference distribution, decoding style and memory.
public struct SegmentSpec: Sendable, Codable, Hashable {
  public var name: String
  public var share: Double
  public var preferences: PreferenceDistributions = PreferenceDistributions()
  public var decoding: DecodingParameters = DecodingParameters()
  public var memory: MemorySpec = MemorySpec()
  /// How the segment's agents decide: the LLM-style decoder or a language model.
  public var policy: Policy = .decoder
  /// A fixed strategy of the model (`strategy: tit_for_tat` in the prisoner's dilemma) that the segment plays
  /// instead of deciding; the model declares its strategies (``Model/strategies``).
  public var strategy: String? = nil
  /// The language model of a `policy: llm` segment.
  public var llm: LanguageModelSpec? = nil
  /// How the segment's agents respond to the absolute stake of a division game (none: utilities in units of the
  /// stake decide alike at every stake).
  public var stakeResponse: StakeResponse? = nil

  enum CodingKeys: String, CodingKey, CaseIterable {
    case name, share, preferences, decoding, memory, policy, strategy, llm
    case stakeResponse = "stake_response"
  }

  public init(
    name: String, share: Double, preferences: PreferenceDistributions = PreferenceDistributions(),
    decoding: DecodingParameters = DecodingParameters(), memory: MemorySpec = MemorySpec(), policy: Policy = .decoder
  ) {
    self.name = name
    self.share = share
    self.preferences = preferences
    self.decoding = decoding
    self.memory = memory
    self.policy = policy
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
  /// Prior belief that an offer of at least ``priorAcceptFrom`` of the stake is accepted (a zero offer is believed
  /// rejected).
  public var priorAccept: Double = 1
  /// How the prior belief of acceptance falls below ``priorAcceptFrom``: an offer `s < from` is believed accepted
  /// with probability `prior_accept * (1 - slope * (1 - s / from))`; 0 (the default) believes every positive offer
  /// alike.
  public var priorAcceptSlope: Double = 0
  /// The share of the stake from which an offer is believed accepted with `prior_accept` (the default, 1/2, is the
  /// equal split; people accept offers of 40% nearly always, and a proposer who knows it offers less than half).
  public var priorAcceptFrom: Double = 0.5
  /// Weight of the prior, in pseudo-observations.
  public var priorWeight: Double = 2

  /// The observations an agent keeps in context: its window when it learns in context, else none.
  public var contextWindow: Int { learning == .inContext ? window : 0 }

  /// The prior belief that an offer of share `s` of the stake is accepted.
  public func priorAcceptance(of s: Double) -> Double {
    s <= 0 ? 0 : priorAccept * (1 - priorAcceptSlope * max(0, 1 - s / priorAcceptFrom))
  }
  /// Prior expectation of the other side's cooperation in [0, 1]: the partner's probability of cooperating
  /// (prisoner's dilemma), the group's mean contribution share (public goods), or the trustee's return as a share
  /// of an equal split (trust).
  public var priorCooperation: Double = 0.5
  /// `prior_cooperation` for particular games, by `game.type` (`{prisoners_dilemma: 0.9}`): a language model's
  /// expectation of the other side comes with the game it is told it plays, so a segment may carry one per game.
  public var priorCooperationIn: [String: Double] = [:]
  /// How much an observed defection weighs against cooperation in that belief: an observation x in [0, 1] of the
  /// other side's cooperation counts x + w (1 - x) times, so with w = 10 one defection outweighs ten cooperations
  /// (an unforgiving player, as GPT-4 in Akata et al.'s repeated games); 1 (the default) counts all alike.
  public var defectionWeight: Double = 1

  enum CodingKeys: String, CodingKey, CaseIterable {
    case window, learning, priorAccept = "prior_accept", priorAcceptSlope = "prior_accept_slope"
    case priorAcceptFrom = "prior_accept_from"
    case priorWeight = "prior_weight", priorCooperation = "prior_cooperation", defectionWeight = "defection_weight"
    case priorCooperationIn = "prior_cooperation_in"
  }

  /// The prior cooperation in a game of type `game`.
  public func priorCooperation(in game: String) -> Double { priorCooperationIn[game] ?? priorCooperation }

  public init() {}
}

/// How a segment's agents decide (a fixed strategy is the model's own: ``SegmentSpec/strategy``).
public enum Policy: String, Sendable, Codable, Hashable, CaseIterable {
  /// The LLM-style decoder over utilities (DESIGN.md §5).
  case decoder
  /// A language model over an OpenAI-compatible API (the segment's `llm` settings); the decoder is its fallback.
  case llm
}

/// Belief models.
public enum Learning: String, Sendable, Codable, Hashable, CaseIterable {
  /// Beliefs stay at the prior.
  case none
  /// Beliefs come from the context window (see ``Memory``).
  case inContext = "in_context"
  /// Rational expectations: a proposer knows the responder population, and believes each offer accepted with the
  /// population's mean probability of accepting it (each responder's decoding probability); no learning.
  case population
  /// Smoothed fictitious play (the matrix game's): beliefs are the mean of every opponent action seen, the t-th
  /// weighing t (no window), so a population at temperature `1/lambda` converges to the logit QRE.
  case fictitious
}

extension SegmentSpec {
  public init(from decoder: any Decoder) throws {
    try decoder.checkKeys(CodingKeys.allCases.map(\.rawValue))
    let c = try decoder.container(keyedBy: CodingKeys.self)
    name = try c.value(.name, allowed: "a non-empty name") { !$0.isEmpty }
    share = try c.value(.share, default: .nan, allowed: "a number in (0, 1]") { $0.isNaN || ($0 > 0 && $0 <= 1) }
    preferences = try c.value(.preferences, default: PreferenceDistributions())
    decoding = try c.value(.decoding, default: DecodingParameters())
    memory = try c.value(.memory, default: MemorySpec())
    if let raw = try? c.decodeIfPresent(String.self, forKey: .policy), Policy(rawValue: raw) == nil,
      ModelRegistry.models.contains(where: { $0.strategies.contains(raw) })
    {
      throw ScenarioIssue(
        c.codingPath + [CodingKeys.policy], value: raw,
        "is a fixed strategy, not a way of deciding: write strategy: \(raw) (policy is decoder or llm)")
    }
    policy = try c.choice(.policy, default: .decoder)
    strategy = try c.decodeIfPresent(String.self, forKey: .strategy)
    if strategy != nil && policy == .llm {
      throw ScenarioIssue(
        c.codingPath + [CodingKeys.strategy], "a segment plays a fixed strategy or asks a language model, not both")
    }
    llm = try c.decodeIfPresent(LanguageModelSpec.self, forKey: .llm)
    stakeResponse = try c.decodeIfPresent(StakeResponse.self, forKey: .stakeResponse)
    if policy == .llm && llm == nil {
      throw ScenarioIssue(
        c.codingPath + [CodingKeys.llm], "required with policy: llm; expected {base_url, model, ...}")
    }
    if policy != .llm && llm != nil {
      throw ScenarioIssue(c.codingPath + [CodingKeys.llm], "only a segment with policy: llm has llm settings")
    }
  }
}

extension DecodingParameters {
  public init(from decoder: any Decoder) throws {
    try decoder.checkKeys(CodingKeys.allCases.map(\.rawValue))
    let c = try decoder.container(keyedBy: CodingKeys.self)
    temperature = try c.value(.temperature, default: 1, allowed: "a finite number >= 0 (0 decodes greedily)") {
      $0 >= 0 && $0.isFinite
    }
    topK = try c.value(.topK, default: 0, allowed: "an integer >= 0 (0 keeps every option)") { $0 >= 0 }
    topP = try c.value(.topP, default: 1, allowed: "a number in (0, 1]") { $0 > 0 && $0 <= 1 }
    positionBias = try c.value(.positionBias, default: 0, allowed: "a finite number (logit bonus)") { $0.isFinite }
    salienceBias = try c.value(.salienceBias, default: 0, allowed: "a finite number (logit bonus)") { $0.isFinite }
    modeCollapse = try c.value(.modeCollapse, default: 0, allowed: "a number in [0, 1]") { $0 >= 0 && $0 <= 1 }
    focalMass = try c.value(.focalMass, default: 0, allowed: "a number from 0 to 1000 (a share of the range)") {
      $0 >= 0 && $0 <= 1000
    }
  }
}

extension MemorySpec {
  public init(from decoder: any Decoder) throws {
    try decoder.checkKeys(CodingKeys.allCases.map(\.rawValue))
    let c = try decoder.container(keyedBy: CodingKeys.self)
    window = try c.value(.window, default: 10, allowed: "an integer from 0 to 1000") { (0...1000).contains($0) }
    learning = try c.choice(.learning, default: .inContext)
    priorAccept = try c.value(.priorAccept, default: 1, allowed: "a probability in [0, 1]") { $0 >= 0 && $0 <= 1 }
    priorAcceptSlope = try c.value(.priorAcceptSlope, default: 0, allowed: "a number in [0, 1]") { $0 >= 0 && $0 <= 1 }
    priorAcceptFrom = try c.value(.priorAcceptFrom, default: 0.5, allowed: "a share of the stake in (0, 1]") {
      $0 > 0 && $0 <= 1
    }
    priorWeight = try c.value(.priorWeight, default: 2, allowed: "a finite number > 0") { $0 > 0 && $0.isFinite }
    priorCooperation = try c.value(.priorCooperation, default: 0.5, allowed: "a number in [0, 1]") {
      $0 >= 0 && $0 <= 1
    }
    defectionWeight = try c.value(.defectionWeight, default: 1, allowed: "a number from 1 to 1000") {
      $0 >= 1 && $0 <= 1000
    }
    priorCooperationIn = try c.value(
      .priorCooperationIn, default: [:], allowed: "a mapping from a game type to a number in [0, 1]"
    ) { $0.values.allSatisfy { $0 >= 0 && $0 <= 1 } }
    let types = ModelRegistry.models.map(\.type.rawValue)
    for game in priorCooperationIn.keys.sorted() where !types.contains(game) {
      var message = "expected a game type (\(types.joined(separator: ", ")))"
      if let guess = nearest(game, in: types) { message += "; did you mean '\(guess)'?" }
      throw ScenarioIssue(c.codingPath + [CodingKeys.priorCooperationIn], value: game, message)
    }
  }
}
