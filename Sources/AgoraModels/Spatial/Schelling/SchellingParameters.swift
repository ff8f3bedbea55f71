import AgoraCore

/// Schelling's segregation model's parameters: the grid, the neighbourhood, how many like neighbours make an agent
/// content, and the rule by which agents move.
public struct SchellingParameters: ModelParameters {
  /// Steps: in each, every agent acts once, in a new random order.
  public var rounds = 20
  public var width = 40
  public var height = 40
  /// The share of cells occupied; 0 takes it from the population (`population.size / (width x height)`).
  public var density = 0.0
  public var torus = false
  public var neighbourhood: Neighbourhood = .moore
  public var radius = 1
  /// Neighbours of its own type an agent needs to be happy.
  public var homophily = 3
  public var rule: Rule = .threshold
  /// The decoder rule's options beside staying: empty cells sampled without replacement.
  public var candidates = 4
  /// The decoder rule: the utility an agent gives up by moving.
  public var moveCost = 0.0
  /// The side of the square blocks of the dissimilarity index, in cells.
  public var block = 5

  /// How agents decide to move.
  public enum Rule: String, Sendable, Codable, Hashable, CaseIterable {
    /// Schelling's (and Mesa's) rule: an unhappy agent moves to a uniformly random empty cell.
    case threshold
    /// Moving is a choice among staying and a few sampled empty cells, decided by the segment's decoder.
    case decoder
  }

  public init() {}

  /// The most cells the neighbourhood of radius `radius` has.
  var neighbourhoodSize: Int { neighbourhood.size(radius: radius) }

  public static var parameters: [Parameter<Self>] {
    return [
      .rounds(\.rounds, doc: "steps; in each, every agent acts once, in a new random order")
    ] + Parameter.grid(width: \.width, height: \.height) + [
      Parameter(
        "density", \.density, allowed: "0 or a number in (0, 1)",
        doc: "the share of cells occupied: 0 takes population.size / (width x height); any other value must give "
          + "population.size = round(density x width x height)"
      ) { x, _ in x == 0 || (x > 0 && x < 1) },
      Parameter(
        "torus", \.torus, allowed: "true or false", doc: "whether the grid wraps around at its edges (a torus)"),
      Parameter(
        "neighbourhood", \.neighbourhood,
        doc: "`moore`: cells within Chebyshev distance radius; `von_neumann`: within Manhattan distance radius"),
      Parameter("radius", \.radius, allowed: "an integer from 1 to 50", doc: "the neighbourhood's radius in cells") {
        x, _ in (1...50).contains(x)
      },
      Parameter(
        "homophily", \.homophily,
        allowed: "an integer from 0 to the neighbourhood's size ((2 radius + 1)^2 - 1 for moore, 2 radius (radius + 1) "
          + "for von_neumann)",
        doc: "neighbours of its own type an agent needs to be happy"
      ) { x, p in x >= 0 && x <= p.neighbourhoodSize },
      Parameter(
        "rule", \.rule,
        doc: "`threshold`: an unhappy agent moves to a uniformly random empty cell (Schelling, Mesa); `decoder`: "
          + "every agent chooses among staying and `candidates` sampled empty cells with the decoder"),
      Parameter(
        "candidates", \.candidates, allowed: "an integer from 1 to 1000",
        doc: "the decoder rule's options beside staying: empty cells sampled without replacement"
      ) { x, _ in (1...1000).contains(x) },
      Parameter(
        "move_cost", \.moveCost, allowed: "a number in [0, 1e6]",
        doc: "the decoder rule: the utility an agent gives up by moving"
      ) { x, _ in x >= 0 && x <= ScenarioBounds.factor },
      Parameter(
        "block", \.block, allowed: "an integer from 1 to max(width, height)",
        doc: "the side, in cells, of the square blocks the dissimilarity index compares"
      ) { x, p in x >= 1 && x <= max(p.width, p.height) },
    ]
  }
}
