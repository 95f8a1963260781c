/// The version of PlayGrid that wrote a record (tapes, checkpoints, results), so a reader can tell which
/// build made it.
public enum ToolVersion {
    public static let current = "playgrid 0.1.0"
}
