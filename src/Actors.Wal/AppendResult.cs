namespace Actors.Wal;

/// <summary>What an append (or a delete) stored.</summary>
/// <param name="FirstVersion">The version of the batch's first event (for a delete: the stream's version).</param>
/// <param name="LastVersion">The version of the batch's last event; the stream's version after the batch.</param>
/// <param name="LastLsn">The log sequence number of the batch's last record.</param>
public readonly record struct AppendResult(long FirstVersion, long LastVersion, long LastLsn);
