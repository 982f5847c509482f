#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The width a table on standard output should fit, for commands that print aligned columns.
public enum TerminalWidth {
    /// `option` when given (0 turns wrapping off); else, when standard output is a terminal, its
    /// width (`COLUMNS` if the terminal does not say); else nil: output to a file or a pipe is
    /// never wrapped, so scripts get one line per row.
    public static func forTables(option: Int?) -> Int? {
        if let option { return option > 0 ? option : nil }
        guard isatty(STDOUT_FILENO) == 1 else { return nil }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let columns = getenv("COLUMNS").flatMap({ Int(String(cString: $0)) }), columns > 0 { return columns }
        return nil
    }
}
