namespace Actors.Wal.Tool.Scanning;

/// <summary>One damaged location found by a scan.</summary>
/// <param name="Kind">The kind of problem.</param>
/// <param name="File">The file name (within the log directory) or a stream id for missing records.</param>
/// <param name="SegmentId">The segment, when the problem is in one.</param>
/// <param name="Offset">The byte offset within the file, when known.</param>
/// <param name="Message">What is wrong.</param>
internal sealed record Finding(FindingKind Kind, string File, uint? SegmentId, long? Offset, string Message)
{
    /// <summary>A one-line, plain-text rendering: kind, location, message.</summary>
    public override string ToString()
    {
        string where = SegmentId is { } id ? $"segment {id} ({File})" : File;
        string at = Offset is { } o ? $" offset {o}" : "";
        return $"{KindLabel}: {where}{at}: {Message}";
    }

    /// <summary>The kind as printed.</summary>
    public string KindLabel => Kind switch
    {
        FindingKind.Corruption => "CORRUPTION",
        FindingKind.TornTail => "TORN TAIL",
        FindingKind.Missing => "MISSING",
        FindingKind.Snapshot => "SNAPSHOT",
        _ => "UNSUPPORTED VERSION",
    };
}
