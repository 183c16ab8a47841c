using Actors.Wal.IO;

namespace Actors.Wal.Recovery;

/// <summary>
/// Reads the recovery snapshot of a log directory: <c>index.snapshot</c> and, when present, the <c>index.delta</c> that
/// extends it (recovery, verification and the tool read it the same way).
/// </summary>
internal static class RecoverySnapshotFiles
{
    /// <summary>
    /// Reads the snapshot in <paramref name="directory"/>. <see cref="LoadedSnapshot.Index"/> is the snapshot that can serve
    /// as the index (the full one merged with its delta); <see cref="LoadedSnapshot.Claims"/> is the snapshot whose durable
    /// positions are claims (with a damaged delta, the full snapshot's, whose recovery point may then lie in a segment
    /// deleted since: <see cref="LoadedSnapshot.RecoveryPointClaimed"/> is false);
    /// <see cref="LoadedSnapshot.Note"/> says why a file was ignored.
    /// </summary>
    public static LoadedSnapshot Load(IFileSystem fileSystem, string directory)
    {
        byte[]? fullData = RecoverySnapshot.Envelope.ReadIfExists(fileSystem, directory);
        byte[]? deltaData = RecoverySnapshotDelta.Envelope.ReadIfExists(fileSystem, directory);
        string fullPath = RecoverySnapshot.Envelope.PathIn(directory);
        string deltaPath = RecoverySnapshotDelta.Envelope.PathIn(directory);
        (uint Crc, long Length) extends = default;
        string? deltaReason = null;
        var delta = deltaData is null ? null : RecoverySnapshotDelta.TryParse(deltaData, out extends, out deltaReason);
        if (fullData is null)
        {
            return new LoadedSnapshot(null, null, false, true, deltaData is null ? null : $"{deltaPath}: there is no {RecoverySnapshot.FileName} it extends; ignored, scanning every segment.");
        }

        var full = RecoverySnapshot.TryParse(fullData, out string? reason);
        if (full is null)
        {
            // An intact delta's positions are claims of their own (its segment table and recovery point are complete).
            return new LoadedSnapshot(null, delta, true, true, $"{fullPath}: {reason}; ignored{(deltaData is null ? "" : $" with {RecoverySnapshotDelta.FileName}")}, scanning every segment.");
        }

        if (deltaData is null)
        {
            return new LoadedSnapshot(full, full, true, true, null);
        }

        if (delta is null)
        {
            // The delta may have covered the deletion of segments the full snapshot still points into: neither serves as
            // the index, and the full snapshot's recovery point may lie in a segment deleted since (its other claims hold:
            // segment ids are never reused, and a deleted segment is not opened).
            return new LoadedSnapshot(null, full, true, false, $"{deltaPath}: {deltaReason}; ignored with {RecoverySnapshot.FileName}, scanning every segment.");
        }

        if (extends != RecoverySnapshotDelta.IdentityOf(fullData))
        {
            return new LoadedSnapshot(full, full, true, true, $"{deltaPath}: extends an earlier {RecoverySnapshot.FileName} (a newer one replaced it before the delta was deleted); ignored.");
        }

        var merged = RecoverySnapshotDelta.Merge(full, delta);
        return new LoadedSnapshot(merged, merged, true, true, null);
    }
}

/// <summary>What <see cref="RecoverySnapshotFiles.Load"/> read.</summary>
/// <param name="Index">The snapshot that can serve as the index, or null (none, or damaged).</param>
/// <param name="Claims">The snapshot whose durable positions are claims, or null.</param>
/// <param name="Present">True when <c>index.snapshot</c> exists.</param>
/// <param name="RecoveryPointClaimed">False when the segment of the claims' recovery point may have been deleted since
/// (the delta that covered the deletion is damaged): its absence is then no loss.</param>
/// <param name="Note">Why a file was ignored, or null.</param>
internal sealed record LoadedSnapshot(RecoverySnapshot? Index, RecoverySnapshot? Claims, bool Present, bool RecoveryPointClaimed, string? Note);
