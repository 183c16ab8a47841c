using Actors.Wal.IO;
using Actors.Wal.Recovery;

namespace Actors.Wal;

public sealed partial class WriteAheadLog
{
    // Segments Salvage skipped (damaged header): kept on disk and listed, so a later open reports them again.
    private readonly List<uint> _retainedSegments = [];
    private uint _maxSegmentId;

    /// <summary>
    /// Reads segments.manifest. Null when it is missing or damaged (a note says continuity could not be verified
    /// when segment files exist). Throws <see cref="UnsupportedFormatVersionException"/> for a newer format.
    /// </summary>
    private SegmentManifest? LoadManifest(bool segmentsExist, List<string> notes)
    {
        string path = Path.Combine(_options.Directory, SegmentManifest.FileName);
        if (!_fileSystem.FileExists(path))
        {
            if (segmentsExist)
            {
                notes.Add($"{path}: missing (a log written before the manifest existed, or the file was lost); segment continuity could not be verified: a missing segment would go unnoticed.");
            }

            return null;
        }

        byte[] data;
        using (var file = _fileSystem.OpenFile(path, WalFileMode.OpenReadOnly))
        {
            data = RecoverySnapshot.ReadAll(file);
        }

        var manifest = SegmentManifest.TryParse(data, out string? reason, out ushort version, out ushort minVersion);
        if (manifest is null && minVersion > SegmentManifest.CurrentVersion)
        {
            throw new UnsupportedFormatVersionException(path, version, minVersion, SegmentManifest.CurrentVersion);
        }

        if (manifest is null)
        {
            notes.Add($"{path}: {reason}; ignored: segment continuity could not be verified: a missing segment would go unnoticed.");
        }

        return manifest;
    }

    /// <summary>Persists the live segment list: temp file, fsync, rename, directory fsync.</summary>
    private void WriteManifest()
    {
        ThrowIfAbandoned();
        List<(uint Id, bool Sealed, long SealedLength)> live;
        lock (_stateLock)
        {
            live = _segments.Values.Select(s => (s.Id, s.IsSealed, s.WriteOffset)).ToList();
        }

        foreach (uint id in _retainedSegments)
        {
            if (!live.Exists(s => s.Id == id))
            {
                live.Add((id, false, 0));
            }
        }

        byte[] data = SegmentManifest.Serialize(live);
        ReplaceFileDurably(SegmentManifest.FileName, SegmentManifest.TempFileName, data);
    }
}
