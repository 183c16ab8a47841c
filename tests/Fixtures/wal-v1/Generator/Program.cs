using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Actors.Hosting;
using Actors.Persistence.Wal;
using Actors.Persistence.Wal.Hosting;
using Actors.Persistence.Wal.Tests.Grains;
using Actors.TestingHost;
using Actors.Wal;

// Writes three logs with the engine of this commit (format v1) and, next to each, expected.json: every stream's
// contents as the engine reads them back (versions, LSNs, timestamps, SHA-256 of every payload).
//   engine/   streams written through the engine API, closed cleanly (index.snapshot written at shutdown)
//   crashed/  the same workload, then more appends and AbandonAsync (no clean snapshot: open must scan)
//   grains/   a silo's log: journaled grains (events + checkpoints) and a grain with two IPersistentState states
string output = Path.GetFullPath(args.Length > 0 ? args[0] : "..");
foreach (string name in new[] { "engine", "crashed", "grains" })
{
    string dir = Path.Combine(output, name);
    if (Directory.Exists(dir))
    {
        Directory.Delete(dir, recursive: true);
    }
}

await WriteEngineLogAsync(Path.Combine(output, "engine"), crash: false);
await WriteEngineLogAsync(Path.Combine(output, "crashed"), crash: true);
var grainFacts = await WriteGrainLogAsync(Path.Combine(output, "grains"));
foreach (string name in new[] { "engine", "crashed", "grains" })
{
    string dir = Path.Combine(output, name);
    File.Delete(Path.Combine(dir, WriteAheadLog.LockFileName));
    await WriteExpectedAsync(dir, name == "grains" ? grainFacts : null);
    Console.WriteLine($"wrote {dir}");
}

static WriteAheadLogOptions Options(string dir) => new()
{
    Directory = dir,
    SegmentSizeBytes = 64 * 1024,
    MaxRecordSizeBytes = 24 * 1024,
    PreallocateSegments = true,
    CompactionLiveRatio = 0.9,
};

static ReadOnlyMemory<byte> Payload(string stream, long version, int size = 0)
{
    string text = $"{stream}#{version}";
    byte[] bytes = new byte[Math.Max(size, Encoding.UTF8.GetByteCount(text))];
    Encoding.UTF8.GetBytes(text, bytes);
    for (int i = Encoding.UTF8.GetByteCount(text); i < bytes.Length; i++)
    {
        bytes[i] = (byte)(i * 31 + version);
    }

    return bytes;
}

static async Task AppendAsync(WriteAheadLog log, string stream, int count, int size = 0)
{
    long version = log.GetStreamInfo(stream).Version;
    var events = Enumerable.Range(1, count).Select(i => Payload(stream, version + i, size)).ToArray();
    await log.AppendAsync(stream, version, events);
}

static async Task WriteEngineLogAsync(string dir, bool crash)
{
    var log = await WriteAheadLog.OpenAsync(Options(dir));

    // Plain events in batches of 1, 3 and 1.
    await AppendAsync(log, "plain/1", 1);
    await AppendAsync(log, "plain/1", 3);
    await AppendAsync(log, "plain/1", 1);

    // Events, a checkpoint, later events.
    await AppendAsync(log, "ckpt/1", 10);
    await log.WriteCheckpointAsync("ckpt/1", 10, Payload("ckpt/1-state", 10, 300));
    await AppendAsync(log, "ckpt/1", 2);

    // Deleted and reused; deleted for good.
    await AppendAsync(log, "deleted/reused", 3);
    await log.DeleteStreamAsync("deleted/reused", 3);
    await AppendAsync(log, "deleted/reused", 2);
    await AppendAsync(log, "deleted/gone", 2);
    await log.DeleteStreamAsync("deleted/gone", 2);

    // A non-ASCII id and a large event.
    await AppendAsync(log, "ünïcødé/流/1", 2);
    await AppendAsync(log, "big/1", 1, 20 * 1024);

    // Idle streams with a checkpoint in the first segments: compaction copies them forward (Relocated records).
    for (int i = 0; i < 20; i++)
    {
        string id = $"idle/{i}";
        await AppendAsync(log, id, 3, 200);
        await log.WriteCheckpointAsync(id, 3, Payload(id + "-state", 3, 400));
    }

    // Busy streams fill several segments and checkpoint, so the early segments become sparse.
    for (int round = 0; round < 12; round++)
    {
        for (int i = 0; i < 8; i++)
        {
            string id = $"busy/{i}";
            await AppendAsync(log, id, 4, 700);
            long version = log.GetStreamInfo(id).Version;
            await log.WriteCheckpointAsync(id, version, Payload(id + "-state", version, 500));
        }
    }

    CompactionResult compacted = await log.CompactAsync();
    Console.WriteLine($"{dir}: compaction deleted {compacted.SegmentsDeleted}, compacted {compacted.SegmentsCompacted}, relocated {compacted.StreamsRelocated}");
    await AppendAsync(log, "plain/1", 1);

    // Streams without checkpoints that span later segments (sealed segments with seal records stay).
    for (int round = 0; round < 30; round++)
    {
        for (int i = 0; i < 3; i++)
        {
            await AppendAsync(log, $"tail/{i}", 2, 600);
        }
    }

    // Many small streams.
    var many = Enumerable.Range(0, 100).Select(i => AppendAsync(log, $"many/{i}", 1)).ToArray();
    await Task.WhenAll(many);

    if (!crash)
    {
        await log.DisposeAsync();
        return;
    }

    await AppendAsync(log, "plain/1", 2);
    await AppendAsync(log, "after-snapshot/1", 3);
    await log.AbandonAsync();
}

