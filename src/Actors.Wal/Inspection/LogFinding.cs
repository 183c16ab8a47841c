namespace Actors.Wal.Inspection;

/// <summary>One damaged or missing location found by <see cref="LogInspector.Verify"/>.</summary>
/// <param name="Kind">The kind of problem.</param>
/// <param name="File">The file name within the log directory, or <c>stream '&lt;id&gt;'</c> for records missing from a stream.</param>
/// <param name="SegmentId">The segment, when the problem is in one; otherwise null.</param>
/// <param name="Offset">The byte offset within <paramref name="File"/>, when known; otherwise null.</param>
/// <param name="Message">What is wrong and why it is classified as <paramref name="Kind"/> (for people, not for parsing).</param>
public sealed record LogFinding(LogFindingKind Kind, string File, uint? SegmentId, long? Offset, string Message);
