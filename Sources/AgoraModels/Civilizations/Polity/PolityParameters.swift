import AgoraCore

/// The polity world's parameters: its length and the world's own keys (under `polity:`).
public struct PolityParameters: ModelParameters {
  /// Periods simulated.
  public var rounds = 50
  /// The world's keys.
  public var polity = PolitySpec()

  public init() {}

  public static var parameters: [Parameter<Self>] {
    [
      .rounds(\.rounds, doc: "periods simulated"),
      Parameter(
        "polity", \.polity, allowed: "a mapping (the keys below)", doc: "the world's keys",
        default: ({ _ in PolitySpec() }, text: "see below")),
    ]
  }

  public static var nestedTables: [(key: String, table: String)] { [("polity", PolitySpec.markdownTable)] }
}
