import AgoraCore
import CGSL

/// Memory asked for ahead of time: the event queue knows which civilizations its next entries are about, and their
/// state (scattered over arrays of millions of civilizations) is fetched while the current entry is handled, rather
/// than missed in cache one array after another when their turn comes.
extension DarkForestRun {
  /// Asks for the state the agenda's next events and detections will read.
  func prefetch(_ next: DarkForestAgenda.Upcoming) {
    prefetchContact(next.receivers.0)
    prefetchContact(next.receivers.1)
    prefetchState(next.events.0)
    prefetchState(next.events.1)
    prefetchKnown(next.events.0)
    prefetchKnown(next.events.2)
  }

  /// Asks for what a detection's arrival at civilization `j` reads (nothing for -1).
  @inline(__always) func prefetchContact(_ j: Int32) {
    guard j >= 0 else { return }
    Self.fetch(contacts, Int(j))
  }

  /// Asks for the state of the civilizations `event` is about: for a request or a reply, both sides' states and
  /// positions (and their groups, which an alliance joins).
  @inline(__always) func prefetchState(_ event: Event?) {
    switch event {
    case .decide(let a)?, .react(let a)?, .leak(let a)?, .breakthrough(let a)?:
      prefetchState(Int(a))
    case .request(to: let a, from: let b)?, .reply(to: let a, from: let b, accepted: _)?:
      prefetchState(Int(a))
      Self.fetch(states, Int(b))
      Self.fetch(parent, Int(a))
      Self.fetch(parent, Int(b))
      prefetchPosition(Int(a))
      prefetchPosition(Int(b))
    case .birth?, .sample?, nil: break
    }
  }

  /// For a decision soon due, asks for what it reads of the civilization it knows of: whether it lives, and where
  /// it is (its contact was asked for a few entries earlier, by ``prefetchState(_:)``, and is read here).
  @inline(__always) func prefetchKnown(_ event: Event?) {
    switch event {
    case .decide(let a)?, .react(let a)?:
      let known = Int(contacts[Int(a)].id)
      guard known >= 0 else { return }
      Self.fetch(contacts, known)
      prefetchPosition(known)
      prefetchPosition(Int(a))
    default: break
    }
  }

  /// Asks for civilization `i`'s position.
  @inline(__always) func prefetchPosition(_ i: Int) {
    position.withUnsafeBufferPointer { agora_prefetch($0.baseAddress! + i * spec.dimensions) }
  }

  /// Asks for what a civilization's growth and decision read: its state, its contact and its segment.
  func prefetchState(_ i: Int) {
    Self.fetch(states, i)
    Self.fetch(contacts, i)
    Self.fetch(population.segment, i)
  }

  /// Asks for `array[k]` (every cache line of it).
  @inline(__always) static func fetch<T>(_ array: [T], _ k: Int) {
    array.withUnsafeBytes { bytes in
      let start = bytes.baseAddress! + k * MemoryLayout<T>.stride
      let last = start + MemoryLayout<T>.stride - 1
      agora_prefetch(start)
      if MemoryLayout<T>.stride > 64 { agora_prefetch(start + 64) }
      if MemoryLayout<T>.stride > 1 { agora_prefetch(last) }
    }
  }
}
