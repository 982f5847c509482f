/// Whose failure an error is, which decides what the caller should do: fix the request
/// (`caller`), distrust the data (`integrity`: signed or stored bytes disagree), or look at the
/// machine (`local`: a file that cannot be opened, a full disk). The command-line programs map
/// kinds to exit statuses and the service to HTTP statuses, each in one place.
public enum FailureKind: Sendable, Equatable {
    case caller
    case integrity
    case local
}

/// An error that says which `FailureKind` it is.
public protocol KindedError: Error {
    var kind: FailureKind { get }
}
