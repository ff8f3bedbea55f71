import AgoraCore
import Foundation

/// Battles: a fleet meets its defender by Lanchester's square law, and the strike is seen from around the battle.
extension DarkForestRun {
  /// A fleet meets the defender as it is now (its state advanced to the arrival time).
  mutating func resolve(_ fleet: DarkForestAgenda.Fleet, at now: Double, agenda: inout DarkForestAgenda) {
    let (attacker, defender) = (Int(fleet.attacker), Int(fleet.defender))
    let strength = fleet.strength
    guard states[defender].alive else { return }
    advance(defender, to: now)
    guard states[defender].alive else { return }
    let b = self[.military, of: defender]
    if recording { battles.append((fleet.launched, now, strength, b, fleet.defenderAtLaunch)) }
    let (won, survivors) = DarkForestRun.lanchester(strength, b)
    counts.battles += 1
    trajectories.fought(attacker, defender)
    trajectories.fought(defender, attacker)
    if won {
      counts.strikesWon += 1
      end(defender, annihilated: true)
      if states[attacker].alive {
        advance(attacker, to: now)
        // The victor takes half of the defender's technology, production and storage.
        self[.military, of: attacker] += survivors
        for r in [Resource.technology, .production, .storage] { self[r, of: attacker] += self[r, of: defender] / 2 }
        assertPositive(attacker)
      }
    } else {
      self[.military, of: defender] = max(DarkForestRun.militaryFloor, survivors)
    }
    // The strike reveals the attacker to observers near the battle.
    guard spec.revealRadius > 0, states[attacker].alive else { return }
    reveal(attacker, at: defender, military: self[.military, of: attacker], now: now, agenda: &agenda)
  }
}
