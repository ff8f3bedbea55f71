/// The model a scenario runs (`game.type`) with its parameters, which the model declares (``ModelParameters``): the
/// rest of the `game` mapping. Nothing here lists any model's keys; ``ModelRegistry`` finds the model by name.
public struct GameSpec: Sendable, Hashable {
  /// The model's name.
  public var type: GameType
  /// The model's parameters, of the type its registration declares.
  public var parameters: any ModelParameters

  public init(type: GameType, parameters: any ModelParameters) {
    self.type = type
    self.parameters = parameters
  }

  /// A model's parameters as their own type (which the registry guarantees for `type`).
  public func parameters<P: ModelParameters>(as _: P.Type = P.self) -> P {
    guard let typed = parameters as? P else {
      preconditionFailure("game.type \(type) has parameters of type \(Swift.type(of: parameters)), not \(P.self)")
    }
    return typed
  }

  /// Rounds, months, periods or time units, as the model counts them.
  public var rounds: Int { parameters.rounds }

  public static func == (a: GameSpec, b: GameSpec) -> Bool {
    a.type == b.type && a.parameters.hashableValue == b.parameters.hashableValue
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(type)
    hasher.combine(parameters.hashableValue)
  }
}
