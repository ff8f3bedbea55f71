import AgoraCore

/// The Sugarscape's parameters (Epstein & Axtell 1996, ch. II): the grid, how fast sugar grows back, the ranges the
/// agents' vision, metabolism and initial sugar are drawn from, whether the dead are replaced, and the movement rule.
public struct SugarscapeParameters: ModelParameters {
  /// Steps: in each, every living agent moves once, in a new random order, then the cells grow back.
  public var rounds = 200
  public var width = 50
  public var height = 50
  /// The book's sugarscape is a torus.
  public var torus = true
  /// Rule G_alpha: the sugar a cell grows back per step, up to its capacity.
  public var growback = 1
  public var visionMin = 1
  public var visionMax = 6
  public var metabolismMin = 1
  public var metabolismMax = 4
  public var endowmentMin = 5
  public var endowmentMax = 25
  /// Whether each agent that dies is replaced by a new random one (the book's replacement rule, without ages).
  public var replacement = false
  public var rule: Rule = .classic
  /// Points of the Lorenz curve in `lorenz.csv`, beside (0, 0).
  public var lorenzPoints = 20

  /// How agents choose where to move.
  public enum Rule: String, Sendable, Codable, Hashable, CaseIterable {
    /// Epstein & Axtell's rule M: the visible free cell with the most sugar, the nearest on a tie, then at random.
    case classic
    /// The same candidates, chosen by the segment's decoder with utility = the cell's sugar (temperature 0 is rule M).
    case decoder
  }

  public init() {}

  public static var parameters: [Parameter<Self>] {
    let amounts = 1_000_000
    return [
      .rounds(
        \.rounds, doc: "steps; in each, every living agent moves once, in a new random order, then sugar grows back")
    ] + Parameter.grid(width: \.width, height: \.height) + [
      Parameter(
        "torus", \.torus, allowed: "true or false",
        doc: "whether the grid wraps around at its edges (the book's sugarscape is a torus)"),
      Parameter(
        "growback", \.growback, allowed: "an integer from 0 to \(amounts)",
        doc: "rule G_alpha: the sugar every cell grows back per step, up to its capacity (alpha)"
      ) { x, _ in (0...amounts).contains(x) },
      Parameter(
        "vision_min", \.visionMin, allowed: "an integer from 1 to 1000",
        doc: "the smallest vision: agents see this many cells or more in each of the four lattice directions"
      ) { x, _ in (1...1000).contains(x) },
      Parameter(
        "vision_max", \.visionMax, allowed: "an integer from vision_min to 1000",
        doc: "the largest vision; each agent's is uniform over vision_min..vision_max"
      ) { x, p in x >= p.visionMin && x <= 1000 },
      Parameter(
        "metabolism_min", \.metabolismMin, allowed: "an integer from 0 to \(amounts)",
        doc: "the smallest metabolism: the sugar an agent burns per step"
      ) { x, _ in (0...amounts).contains(x) },
      Parameter(
        "metabolism_max", \.metabolismMax, allowed: "an integer from metabolism_min to \(amounts)",
        doc: "the largest metabolism; each agent's is uniform over metabolism_min..metabolism_max"
      ) { x, p in x >= p.metabolismMin && x <= amounts },
      Parameter(
        "endowment_min", \.endowmentMin, allowed: "an integer from 1 to \(amounts)",
        doc: "the smallest initial sugar an agent is born with"
      ) { x, _ in (1...amounts).contains(x) },
      Parameter(
        "endowment_max", \.endowmentMax, allowed: "an integer from endowment_min to \(amounts)",
        doc: "the largest initial sugar; each agent's is uniform over endowment_min..endowment_max"
      ) { x, p in x >= p.endowmentMin && x <= amounts },
      Parameter(
        "replacement", \.replacement, allowed: "true or false",
        doc: "whether each agent that starves is replaced, at the step's end, by a new agent with random vision, "
          + "metabolism, sugar and cell (the book's replacement rule, without ages)"),
      Parameter(
        "rule", \.rule,
        doc: "`classic`: rule M, the visible free cell with the most sugar, the nearest on a tie (Epstein & Axtell); "
          + "`decoder`: the same cells chosen by the segment's decoder with utility = sugar (temperature 0 is rule M)"),
      Parameter(
        "lorenz_points", \.lorenzPoints, allowed: "an integer from 1 to 10000",
        doc: "points of the Lorenz curve of wealth at the end in lorenz.csv, beside (0, 0)"
      ) { x, _ in (1...10000).contains(x) },
    ]
  }
}
