// The Agora library: the engine (AgoraCore: models, agents, scheduler, metrics, scenario values) and the layers on
// top of it (scenario files, the language-model client, outputs and analysis, sweeps), re-exported, with validation
// and calibration here. `import Agora` brings them all.
@_exported import AgoraCore
@_exported import AgoraLanguageModel
@_exported import AgoraModels
@_exported import AgoraOutput
@_exported import AgoraScenario
@_exported import AgoraSweep
