/// A model's parameters: the keys of a scenario's `game` mapping beside `type`, each declared once (name, default,
/// allowed values, meaning) in the model's folder. Decoding, the manifest, error messages, `agora list --parameters`
/// and the tables of `docs/scenario.md` all come from the declaration.
public protocol ModelParameters: DeclaredParameters, Sendable, Hashable, SendableMetatype {
  /// Rounds, periods, months or simulated time units, as the model counts them (every model has `rounds`).
  var rounds: Int { get }
  /// Mappings among the keys that declare their own keys (a world's `commons:`), with their reference tables.
  static var nestedTables: [(key: String, table: String)] { get }
}

extension ModelParameters {
  public static var nestedTables: [(key: String, table: String)] { [] }

  /// The parameters as a hashable value with their own type's equality (a game's parameters are held as an
  /// existential).
  var hashableValue: AnyHashable { AnyHashable(self) }

  /// The declared keys, in order.
  static var keys: [String] { parameters.map(\.key) }

  /// Encodes the declared keys into `container` (beside `type`, which the game's mapping holds too).
  func encodeParameters(into container: inout KeyedEncodingContainer<AnyKey>) throws {
    for parameter in Self.parameters { try parameter.encode(self, &container) }
  }

  /// Decodes the declared keys from the mapping `decoder` is at, in declaration order; other keys are left to the
  /// caller to refuse (the game's mapping also holds `type`).
  static func decodeParameters(from decoder: any Decoder) throws -> Self {
    let container = try decoder.container(keyedBy: AnyKey.self)
    var root = Self()
    for parameter in Self.parameters { try parameter.decode(&root, container) }
    return root
  }
}

extension Parameter {
  /// `rounds`, with the model's default: rounds, months, periods or time units.
  public static func rounds(_ path: WritableKeyPath<Root, Int>, doc: String = "synchronous rounds") -> Self {
    Parameter("rounds", path, allowed: "an integer from 1 to 100000000", doc: doc) { x, _ in
      (1...100_000_000).contains(x)
    }
  }

  /// `width` and `height` of a grid: its columns, and its rows (default: as many as columns), at most
  /// ``ScenarioBounds/cells`` cells in all.
  public static func grid(width: WritableKeyPath<Root, Int>, height: WritableKeyPath<Root, Int>) -> [Self] {
    let cells = ScenarioBounds.cells
    return [
      Parameter("width", width, allowed: "an integer from 1 to \(cells)", doc: "the grid's columns") { x, _ in
        (1...cells).contains(x)
      },
      Parameter(
        "height", height, allowed: "an integer >= 1 with width x height <= \(cells)", doc: "the grid's rows",
        default: ({ $0[keyPath: width] }, text: "width")
      ) { x, p in x >= 1 && x <= cells / p[keyPath: width] },
    ]
  }

  /// `stake`: the amount at stake in one interaction.
  public static func stake(
    _ path: WritableKeyPath<Root, Double>, doc: String = "the amount divided in each interaction"
  )
    -> Self
  {
    Parameter("stake", path, allowed: "a number in (0, 1e12]", doc: doc) { x, _ in
      x > 0 && x <= ScenarioBounds.amount
    }
  }

  /// `offer_grid`: the spacing of the offer grid as a share of the stake (0: not given), read before `offer_step`,
  /// so that a swept stake keeps its number of offers (GLEE's continuous offers, approximated by `0.01`).
  public static func offerGrid(_ path: WritableKeyPath<Root, Double>) -> Self {
    Parameter(
      "offer_grid", path,
      allowed: "0 (not given) or a share of the stake in (0, 1] that divides 1 into at most 10000 steps",
      doc:
        "the grid's spacing as a share of the stake (`0.01`: offers in 1% steps whatever the stake); sets `offer_step`"
    ) { x, _ in
      guard x != 0 else { return true }
      guard x > 0, x <= 1, x.isFinite else { return false }
      let steps = 1 / x
      return steps <= 10_000 && abs(steps - steps.rounded()) <= 1e-9 * steps
    }
  }

  /// `offer_step`: the spacing of the grid `0, step, ..., stake` (by default 20 steps), read after the stake.
  public static func offerStep(
    _ path: WritableKeyPath<Root, Double>, stake: KeyPath<Root, Double>, grid: KeyPath<Root, Double>,
    doc: String = "offers are `0, step, ..., stake`, shown in ascending order"
  ) -> Self {
    Parameter(
      "offer_step", path,
      allowed:
        "a number > 0 that divides the stake into at most 10000 steps (offer_grid x stake when offer_grid is given)",
      doc: doc,
      default: (
        { $0[keyPath: grid] > 0 ? $0[keyPath: grid] * $0[keyPath: stake] : $0[keyPath: stake] / 20 },
        text: "offer_grid x stake, else stake / 20"
      )
    ) { step, root in
      let stake = root[keyPath: stake]
      guard step > 0, step <= stake, step.isFinite else { return false }
      // Given both, they must agree (a step the grid contradicts is a mistake, not a choice to make silently).
      let share = root[keyPath: grid]
      guard share == 0 || abs(step - share * stake) <= 1e-9 * stake else { return false }
      let steps = stake / step
      return steps <= 10_000 && abs(steps - steps.rounded()) <= 1e-9 * steps
    }
  }
}
