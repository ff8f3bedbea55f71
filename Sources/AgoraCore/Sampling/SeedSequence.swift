/// Derives independent 64-bit stream seeds from a master seed, so that every consumer of randomness
/// (population sampling, matching, decisions of one agent block, ...) owns a reproducible stream.
///
/// The derivation is a chain of SplitMix64 finalisers over `(master, run, purpose, index)`; see DESIGN.md §3.
public struct SeedSequence: Sendable, Hashable {
  /// The scenario's or the command line's master seed.
  public var master: UInt64
  /// The index of the run within a sweep (0 for a single run).
  public var runIndex: UInt64

  public init(master: UInt64, runIndex: UInt64 = 0) {
    self.master = master
    self.runIndex = runIndex
  }

  /// The seed of the stream serving `purpose`, number `index`.
  public func seed(for purpose: StreamPurpose, index: UInt64 = 0) -> UInt64 {
    var h = SeedSequence.mix(master ^ 0x6A09_E667_F3BC_C908)
    h = SeedSequence.mix(h ^ runIndex &+ 0xBB67_AE85_84CA_A73B)
    h = SeedSequence.mix(h ^ purpose.rawValue &+ 0x3C6E_F372_FE94_F82B)
    h = SeedSequence.mix(h ^ index &+ 0xA54F_F53A_5F1D_36F1)
    return h
  }

  /// A new GSL stream for `purpose`/`index`.
  public func stream(for purpose: StreamPurpose, index: UInt64 = 0, generator: RandomGenerator = .taus2) -> RandomStream
  {
    RandomStream(generator: generator, seed: seed(for: purpose, index: index))
  }

  /// A bijection of [0, 2^53) onto itself that mixes like the SplitMix64 finaliser (xor-shifts and multiplications
  /// by odd constants, all modulo 2^53): distinct inputs below 2^53 give distinct outputs below 2^53, so seeds made
  /// from distinct run indices never coincide and stay exact in int64 and float64 readers.
  public static func mix53(_ value: UInt64) -> UInt64 {
    let mask: UInt64 = (1 << 53) - 1
    var z = value & mask
    z = ((z ^ (z >> 26)) &* 0xBF58_476D_1CE4_E5B9) & mask
    z = ((z ^ (z >> 23)) &* 0x94D0_49BB_1331_11EB) & mask
    return z ^ (z >> 27)
  }

  /// The SplitMix64 finaliser: a bijective 64-bit mix with full avalanche.
  public static func mix(_ value: UInt64) -> UInt64 {
    var z = value &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// What a random stream is used for; part of its seed, so streams of different purposes never coincide.
public enum StreamPurpose: UInt64, Sendable {
  case population = 1
  case matching = 2
  case decisions = 3
  case environment = 4
  case latency = 5
  case design = 6
  /// The seed of one run of a sweep, derived from the sweep seed and the run index.
  case run = 7
  /// Clustering a language-model segment into archetypes.
  case archetypes = 8
  /// The seeds sent with language-model requests, and the jitter of their retries.
  case languageModel = 9
}
