import AgoraCore

/// The persuasion game's parameters (GLEE): the price, the rounds per seller, the product's quality and the buyer's
/// value, what the seller knows, its messages and the kind of buyer.
public struct PersuasionParameters: ModelParameters {
  /// The price of the product.
  public var stake = 100.0
  public var rounds = 1
  /// Rounds per seller.
  public var horizon = 20
  /// The probability that the product is of high quality.
  public var qualityPrior = 0.5
  /// The buyer's value of a high-quality product, as a factor of the price.
  public var buyerValue = 1.25
  /// The buyer values the seller thinks possible when it does not know the buyer's value.
  public var buyerValuePrior = [1.2, 1.25, 2, 3, 4]
  /// Whether the seller knows the buyer's value.
  public var sellerKnowsValue = true
  /// The seller's messages: a binary recommendation, or claims from a small vocabulary.
  public var claims: Claims = .binary
  /// One long-lived buyer who sees the whole history, or a new (myopic) buyer every round who sees only how many
  /// products were sold and how many of those were of high quality (GLEE's statistics).
  public var buyer: BuyerKind = .longLived
  /// Whether the buyer tells the seller after each round how far it believes the seller's most positive claim
  /// (GLEE's `allow_buyer_message`, stylised).
  public var buyerMessages = false
  /// Whether a language-model seller writes a free-text description of the product with its claim (GLEE's
  /// free-text persuasion), which a language-model buyer reads; decoders keep to the claim.
  public var descriptions = false

  public init() {}

  public static var parameters: [Parameter<Self>] {
    let factor = "a number in (0, 1e6] (a factor of the price)"
    let isFactor = { (x: Double) in x > 0 && x <= ScenarioBounds.factor }
    return [
      .stake(\.stake, doc: "the price of the product"), .rounds(\.rounds, doc: "matches each agent plays"),
      Parameter("horizon", \.horizon, allowed: "an integer from 1 to 100000", doc: "rounds per seller") { x, _ in
        (1...100_000).contains(x)
      },
      Parameter(
        "quality_prior", \.qualityPrior, allowed: "a probability in [0, 1]",
        doc: "the probability that the product is of high quality (p)"
      ) { x, _ in x >= 0 && x <= 1 },
      Parameter(
        "buyer_value", \.buyerValue, allowed: factor, doc: "the buyer's value of a high-quality product (v)"
      ) { x, _ in isFactor(x) },
      Parameter(
        "buyer_value_prior", \.buyerValuePrior, allowed: "a non-empty list of factors in (0, 1e6]",
        doc: "the values the seller thinks possible when it does not know v"
      ) { x, _ in !x.isEmpty && x.allSatisfy(isFactor) },
      Parameter(
        "seller_knows_value", \.sellerKnowsValue, allowed: "true or false", doc: "whether the seller knows v"),
      Parameter("claims", \.claims, doc: "the seller's messages: a recommendation, or a claim from four words"),
      Parameter(
        "buyer_messages", \.buyerMessages, allowed: "true or false",
        doc:
          "after each round the buyer tells the seller how far it believes \"high quality\" (GLEE's buyer messages); "
          + "a language-model buyer writes its own reply instead, which a language-model seller reads"),
      Parameter(
        "descriptions", \.descriptions, allowed: "true or false",
        doc: "a language-model seller also writes a free-text description of the product with its claim, which a "
          + "language-model buyer reads (GLEE's free-text messages); decoder agents keep to the claim"),
      Parameter(
        "buyer", \.buyer,
        doc: "one long-lived buyer, or a new buyer every round who sees only the sales statistics (GLEE's)"),
    ]
  }
}
