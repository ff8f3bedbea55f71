/// Receives every interaction a model logs (`output.events`): (time, proposer, responder, offer share, accepted).
public typealias InteractionSink = (Double, Int, Int, Double, Bool) throws -> Void
