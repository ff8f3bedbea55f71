import AgoraCore

/// What each player of a two-player game wrote to the other since the other last decided: the free-text messages
/// of language-model agents (`messages: true`), handed on in order.
struct Inbox {
  private var waiting: [Int: [String]] = [:]

  /// What agent `i` has been written since it last decided (for its prompt).
  func unread(_ i: Int) -> [String] { waiting[i] ?? [] }

  /// After agent `i` decided: it has read its messages, and what it wrote with its decision waits for `other`.
  mutating func decided(_ i: Int, writingTo other: Int, context: MatchContext) {
    waiting[i] = nil
    if let words = context.message(from: i) { waiting[other, default: []].append(words) }
  }
}
