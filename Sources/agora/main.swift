import AgoraCLI

// The `agora` command line; its commands live in AgoraCLI, so that a package that adds a model can ship the same CLI
// (Examples/CustomGame).
AgoraCommand.main()
