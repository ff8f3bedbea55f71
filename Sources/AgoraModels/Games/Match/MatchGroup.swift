import AgoraCore

/// The agents of one match, in seat order (in a pair game the first moves first), as a read-only collection of agent
/// ids. It views the round's flat list of members without copying it; it is valid for the ``MatchGame/play(_:round:
/// context:)`` call it is given to and must not be kept.
public struct MatchGroup: RandomAccessCollection, Sendable {
  /// The round's members, `members[start..<end]` this match's.
  @usableFromInline nonisolated(unsafe) let members: UnsafeBufferPointer<Int32>
  /// The match's number in its round, from 0 (the same group every round when groups or pairs are kept): how the
  /// game's events name the group.
  public let index: Int

  init(_ members: UnsafeBufferPointer<Int32>, index: Int = 0) {
    self.members = members
    self.index = index
  }

  @inlinable public var startIndex: Int { 0 }
  @inlinable public var endIndex: Int { members.count }

  /// The id of the agent in seat `seat`.
  @inlinable public subscript(_ seat: Int) -> Int { Int(members[seat]) }
}