static async Task<Dictionary<string, object>> WriteGrainLogAsync(string dir)
{
    var builder = new TestClusterBuilder();
    builder.ConfigureSilo(silo =>
    {
        silo.AddGrain<LedgerGrain>().AddGrain<CheckpointedLedgerGrain>().AddGrain<ProfileGrain>();
        silo.AddWriteAheadLogAsDefault(o =>
        {
            o.Directory = dir;
            o.SegmentSizeBytes = 64 * 1024;
            o.MaxRecordSizeBytes = 24 * 1024;
            o.MaxEventSizeBytes = 16 * 1024;
            o.PreallocateSegments = true;
            o.CheckpointOnDeactivation = false;
        });
    });
    var facts = new Dictionary<string, object>();
    await using (TestCluster cluster = builder.Build())
    {
        await cluster.DeployAsync();
        ILedgerGrain checkpointed = cluster.Client.GetGrain<ICheckpointedLedgerGrain>("fixture-checkpointed");
        for (int i = 1; i <= 25; i++)
        {
            await checkpointed.Credit(i);
        }

        LedgerSnapshot c = await checkpointed.Note("after the checkpoints");
        facts["ledger/fixture-checkpointed"] = new { c.Balance, c.Entries, c.Version };

        ILedgerGrain plain = cluster.Client.GetGrain<ILedgerGrain>("fixture-plain");
        await plain.Credit(10m);
        await plain.CreditMany(3, 2.5m);
        LedgerSnapshot p = await plain.Note("noted");
        facts["ledger/fixture-plain"] = new { p.Balance, p.Entries, p.Version };

        IProfileGrain profile = cluster.Client.GetGrain<IProfileGrain>("fixture-profile");
        await profile.Visit("ada");
        await profile.Visit("ada lovelace");
        await profile.VisitAndAudit("ada lovelace", "first audit");
        await profile.VisitAndAudit("countess", "second audit");
        ProfileSnapshot s = await profile.SetBio("wrote the first program");
        facts["profile/fixture-profile"] = new { s.Name, s.Visits, s.AuditEntries, s.ProfileETag, s.AuditETag };

        IProfileGrain cleared = cluster.Client.GetGrain<IProfileGrain>("fixture-cleared");
        await cleared.Visit("gone");
        ProfileSnapshot x = await cleared.Clear();
        facts["profile/fixture-cleared"] = new { x.Name, x.Visits, x.ProfileExists, x.AuditExists };
    }

    return facts;
}

static async Task WriteExpectedAsync(string dir, Dictionary<string, object>? grainFacts)
{
    var ids = ListStreamIds(dir);
    var options = Options(dir);
    options.ReadOnly = true;
    await using var log = await WriteAheadLog.OpenAsync(options);
    var streams = new List<object>();
    foreach (string id in ids.Order(StringComparer.Ordinal))
    {
        var info = log.GetStreamInfo(id);
        var read = await log.ReadStreamAsync(id);
        object? history = null;
        try
        {
            history = (await log.ReadEventsAsync(id, 1, info.Version)).Select(Event).ToList();
        }
        catch (EventsReclaimedException ex)
        {
            history = new { reclaimed = true, ex.OldestAvailableVersion };
        }

        streams.Add(new
        {
            id,
            info.Version,
            info.CheckpointVersion,
            info.IsDeleted,
            read = new
            {
                read.Version,
                read.IsDeleted,
                checkpoint = read.Checkpoint is { } cp ? new { cp.Version, cp.Lsn, ticks = cp.Timestamp.UtcTicks, sha256 = Hash(cp.State) } : null,
                events = read.Events.Select(Event).ToList(),
            },
            history,
        });
    }

    var document = new { format = 1, writtenBy = "tests/Fixtures/wal-v1/Generator", streams, grains = grainFacts };
    await File.WriteAllTextAsync(Path.Combine(dir, "expected.json"), JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }));

    static object Event(StoredEvent e) => new { e.Version, e.Lsn, ticks = e.Timestamp.UtcTicks, sha256 = Hash(e.Payload) };
}

static string Hash(ReadOnlyMemory<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes.Span));

// Stream ids, read from the record headers of every segment (format v1: 64-byte segment header, records of
// { i32 length, u32 crc, u8 type, u8 flags, u16 idLength, ... 48-byte header, id, body }, zero length = end).
static HashSet<string> ListStreamIds(string dir)
{
    var ids = new HashSet<string>(StringComparer.Ordinal);
    foreach (string path in Directory.GetFiles(dir, "*.wal"))
    {
        byte[] file = File.ReadAllBytes(path);
        int offset = 64;
        while (offset + 48 <= file.Length)
        {
            int length = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(offset));
            if (length < 48 || offset + length > file.Length)
            {
                break;
            }

            int idLength = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(offset + 10));
            if (file[offset + 8] != 5 && idLength > 0)
            {
                ids.Add(Encoding.UTF8.GetString(file, offset + 48, idLength));
            }

            offset += length;
        }
    }

    return ids;
}
