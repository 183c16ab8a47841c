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
    /// positions are claims (null when the delta is damaged: the full snapshot's may name segments deleted since);
    /// <see cref="LoadedSnapshot.Note"/> says why a file was ignored.
    /// </summary>
    public static LoadedSnapshot Load(IFileSystem fileSystem, string directory)
    {
        byte[]? fullData = RecoverySnapshot.Envelope.ReadIfExists(fileSystem, directory);
        byte[]? deltaData = RecoverySnapshotDelta.Envelope.ReadIfExists(fileSystem, directory);
        string fullPath = RecoverySnapshot.Envelope.PathIn(directory);
        string deltaPath = RecoverySnapshotDelta.Envelope.PathIn(directory);
        if (fullData is null)
        {
            return new LoadedSnapshot(null, null, false, deltaData is null ? null : $"{deltaPath}: there is no {RecoverySnapshot.FileName} it extends; ignored, scanning every segment.");
        }

        var full = RecoverySnapshot.TryParse(fullData, out string? reason);
        if (full is null)
        {
            return new LoadedSnapshot(null, null, true, $"{fullPath}: {reason}; ignored, scanning every segment.");
        }

        if (deltaData is null)
        {
            return new LoadedSnapshot(full, full, true, null);
        }

        var delta = RecoverySnapshotDelta.TryParse(deltaData, out var extends, out reason);
        if (delta is null)
        {
            // The delta may have covered the deletion of segments the full snapshot still points into: neither serves as
            // the index, and the full snapshot's claims may name segments deleted since (the manifest's still hold).
            return new LoadedSnapshot(null, null, true, $"{deltaPath}: {reason}; ignored with {RecoverySnapshot.FileName}, scanning every segment.");
        }

        if (extends != RecoverySnapshotDelta.IdentityOf(fullData))
        {
            return new LoadedSnapshot(full, full, true, $"{deltaPath}: extends an earlier {RecoverySnapshot.FileName} (a newer one replaced it before the delta was deleted); ignored.");
        }

        var merged = RecoverySnapshotDelta.Merge(full, delta);
        return new LoadedSnapshot(merged, merged, true, null);
    }
}

/// <summary>What <see cref="RecoverySnapshotFiles.Load"/> read.</summary>
/// <param name="Index">The snapshot that can serve as the index, or null (none, or damaged).</param>
/// <param name="Claims">The snapshot whose durable positions are claims, or null.</param>
/// <param name="Present">True when <c>index.snapshot</c> exists.</param>
/// <param name="Note">Why a file was ignored, or null.</param>
internal sealed record LoadedSnapshot(RecoverySnapshot? Index, RecoverySnapshot? Claims, bool Present, string? Note);
