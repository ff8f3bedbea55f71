import Foundation

/// The motives of one agent that enter the utility of an outcome, gathered from its latent preferences.
///
/// Its utilities are `@inlinable`: the models (another module) call them in their hot loops, which must vectorise.
@frozen
public struct Motives: Sendable, Hashable {
  public var selfWeight: Double
  public var envy: Double
  public var guilt: Double
  public var reciprocity: Double
  public var altruism: Double
  public var riskAversion: Double
  public var conformity: Double

  public init(
    selfWeight: Double = 1, envy: Double = 0, guilt: Double = 0, reciprocity: Double = 0, altruism: Double = 0,
    riskAversion: Double = 0, conformity: Double = 0
  ) {
    self.selfWeight = selfWeight
    self.envy = envy
    self.guilt = guilt
    self.reciprocity = reciprocity
    self.altruism = altruism
    self.riskAversion = riskAversion
    self.conformity = conformity
  }

  /// CRRA transform of a stake-normalised amount, shifted so that u(0) = 0 and u'(0) = 1:
  /// `u(x) = ((1+x)^(1-r) - 1)/(1-r)`, `log(1+x)` at r = 1, x itself at r = 0 (and for losses of the whole
  /// stake or more, x <= -1, where the transform is undefined).
  @inlinable
  public func money(_ x: Double) -> Double {
    let r = riskAversion
    if r == 0 || x <= -1 { return x }
    if abs(r - 1) < 1e-12 { return log(1 + x) }
    return (pow(1 + x, 1 - r) - 1) / (1 - r)
  }

  /// Utility of a two-player outcome (own payoff `x`, other's `y`, both normalised by the stake), with
  /// `kindness` in [-1, 1] the other player's kindness towards this one (DESIGN.md §5, n = 2).
  @inlinable @inline(__always)
  public func utility(own x: Double, other y: Double, kindness: Double = 0) -> Double {
    utility(ownValue: money(x), otherValue: money(y), kindness: kindness)
  }

  /// ``utility(own:other:kindness:)`` of amounts already through ``money(_:)`` (for a loop that transforms them
  /// once, or not at all when `riskAversion` is 0).
  @inlinable @inline(__always)
  public func utility(ownValue ux: Double, otherValue uy: Double, kindness: Double = 0) -> Double {
    selfWeight * ux + altruism * uy - envy * Swift.max(uy - ux, 0) - guilt * Swift.max(ux - uy, 0)
      + reciprocity * kindness * uy
  }
}

/// The preferences that make up ``Motives``, read from the population's per-agent records: one agent's motives
/// are seven reads from one or two cache lines.
public struct MotiveColumns: Sendable {
  /// The agents' preference records (the population's, or a copy adjusted to a stake).
  public let values: [Double]

  public init(_ population: Population) { values = population.values }

  /// The population's records as its segments' ``StakeResponse`` adjusts them to a game's `stake` (the
  /// population's own records, not a copy, when no segment responds to the stake).
  public init(_ population: Population, stake: Double) {
    let responses = population.segments.map(\.stakeResponse)
    guard responses.contains(where: { $0 != nil }) else {
      values = population.values
      return
    }
    var adjusted = population.values
    adjusted.withUnsafeMutableBufferPointer { buffer in
      for (s, response) in responses.enumerated() {
        guard let response else { continue }
        for i in population.ranges[s] {
          response.apply(stake: stake, to: buffer.baseAddress! + i * Population.dimensions)
        }
      }
    }
    values = adjusted
  }

  /// Agent `i`'s motives.
  @inlinable
  public subscript(_ i: Int) -> Motives {
    values.withUnsafeBufferPointer { Motives(record: $0.baseAddress! + i * Population.dimensions) }
  }
}

extension Motives {
  /// The motives in an agent's preference record (``Population/dimensions`` values, ``Preference`` order).
  @inlinable
  public init(record v: UnsafePointer<Double>) {
    self.init(
      selfWeight: v[Preference.selfWeight.rawValue], envy: v[Preference.envy.rawValue],
      guilt: v[Preference.guilt.rawValue], reciprocity: v[Preference.reciprocity.rawValue],
      altruism: v[Preference.altruism.rawValue], riskAversion: v[Preference.riskAversion.rawValue],
      conformity: v[Preference.conformity.rawValue])
  }
}
