import Agora
import AgoraCLI
import StagHunt

// The one registry line: scenarios can now say `game: {type: stag_hunt}`.
try ModelRegistry.register(StagHunt.self)
AgoraCommand.main()
