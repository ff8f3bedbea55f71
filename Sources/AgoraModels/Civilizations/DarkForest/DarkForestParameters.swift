import AgoraCore

/// The dark forest world's parameters: its length and the world's own keys (under `dark_forest:`).
public struct DarkForestParameters: ModelParameters {
  /// Time units simulated.
  public var rounds = 200
  /// The world's keys.
  public var darkForest = DarkForestSpec()

  public init() {}

  public static var parameters: [Parameter<Self>] {
    [
      .rounds(\.rounds, doc: "time units simulated"),
      Parameter(
        "dark_forest", \.darkForest, allowed: "a mapping (the keys below)", doc: "the world's keys",
        default: ({ _ in DarkForestSpec() }, text: "see below")),
    ]
  }

  public static var nestedTables: [(key: String, table: String)] { [("dark_forest", DarkForestSpec.markdownTable)] }
}
