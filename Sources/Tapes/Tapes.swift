// Tapes is the file edge over TapeCodec (the format, in memory), as swift-nio's `NIO` re-exports `NIOCore`: code
// that reads or writes tape files imports Tapes alone and sees the whole tape API (TapeReader, TapeHeader, TapeStep,
// TapeError …) under its old module name.
@_exported import TapeCodec
