using System.Runtime.CompilerServices;
using Actors.Wal.Format;
using Actors.Wal.Index;

namespace Actors.Wal.Writing;

// The committer's publish: a committed group's records applied to the index and its requests completed (methods only:
// the state is in Committer.cs).
internal sealed partial class Committer
{
    /// <summary>Applies one group and completes its requests; returns how many requests it completed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Publish(CommitGroup group, bool synced)
    {
        foreach (var request in group.Requests)
        {
            Apply(request);
        }

        _liveBytes.Flush();

        // The positions move only after the index holds the group's entries: a snapshot reads the applied position and
        // then copies the index, so the copy must never lack a record below that position (recovery does not rescan it).
        if (group.Writes.Count > 0)
        {
            var (segment, end) = group.Writes[^1];
            Volatile.Write(ref _appliedPosition, LogPosition.Create(segment.Id, end));
        }

        if (synced && group.LastLsn > DurableLsn)
        {
            Volatile.Write(ref _durableLsn, group.LastLsn);
        }

        if (group.Demote)
        {
            _index.Demote();
            group.DemoteDone?.Set();
        }

        foreach (var request in group.Requests)
        {
            switch (request)
            {
                case StreamWriteRequest write:
                    write.Complete();
                    break;
                case AwaitedRequest<bool> marker:
                    marker.Complete(true); // a flush or barrier: done; a relocation: written
                    break;
                default:
                    break;
            }

            request.ReleaseByPipeline();
        }

        return group.Requests.Count;
    }

    /// <summary>Publishes the index entry a written record produced (the same rule the writer applied to its copy).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Apply(LogRequest request)
    {
        switch (request)
        {
            case StreamWriteRequest write when write.Hot is { } hot:
                Publish(hot, write.RecordType, write.Position, write.Framed, write.LastVersion, default);
                break;
            case RelocateRequest { Written: true, Stream: { } stream } relocate:
                Publish(stream.Hot, RecordType.Relocated, relocate.Position, relocate.Length, relocate.StreamVersion, relocate.Base);
                break;
            case RelocateRequest { Written: true, IdleTiers: { } tiers } relocate:
                StreamEntry idle = _index.OwnedIdle(tiers, relocate.IdleSlot);
                idle.Apply(RecordType.Relocated, relocate.Position, relocate.Length, relocate.StreamVersion, relocate.Base, _options.RetainCheckpointedEvents, _liveBytes);
                StreamIndex.ReplaceIdle(tiers, relocate.IdleSlot, idle);
                break;
            default:
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Publish(HotStream hot, RecordType type, long position, int length, long version, (RecordType, long) relocatedBase)
    {
        if (!hot.IsPublished)
        {
            _index.AddHot(hot);
        }

        StreamEntry entry = hot.Owned;
        entry.Apply(type, position, length, version, relocatedBase, _options.RetainCheckpointedEvents, _liveBytes);
        hot.Publish(entry);
        int chain = entry.ChainRecords;
        if (_consolidateAfter > 0 && chain >= _consolidateAfter && entry.HasBase && chain < StreamEntry.MaxChainRecords
            && chain % _consolidateAfter == 0)
        {
            ChainGrown?.Invoke(hot);
        }
    }
}
