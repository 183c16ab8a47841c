using Actors.Wal.IO;
using Actors.Wal.Recovery;

namespace Actors.Wal.Segments;

internal sealed partial class SegmentManager
{
    private long _manifestWriteFailures;

    /// <summary>
    /// Manifest writes that failed since open (any thread). A failure in the background leaves the log running on the
    /// previous manifest (the next change writes it again); one in maintenance or where a segment is created inline fails
    /// the log.
    /// </summary>
    public long ManifestWriteFailures => Interlocked.Read(ref _manifestWriteFailures);

    /// <summary>Persists the manifest: the current set, the ready spare, the segments Salvage kept (any thread).</summary>
    public void WriteManifest()
    {
        lock (_manifestLock)
        {
            Interlocked.Increment(ref _manifestWrites);
            try
            {
                WriteManifestLocked();
            }
            finally
            {
                Interlocked.Decrement(ref _manifestWrites);
            }
        }
    }

    /// <summary>The body of <see cref="WriteManifest"/> (caller holds <c>_manifestLock</c>).</summary>
    private void WriteManifestLocked()
    {
        if (_abandoned())
        {
            throw new IOException("The log was abandoned (simulated crash); nothing more is written.");
        }

        bool syncDirectory;
        lock (_lock)
        {
            syncDirectory = _renamedSinceManifest;
            _renamedSinceManifest = false;
        }

        if (syncDirectory)
        {
            // A spare taken into use was renamed without a directory fsync (none on the append path): make the
            // rename durable before a manifest lists the segment under its name.
            _fileSystem.SyncDirectory(_options.Directory);
        }

        List<ManifestEntry> entries;
        lock (_lock)
        {
            // A segment is listed as live only once every segment before it is durably sealed: until then the
            // writer may have switched to it while the previous seal can still be lost, and recovery must then
            // treat it as the unused spare it may still be.
            entries = [];
            bool earlierDurablySealed = true;
            foreach (var segment in _set.All)
            {
                entries.Add(earlierDurablySealed ? ToManifestEntry(segment) : new ManifestEntry(segment.Id, ManifestState.Spare, 0, 0, segment.HoldsErasedData));
                earlierDurablySealed &= segment.IsSealed && segment.DurableOffset >= segment.WrittenOffset;
            }

            foreach (var spare in new[] { _spare, _preparing })
            {
                if (spare is not null)
                {
                    entries.Add(new ManifestEntry(spare.Id, ManifestState.Spare, 0, 0));
                }
            }

            foreach (uint id in _retained)
            {
                if (!entries.Exists(e => e.Id == id))
                {
                    entries.Add(new ManifestEntry(id, ManifestState.Open, 0, 0));
                }
            }

            _manifestDirty = false;
        }

        try
        {
            SegmentManifest.Envelope.Replace(_fileSystem, _options.Directory, SegmentManifest.Serialize(entries));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The previous manifest stays in place (the replace is atomic); the next change writes the set again.
            Interlocked.Increment(ref _manifestWriteFailures);
            lock (_lock)
            {
                _manifestDirty = true;
            }

            throw;
        }

        var set = Current;
        foreach (var entry in entries)
        {
            if (entry.State != ManifestState.Spare && set.Find(entry.Id) is { } listed)
            {
                listed.ListedLive = true;
            }
        }
    }

    /// <summary>
    /// A sealed segment is listed as sealed (a durable claim) only once its seal is durable; until then it stays open
    /// (recovery finds the seal by scanning).
    /// </summary>
    private static ManifestEntry ToManifestEntry(Segment segment)
        => segment.IsSealed && segment.DurableOffset >= segment.WrittenOffset
            ? new ManifestEntry(segment.Id, ManifestState.Sealed, segment.WrittenOffset, segment.SealedAtTicks, segment.HoldsErasedData)
            : new ManifestEntry(segment.Id, ManifestState.Open, 0, 0, segment.HoldsErasedData);
}
