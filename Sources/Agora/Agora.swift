// The Agora library: the engine (AgoraCore: models, agents, scheduler, metrics, scenario values) with what sits on
// top of it here: scenario files (YAML), the language-model client, outputs, analysis, sweeps and validation.
// `import Agora` brings both.
@_exported import AgoraCore
