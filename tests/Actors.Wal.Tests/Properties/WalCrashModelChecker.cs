using System.Text;
using Actors.Wal.Format;
using Actors.Wal.Tests.Conformance;

namespace Actors.Wal.Tests.Properties;

/// <summary>
/// <see cref="ModelChecker"/> over a <see cref="WriteAheadLog"/> under <see cref="SyncPolicy.Always"/> that can also
/// crash it, damage what a crash may damage, reopen it and check what survived.
/// </summary>
/// <remarks>
/// <para>The crash model (why the damage below is honest):</para>
/// <list type="number">
/// <item>When a crash operation starts, every earlier operation was acknowledged. Under <see cref="SyncPolicy.Always"/>
/// an acknowledged write is fsynced, so a real crash (even a power loss) cannot touch any byte of the newest segment
/// below the length <c>L0</c> it has at that moment, nor any older segment.</item>
/// <item>The checker then starts 0 to 4 appends (1..3 events each, <see cref="ExpectedVersion.Any"/>) without awaiting
/// them and "kills the process" in one of three ways: (a, half of the crashes) every fsync from now on throws
/// (<see cref="CrashOnFsyncFileSystem"/>: the process dies inside fsync, the writer's bytes reach the file but nothing
/// is acknowledged, and an acknowledgement would be a bug), then <see cref="WriteAheadLog.AbandonAsync"/>;
/// (b) <see cref="WriteAheadLog.AbandonAsync"/> at once; (c) wait until the writer wrote something, then
/// <see cref="WriteAheadLog.AbandonAsync"/>. Each pending append either completed (acknowledged: it must survive) or
/// failed (outcome unknown).</item>
/// <item>Damage is applied only where a crash could leave it: if no pending append was acknowledged and the newest
/// segment is still the one measured at <c>L0</c>, the file is cut at a random offset in [<c>L0</c>, end) or zeroed
/// from there to the end (a torn write). Zeros appended after the end (a preallocated or extended tail) are always
/// allowed. If a pending append was acknowledged, or a rotation started a new segment (the old one is fsynced
/// before the new one is used), the unacknowledged region is unknown and no bytes are cut.</item>
/// <item>After reopening (default <see cref="RecoveryMode.TolerateTornTail"/>): every acknowledged operation reads back
/// exactly (the model comparison after every step), every pending batch is either entirely present, contiguous and
/// in order, or entirely absent, acknowledged pending batches are present, nothing unknown appears, and LSNs keep
/// growing. Present pending batches are then added to the model.</item>
/// </list>
/// </remarks>
internal sealed class WalCrashModelChecker(WriteAheadLog log, ConformanceTimeProvider clock, WriteAheadLogOptions options, CrashOnFsyncFileSystem fileSystem)
    : ModelChecker(log, clock, strict: false)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public int Crashes { get; private set; }

    public int CrashesInsideFsync { get; private set; }

    public int CrashesWithCutOrZeroedTail { get; private set; }

    public int CrashesWithZerosAppended { get; private set; }

    public int PendingBatchesPresent { get; private set; }

    public int PendingBatchesAbsent { get; private set; }

    public IEventLog CurrentLog => Log;

    protected override async Task CrashAsync(CrashOperation operation)
    {
        var wal = (WriteAheadLog)Log;
        var random = new Random(operation.Seed);
        var (segmentBefore, lengthBefore) = NewestSegment();
        long writtenBefore = wal.WrittenLsn;
        var pending = new List<PendingBatch>();
        int kill = random.Next(4);
        fileSystem.Crashing = kill <= 1;
        for (int i = 0; i < operation.PendingAppends; i++)
        {
            string streamId = Stream(random.Next(OperationGenerators.ValidStreams));
            byte[][] payloads = Enumerable.Range(0, random.Next(1, 4))
                .Select(_ => NextPayload(random.Next(12, OperationGenerators.MaxRecordSizeBytes + 1)))
                .ToArray();
            var task = wal.AppendAsync(streamId, ExpectedVersion.Any, payloads.Select(p => (ReadOnlyMemory<byte>)p).ToArray()).AsTask();
            pending.Add(new PendingBatch(streamId, payloads, task));
        }

        if (kill <= 1)
        {
            foreach (var batch in pending)
            {
                batch.Acknowledged = await CompletedSuccessfullyAsync(batch.Task);
                Check(!batch.Acknowledged, $"a pending append on \"{batch.StreamId}\" was acknowledged although every fsync failed (SyncPolicy.Always)");
            }

            CrashesInsideFsync++;
        }
        else if (kill == 3 && pending.Count > 0)
        {
            await WaitUntilAsync(() => wal.WrittenLsn > writtenBefore || pending.TrueForAll(p => p.Task.IsCompleted), "the writer to write a pending batch");
        }

        await wal.AbandonAsync();
        fileSystem.Crashing = false;
        foreach (var batch in pending)
        {
            batch.Acknowledged = await CompletedSuccessfullyAsync(batch.Task);
        }

        await DamageAsync(operation, random, segmentBefore, lengthBefore, anyAcknowledged: pending.Exists(p => p.Acknowledged));
        Log = await WriteAheadLog.OpenAsync(options, fileSystem, loggerFactory: null, timeProvider: Clock);
        Crashes++;
        await AbsorbSurvivorsAsync(pending);
    }

    private static async Task<bool> CompletedSuccessfullyAsync(Task task)
    {
        try
        {
            await task.WaitAsync(Timeout);
            return true;
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"A pending append neither completed nor failed within {Timeout.TotalSeconds} s after AbandonAsync.", ex);
        }
        catch (Exception ex) when (ex is LogFailedException or ObjectDisposedException or OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string waitingFor)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {Timeout.TotalSeconds} s waiting for {waitingFor}.");
            }

            await Task.Yield();
        }
    }

    private async Task DamageAsync(CrashOperation operation, Random random, string? segmentBefore, long lengthBefore, bool anyAcknowledged)
    {
        var (segment, length) = NewestSegment();
        if (segment is null || operation.Damage == CrashDamage.None)
        {
            return;
        }

        if (operation.Damage == CrashDamage.AppendZeros)
        {
            await using var append = new FileStream(segment, FileMode.Append, FileAccess.Write);
            await append.WriteAsync(new byte[random.Next(1, 4097)]);
            CrashesWithZerosAppended++;
            return;
        }

        if (anyAcknowledged || segment != segmentBefore || length <= lengthBefore)
        {
            return;
        }

        long offset = lengthBefore + random.NextInt64(length - lengthBefore);
        await using var file = new FileStream(segment, FileMode.Open, FileAccess.Write);
        if (operation.Damage == CrashDamage.Truncate)
        {
            file.SetLength(offset);
        }
        else
        {
            file.Position = offset;
            await file.WriteAsync(new byte[length - offset]);
        }

        CrashesWithCutOrZeroedTail++;
    }

    private async Task AbsorbSurvivorsAsync(List<PendingBatch> pending)
    {
        var byPayload = new Dictionary<string, (PendingBatch Batch, int Index)>(StringComparer.Ordinal);
        foreach (var batch in pending)
        {
            for (int i = 0; i < batch.Payloads.Length; i++)
            {
                byPayload[Key(batch.Payloads[i])] = (batch, i);
            }
        }

        var present = new HashSet<PendingBatch>();
        long acknowledgedLsn = LastLsn;
        long highestLsn = LastLsn;
        for (int s = 0; s < OperationGenerators.ValidStreams; s++)
        {
            string streamId = Stream(s);
            long acknowledgedVersion = Model.Info(streamId).Version;
            long version = Log.GetStreamInfo(streamId).Version;
            Check(version >= acknowledgedVersion, $"after the crash \"{streamId}\" is at version {version}, below the acknowledged {acknowledgedVersion}");
            if (version == acknowledgedVersion)
            {
                continue;
            }

            var extra = await Log.ReadEventsAsync(streamId, acknowledgedVersion + 1, version);
            Check(extra.Count == version - acknowledgedVersion, $"\"{streamId}\" reports version {version} but returns {extra.Count} events after {acknowledgedVersion}");
            for (int i = 0; i < extra.Count;)
            {
                bool known = byPayload.TryGetValue(Key(extra[i].Payload.ToArray()), out var hit);
                Check(known, $"\"{streamId}\" version {extra[i].Version} holds an event no acknowledged or pending append wrote");
                Check(hit.Index == 0 && hit.Batch.StreamId == streamId, $"\"{streamId}\" version {extra[i].Version} holds event {hit.Index} of a pending batch for \"{hit.Batch.StreamId}\" without its start: a half-visible batch");
                var batch = hit.Batch;
                for (int j = 0; j < batch.Payloads.Length; j++)
                {
                    Check(i + j < extra.Count && extra[i + j].Payload.Span.SequenceEqual(batch.Payloads[j]), $"a pending batch of {batch.Payloads.Length} events on \"{streamId}\" from version {extra[i].Version} is only partly visible");
                    Check(extra[i + j].Lsn > acknowledgedLsn, $"surviving pending event at \"{streamId}\" version {extra[i + j].Version} has LSN {extra[i + j].Lsn}, not above the highest acknowledged LSN {acknowledgedLsn}");
                }

                var outcome = Model.Append(streamId, ExpectedVersion.Any, batch.Payloads, Clock.GetUtcNow());
                Check(outcome.FirstVersion == extra[i].Version, $"the model would place the surviving batch at version {outcome.FirstVersion}, the log has it at {extra[i].Version}");
                present.Add(batch);
                i += batch.Payloads.Length;
            }

            highestLsn = Math.Max(highestLsn, extra.Max(e => e.Lsn));
        }

        LastLsn = highestLsn;

        foreach (var batch in pending)
        {
            Check(!batch.Acknowledged || present.Contains(batch), $"an acknowledged pending batch of {batch.Payloads.Length} events on \"{batch.StreamId}\" was lost in the crash");
        }

        PendingBatchesPresent += present.Count;
        PendingBatchesAbsent += pending.Count - present.Count;
    }

    private static string Key(byte[] payload) => Convert.ToBase64String(payload);

    /// <summary>The newest segment file (highest id) and its length, or null when there is none.</summary>
    private (string? Path, long Length) NewestSegment()
    {
        string? newest = Directory.EnumerateFiles(options.Directory)
            .Where(path => SegmentHeader.TryParseFileName(Path.GetFileName(path), out _))
            .Order(StringComparer.Ordinal)
            .LastOrDefault();
        return newest is null ? (null, 0) : (newest, new FileInfo(newest).Length);
    }

    private sealed class PendingBatch(string streamId, byte[][] payloads, Task task)
    {
        public string StreamId { get; } = streamId;

        public byte[][] Payloads { get; } = payloads;

        public Task Task { get; } = task;

        public bool Acknowledged { get; set; }

        public override string ToString() => $"{StreamId}: {string.Join(", ", Payloads.Select(p => Encoding.ASCII.GetString(p)))}";
    }
}
