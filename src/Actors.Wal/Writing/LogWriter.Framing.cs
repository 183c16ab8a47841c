using System.Runtime.CompilerServices;
using System.Text;
using Actors.Wal.Format;
using Actors.Wal.Index;
using Actors.Wal.Segments;

namespace Actors.Wal.Writing;

internal sealed partial class LogWriter
{
    /// <summary>Hot streams the writer keeps before it demotes them (a fraction of the index, at least this many).</summary>
    private const int MinHotStreamsBeforeDemotion = 16_384;

    /// <summary>Seals every payload this writer frames (null: payloads are written as given).</summary>
    public Encryption.PayloadCipher? Cipher { get; init; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FrameStreamWrite(StreamWriteRequest r, long now)
    {
        var stream = Resolve(r.StreamId, r.Hash);
        ref StreamEntry entry = ref stream.Tentative;
        long current = entry.Version;
        switch (r.Kind)
        {
            case RequestKind.Append:
            {
                if (r.Version != ExpectedVersion.Any && r.Version != current)
                {
                    throw new StreamVersionConflictException(r.StreamId, r.Version, current);
                }

                var events = r.Events!;
                long anchor = TakeAnchor(stream, r, RecordType.Events, current + events.Count, out var span);
                long position = Reserve(r.Framed);
                r.FirstVersion = current + 1;
                r.LastVersion = current + events.Count;
                r.LastLsn = _nextLsn + events.Count - 1;
                RecordCodec.WriteEvents(FreeSpace, stream.IdUtf8, _nextLsn, r.FirstVersion, now, entry.LatestPosition, events, Cipher, _active.Header.RecordSalt, anchor, span);
                _nextLsn += events.Count;
                Commit(r, stream, RecordType.Events, position, r.LastVersion, events.Count);
                break;
            }

            case RequestKind.Checkpoint:
            {
                bool baseIsTombstone = entry.BaseIsTombstone;
                long minimum = baseIsTombstone ? entry.BaseVersion + 1 : Math.Max(1, entry.CheckpointVersion);
                if (r.Version > current || r.Version < minimum)
                {
                    throw new CheckpointVersionOutOfRangeException(
                        r.StreamId,
                        r.Version,
                        minimum,
                        current,
                        r.Version > current ? $"the stream is at version {current}"
                            : baseIsTombstone ? $"it was deleted at version {entry.BaseVersion}"
                            : $"its latest checkpoint covers version {entry.CheckpointVersion}");
                }

                long anchor = TakeAnchor(stream, r, RecordType.Checkpoint, r.Version, out var span);
                long position = Reserve(r.Framed);
                r.FirstVersion = r.LastVersion = r.Version;
                r.LastLsn = _nextLsn;
                RecordCodec.WriteCheckpoint(FreeSpace, stream.IdUtf8, _nextLsn++, r.Version, now, entry.LatestPosition, r.State.Span, Cipher, _active.Header.RecordSalt, anchor, span);
                Commit(r, stream, RecordType.Checkpoint, position, r.Version, 1);
                break;
            }

            default:
            {
                if (r.Version != ExpectedVersion.Any && r.Version != current)
                {
                    throw new StreamVersionConflictException(r.StreamId, r.Version, current);
                }

                long anchor = TakeAnchor(stream, r, RecordType.Tombstone, current, out var span);
                long position = Reserve(r.Framed);
                r.FirstVersion = r.LastVersion = current;
                r.LastLsn = _nextLsn;
                RecordCodec.WriteTombstone(FreeSpace, stream.IdUtf8, _nextLsn++, current, now, entry.LatestPosition, _active.Header.RecordSalt, anchor, span);
                Commit(r, stream, RecordType.Tombstone, position, current, 1);
                break;
            }
        }
    }

    /// <summary>
    /// The anchor position the stream's next record carries (<see cref="LogPosition.None"/>: none), its bytes counted in
    /// <paramref name="r"/>'s framed length: the stream's anchor, unless it is not known, the record ends a read's walk
    /// (chain index 1: nothing before it is read), the active segment predates anchors (format version 4 or older, still
    /// written in its own format) or the record would outgrow what a segment holds. <paramref name="span"/>: the positions
    /// of the records between that anchor and this record (oldest first), when this record is the next anchor, they are
    /// all known, the active segment allows them (format version 6) and they fit; else empty.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.AggressiveInlining)]
    private long TakeAnchor(WriterStream stream, StreamWriteRequest r, RecordType type, long version, out ReadOnlySpan<long> span)
    {
        span = default;
        long anchor = stream.Anchor;
        if (anchor == LogPosition.None || !_active.Header.AllowsAnchors || r.Framed + (long)RecordHeader.AnchorSize > _maxRecordLength
            || stream.Tentative.EndsWalk(type, version, _options.RetainCheckpointedEvents))
        {
            return LogPosition.None;
        }

        if (stream.SpanCount == RecordHeader.SpanPositions && _active.Header.AllowsSpans
            && Math.Min(stream.Tentative.ChainRecords + 1, StreamEntry.MaxChainRecords) % RecordHeader.AnchorInterval == 1
            && r.Framed + (long)RecordHeader.AnchorSize + RecordHeader.SpanSize <= _maxRecordLength)
        {
            span = stream.Span;
        }

        r.AddTrailerBytes(RecordHeader.AnchorSize + (span.Length * sizeof(long)));
        return anchor;
    }

    /// <summary>Accounts a framed stream record: the tentative entry, the request's pipeline fields, the group.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Commit(StreamWriteRequest r, WriterStream stream, RecordType type, long position, long version, int records)
    {
        _length += r.Framed;
        stream.Tentative.Apply(type, position, r.Framed, version, default, _options.RetainCheckpointedEvents, space: null);
        if (stream.Tentative.ChainRecords % RecordHeader.AnchorInterval == 1)
        {
            stream.SetAnchor(position, spanKnown: true); // an anchor: the stream's later records point here
        }
        else
        {
            stream.AddToSpan(position);
        }

        r.Hot = stream.Hot;
        r.RecordType = type;
        r.Position = position;
        r.MarkFramed();
        _group.Requests.Add(r);
        _group.Records += records;
        _framedRecords += records;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FrameRelocation(RelocateRequest r, long now)
    {
        if (!_streams.ContainsKey(new WriterStreamKey(r.StreamId, r.Hash)) && TryFrameIdleRelocation(r, now))
        {
            return;
        }

        var stream = Resolve(r.StreamId, r.Hash);
        if (IsStale(r, stream.Tentative))
        {
            return;
        }

        r.Stream = stream;
        FrameCopy(r, stream.IdUtf8, ref stream.Tentative, now);
        stream.SetAnchor(r.Position, spanKnown: true); // a copy starts a fresh chain (chain index 1): it is the stream's anchor
    }

    /// <summary>True (and <paramref name="r"/> completed as not written) when the stream changed since maintenance read it.</summary>
    private static bool IsStale(RelocateRequest r, in StreamEntry current)
    {
        if (current.LatestPosition == r.ExpectedLatest)
        {
            return false;
        }

        // The copy would miss records. The next pass retries.
        r.Complete(false);
        r.ReleaseByPipeline();
        return true;
    }

    /// <summary>Frames <paramref name="r"/>'s Relocated record into the group and applies it to <paramref name="tentative"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FrameCopy(RelocateRequest r, ReadOnlySpan<byte> idUtf8, ref StreamEntry tentative, long now)
    {
        long position = Reserve(r.Length);
        RecordCodec.WriteRelocated(FreeSpace, idUtf8, r.StreamVersion, now, r.Items, Cipher, _active.Header.RecordSalt);
        _length += r.Length;
        _active.AddCopied(r.Length);
        tentative.Apply(RecordType.Relocated, position, r.Length, r.StreamVersion, r.Base, retainEvents: false, space: null);
        r.Position = position;
        r.Written = true;
        _group.ForceSync |= r.ForceSync;
        r.MarkFramed();
        _group.Requests.Add(r);
        _group.Records++;
    }

    /// <summary>
    /// Frames a relocation copy of a stream the writer does not hold and the index keeps idle: the committer replaces the
    /// stream's idle entry with the copy's, and the stream stays idle (<see cref="IdleCopiesInFlight"/> says why). False
    /// when the stream is not idle (the caller frames it as a held stream).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryFrameIdleRelocation(RelocateRequest r, long now)
    {
        IndexTiers tiers;
        int slot;
        StreamEntry current;
        if (_idleCopies.TryGet(r.StreamId, _committer.AppliedPosition, out var inFlight))
        {
            (tiers, slot, current) = (inFlight.Tiers, inFlight.Slot, inFlight.Tentative);
        }
        else
        {
            // Nothing of the stream is in flight, so the published entry is current. The tiers stay the same until the
            // writer itself asks for a demotion (MaybeDemote), so the slot found here is the one the committer replaces.
            // Maintenance took the stream's id from its latest record, at ExpectedLatest: the slot that still points
            // there is the stream's without a read on this thread (one per copied stream, on the append path, before),
            // and the slot maintenance found it in is looked at first (a search of the idle tier costs a cache miss per
            // step, in the drain every append queues behind). That look skips TryFind's hot tier, which is safe here: every
            // hot entry of these tiers comes from this writer's Resolve (recovery ends with a demotion, so the hot tier
            // starts empty), and _streams, checked by the caller, forgets streams only when a demotion replaces the tiers.
            tiers = _index.Current;
            if (ReferenceEquals(r.ReadFromTiers, tiers) && StreamIndex.TryReadIdleAt(tiers, r.ReadFromSlot, r.Hash, r.ExpectedLatest, out current))
            {
                slot = r.ReadFromSlot;
            }
            else
            {
                if (r.ReadFromTiers is not null)
                {
                    Interlocked.Increment(ref _counters.IdleCopySearches); // compaction's slot did not hold the stream
                }

                if (!_index.TryFind(r.StreamId, r.Hash, r.ExpectedLatest, _matchesOnDisk, out current, out var hot, out slot) || hot is not null)
                {
                    return false;
                }
            }
        }

        if (IsStale(r, current))
        {
            return true;
        }

        int idLength = System.Text.Encoding.UTF8.GetBytes(r.StreamId, _idleCopyId);
        r.IdleTiers = tiers;
        r.IdleSlot = slot;
        FrameCopy(r, _idleCopyId.AsSpan(0, idLength), ref current, now);
        _idleCopies.Set(r.StreamId, new IdleCopy(tiers, slot, current, r.Position), _committer.AppliedPosition);
        return true;
    }

    /// <summary>The writer's state of a stream: held, taken over from an idle copy in flight, or taken from the published index (verified on disk when idle).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private WriterStream Resolve(string id, ulong hash)
    {
        var key = new WriterStreamKey(id, hash);
        if (_streams.TryGetValue(key, out var stream))
        {
            return stream;
        }

        if (_idleCopies.TryGet(id, _committer.AppliedPosition, out var copy))
        {
            // A relocation copy of the idle stream is framed but not applied: the committer replaces the idle slot with
            // the copy's entry first, then publishes this hot entry, which starts from that same entry.
            _idleCopies.Remove(id);
            StreamEntry afterCopy = copy.Tentative;
            afterCopy.DecideRetention(_options, id);
            stream = new WriterStream(id, Encoding.UTF8.GetBytes(id), new HotStream(id, afterCopy, copy.Slot), afterCopy);
            stream.SetAnchor(copy.Position, spanKnown: true);
            _streams[key] = stream;
            return stream;
        }

        // Not held: nothing of this stream is in flight, so the published entry is its current state. A hot entry carries
        // the stream's retention decision; one created here (a new stream, or an idle one promoted) decides it now, once,
        // so the tentative entry and the committer's apply records with the same rule.
        HotStream hot;
        StreamEntry current;
        if (_index.TryFind(id, hash, _matchesOnDisk, out var entry, out var published, out int idleSlot))
        {
            if (published is null)
            {
                entry.DecideRetention(_options, id);
            }

            current = entry;
            hot = published ?? new HotStream(id, entry, idleSlot);
        }
        else
        {
            current = StreamEntry.CreateNew(hash);
            current.DecideRetention(_options, id);
            hot = new HotStream(id, current, -1);
        }

        stream = new WriterStream(id, Encoding.UTF8.GetBytes(id), hot, current);
        var (anchor, spanKnown) = LearnAnchor(current);
        stream.SetAnchor(anchor, spanKnown);
        _streams[key] = stream;
        return stream;
    }

    /// <summary>
    /// The anchor of a stream the writer takes up: none for a new stream, its latest record when that is an anchor (the
    /// records after it are the ones framed from now on: its span is known), else the anchor that record carries (one
    /// small read: <see cref="Reading.AnchorProbe"/>; none when in doubt; the records between it and the latest are not
    /// known, so the next anchor carries no span positions).
    /// </summary>
    private (long Anchor, bool SpanKnown) LearnAnchor(in StreamEntry entry)
    {
        if (entry.LatestPosition == LogPosition.None)
        {
            return (LogPosition.None, false);
        }

        return entry.ChainRecords % RecordHeader.AnchorInterval == 1
            ? (entry.LatestPosition, true)
            : (Reading.AnchorProbe.ReadAnchorAfter(_segments, entry.LatestPosition), false);
    }

    /// <summary>The position of the next record of <paramref name="length"/> bytes; rotates first when it does not fit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private long Reserve(int length)
    {
        if (_active.WrittenOffset + _length + length > _options.SegmentSizeBytes - RecordHeader.SealSize)
        {
            Rotate();
        }

        EnsureBuffer(_length + length);
        return LogPosition.Create(_active.Id, _active.WrittenOffset + _length);
    }

    /// <summary>
    /// Seals the active segment (the seal record goes out with the pending bytes; the group is then synced whatever
    /// the policy, so the seal is durable before anything written after it is acknowledged) and switches to the next
    /// segment the manager prepared.
    /// </summary>
    /// <remarks>
    /// The next segment is taken before anything of the rotation is framed: when it cannot be created because the device
    /// is full (<see cref="LogDiskFullException"/>), the writer's state, the open group and the active segment are as they
    /// were, so the request that needed it is refused (nothing of it framed) and the log stays healthy; the next rotation
    /// tries again (<see cref="LogHealth.NoteDiskFull"/>). Taking it first changes no state a crash can leave: the seal was
    /// only framed before, and reaches the disk with the group after either way.
    /// </remarks>
    private void Rotate()
    {
        string operation = _operation;
        _operation = "rotate";
        Segment next;
        try
        {
            next = _segments.TakeNextSegment();
        }
        catch (LogDiskFullException ex)
        {
            _health.NoteDiskFull(ex);
            _operation = operation;
            throw;
        }

        _health.ClearDiskFull();
        var old = _active;
        EnsureBuffer(_length + RecordHeader.SealSize);
        long sealedAt = NextTimestamp();
        RecordCodec.WriteSeal(FreeSpace, sealedAt, old.Header.RecordSalt);
        _length += RecordHeader.SealSize;
        CloseSpan();
        old.MarkSealed(sealedAt);
        _group.ForceSync = true;
        _active = next;
        _segments.RequestBackgroundWork();
        Rotated?.Invoke(LogPosition.Create(old.Id, old.WrittenOffset));
        LogRotated(old.Id, old.WrittenOffset, _active.Id);
        _operation = operation;
    }

    /// <summary>Rotates before a group when the active segment is older than <see cref="WriteAheadLogOptions.SegmentMaxAge"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void MaybeRotateByAge(LogRequest chain)
    {
        if (_options.SegmentMaxAge is not { } maxAge || _active.WrittenOffset <= SegmentHeader.Size)
        {
            return;
        }

        if (_time.GetUtcNow().UtcTicks - _active.ActivatedAtTicks < maxAge.Ticks)
        {
            return;
        }

        for (var r = chain; r is not null; r = r.Next)
        {
            if (r.FramedBytes > 0)
            {
                try
                {
                    Rotate();
                }
                catch (LogDiskFullException)
                {
                    return; // no room for a new segment: the active one keeps taking what fits (the refusal is noted)
                }

                WriteGroup();
                return;
            }
        }
    }

    /// <summary>
    /// When the writer holds many streams, demotes the index: every group before is committed first (the writer waits),
    /// then the committer merges the hot entries into the idle tier and the writer forgets its copies.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void MaybeDemote()
    {
        int threshold = Math.Max(MinHotStreamsBeforeDemotion, _index.Current.IdleCount / 8);
        if (_streams.Count <= threshold)
        {
            return;
        }

        WriteGroup();
        using var done = new ManualResetEventSlim();
        var marker = RentGroup();
        marker.Demote = true;
        marker.DemoteDone = done;
        _committer.Post(marker);
        done.Wait();
        int count = _streams.Count;
        _streams.Clear();
        _idleCopies.Clear();
        Interlocked.Increment(ref _counters.IndexDemotions);
        LogDemoted(count);
    }

    /// <summary>The group's buffer after every byte framed so far (where the next record is framed).</summary>
    private Span<byte> FreeSpace => _group.Buffer.AsSpan(_used + _length);

    /// <summary>
    /// Grows the group's buffer so that <paramref name="size"/> bytes fit after the closed spans: into the largest buffer
    /// an earlier group outgrew (<see cref="FramingBuffers"/>) when it is large enough, else a new one of twice the size.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void EnsureBuffer(int size)
    {
        byte[] buffer = _group.Buffer;
        if (buffer.Length >= _used + size)
        {
            return;
        }

        byte[] bigger = _grownBuffers.TakeAtLeast(_used + size) ?? new byte[Math.Max(_used + size, buffer.Length * 2)];
        buffer.AsSpan(0, _used + _length).CopyTo(bigger);
        _group.Buffer = bigger;
        if (!ReferenceEquals(buffer, _group.InitialBuffer))
        {
            _grownBuffers.Give(buffer); // outgrown, but larger than a group's own: kept for a later group
        }
    }
}
