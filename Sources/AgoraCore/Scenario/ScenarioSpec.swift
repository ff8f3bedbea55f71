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
