import AgoraCore

/// The rounds of a bargaining or negotiation match: a number told to the agents, or `unbounded` (play stops after
/// the game's `untold_rounds` and the agents are not told when).
public struct Horizon: Sendable, Hashable, Codable, CustomStringConvertible {
  /// The rounds told to the agents (99 when unbounded).
  public var rounds: Int
  /// Whether the horizon is untold.
  public var unbounded: Bool

  public init(rounds: Int) {
    self.rounds = rounds
    unbounded = false
  }

  /// The untold horizon: at most 99 rounds.
  public static let unbounded = Horizon(unbounded: true)

  private init(unbounded: Bool) {
    rounds = 99
    self.unbounded = unbounded
  }

  /// The rounds actually played at most: the told horizon, or `untold` when the horizon is not told.
  public func played(untold: Int) -> Int { unbounded ? untold : rounds }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if let text = try? container.decode(String.self), text == "unbounded" {
      self = .unbounded
    } else {
      self.init(rounds: try container.decode(Int.self))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    if unbounded { try container.encode("unbounded") } else { try container.encode(rounds) }
  }

  public var description: String { unbounded ? "unbounded" : String(rounds) }

  /// The `untold_rounds` key: the rounds played at most under an untold horizon.
  static func untoldParameter<Root>(_ path: WritableKeyPath<Root, Int>, doc: String) -> Parameter<Root> {
    Parameter("untold_rounds", path, allowed: "an integer from 1 to 99", doc: doc) { x, _ in (1...99).contains(x) }
  }

  /// The `horizon` key of a bargaining or negotiation game.
  static func parameter<Root>(_ path: WritableKeyPath<Root, Horizon>, doc: String) -> Parameter<Root> {
    Parameter(
      "horizon", path, allowed: "an integer from 1 to 99, or unbounded (not told; `untold_rounds` are played)", doc: doc
    ) { h, _ in h.unbounded || (1...99).contains(h.rounds) }
  }
}
