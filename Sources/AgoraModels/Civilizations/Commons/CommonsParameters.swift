import AgoraCore

/// The commons world's parameters: its length and the world's own keys (under `commons:`).
public struct CommonsParameters: ModelParameters {
  /// Months simulated.
  public var rounds = 12
  /// The world's keys.
  public var commons = CommonsSpec()

  public init() {}

  public static var parameters: [Parameter<Self>] {
    [
      .rounds(\.rounds, doc: "months simulated"),
      Parameter(
        "commons", \.commons, allowed: "a mapping (the keys below)", doc: "the world's keys",
        default: ({ _ in CommonsSpec() }, text: "see below")),
    ]
  }

  public static var nestedTables: [(key: String, table: String)] { [("commons", CommonsSpec.markdownTable)] }
}
