import AgoraCore

/// The games and worlds that ship with Agora, in the order `agora list` shows them. They are registered with the
/// core's ``ModelRegistry`` by the scenario loader and the command line before a scenario is read; a program that
/// decodes scenarios some other way calls ``register()`` first.
public enum BuiltInModels {
  public static let all: [RegisteredModel] = [
    RegisteredModel(Ultimatum.self), RegisteredModel(Dictator.self), RegisteredModel(Trust.self),
    RegisteredModel(PublicGoods.self), RegisteredModel(PrisonersDilemma.self), RegisteredModel(Bargaining.self),
    RegisteredModel(Negotiation.self), RegisteredModel(Persuasion.self), RegisteredModel(MatrixGame.self),
    RegisteredModel(DoubleAuction.self), RegisteredModel(CommonsRun.self), RegisteredModel(DarkForestRun.self),
    RegisteredModel(PolityRun.self), RegisteredModel(SchellingRun.self),
    RegisteredModel(OpinionDynamicsRun.self),
    RegisteredModel(SugarscapeRun.self),
  ]

  /// Registers every built-in model not registered yet (calling it again is harmless).
  public static func register() { ModelRegistry.registerOnce(all) }
}
