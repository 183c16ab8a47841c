namespace Actors.Wal.Tool.Commands;

/// <summary>What <c>dump</c> shows and how.</summary>
/// <param name="ToVersion">As of this version (inclusive), or null.</param>
/// <param name="At">As of this time (ISO 8601), or null.</param>
/// <param name="Json">JSON instead of text.</param>
/// <param name="Raw">Payloads as stored, without decoding the grain storage envelope.</param>
internal sealed record DumpFormat(long? ToVersion, string? At, bool Json, bool Raw);
