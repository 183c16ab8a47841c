using System.Globalization;
using System.Text;
using Actors.Wal.Inspection;

namespace Actors.Wal.Tool.Tests.Infrastructure;

/// <summary>
/// Builds small, deterministic logs (64 KiB segments, compaction off so the layout is predictable) and damages copies.
/// </summary>
internal static class SampleLog
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The size of a record header: the first byte of a record's stream id is at its offset plus this (docs/wal-format.md).</summary>
    public const int RecordHeaderSize = 48;

    /// <summary>The segment format version the engine writes, and the oldest reader version its segments need (docs/wal-format.md).</summary>
    public const int FormatVersion = 6;

    /// <summary>The recovery snapshot's file name (docs/wal-format.md).</summary>
    public const string SnapshotFileName = "index.snapshot";

    public static WriteAheadLogOptions Options(string dir) => new()
    {
        Directory = dir,
        SegmentSizeBytes = 64 * 1024,
        MaxRecordSizeBytes = 16 * 1024,
        CompactionLiveRatio = 0,
    };

    /// <summary>
    /// Streams: cold/1 (5 events at the very start, never touched again: pins segment 1), ledger/1 (one JSON event
    /// per minute of the manual clock, never checkpointed), account/0..9 (JSON events, checkpoint every 10 rounds),
    /// blob/1 (binary payloads), temp/1 (deleted). Closed cleanly unless <paramref name="crash"/>. With
    /// <paramref name="accountsOnly"/> only the checkpointed account streams are written, so old segments die. With
    /// <paramref name="retainHistory"/> the log keeps the events checkpoints cover (a <c>KeepAll</c> grain store's log).
    /// </summary>
    public static async Task CreateAsync(string dir, int rounds = 60, bool crash = false, int seed = 7, bool accountsOnly = false, bool retainHistory = false)
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start);
        var random = new Random(seed);
        var options = Options(dir);
        options.RetainCheckpointedEvents = retainHistory;
        var log = await WriteAheadLog.OpenAsync(options, timeProvider: time);

        // Maintenance (snapshot after a rotation, deletion of dead segments) runs in the background: waiting for it
        // after every write makes the files the same on every run, whatever the machine's load.
        try
        {
            for (int i = 1; i <= 5 && !accountsOnly; i++)
            {
                await log.AppendAsync("cold/1", i - 1, [Json($"{{\"cold\":{i}}}")]);
                await log.WhenMaintenanceIdleAsync();
            }

            if (!accountsOnly)
            {
                await log.AppendAsync("temp/1", 0, [Json("{\"temp\":true}")]);
                await log.WhenMaintenanceIdleAsync();
                await log.DeleteStreamAsync("temp/1", 1);
                await log.WhenMaintenanceIdleAsync();
            }

            for (int round = 1; round <= rounds; round++)
            {
                time.Advance(TimeSpan.FromMinutes(1));
                if (!accountsOnly)
                {
                    await log.AppendAsync("ledger/1", round - 1, [Json($"{{\"n\":{round}}}")]);
                    await log.WhenMaintenanceIdleAsync();
                }

                for (int a = 0; a < 10; a++)
                {
                    string id = $"account/{a}";
                    long version = log.GetStreamInfo(id).Version;
                    var events = new List<ReadOnlyMemory<byte>>();
                    for (int k = 0; k < 3; k++)
                    {
                        events.Add(Json($"{{\"type\":\"Deposited\",\"amount\":{random.Next(1, 1000)},\"note\":\"{new string('x', random.Next(0, 40))}\"}}"));
                    }

                    await log.AppendAsync(id, version, events);
                    await log.WhenMaintenanceIdleAsync();
                    if (round % 10 == 0)
                    {
                        await log.WriteCheckpointAsync(id, version + 3, Json($"{{\"balance\":{random.Next(100000)}}}"));
                        await log.WhenMaintenanceIdleAsync();
                    }
                }

                if (!accountsOnly)
                {
                    await log.AppendAsync("blob/1", round - 1, [new byte[] { 1, 2, 3, (byte)round, 0xff }]);
                    await log.WhenMaintenanceIdleAsync();
                }
            }
        }
        finally
        {
            if (crash)
            {
                await log.AbandonAsync();
            }
            else
            {
                await log.DisposeAsync();
            }
        }
    }

    /// <summary>The recovery point (segment, offset) of the directory's index.snapshot.</summary>
    public static (uint Segment, long Offset) RecoveryPoint(string dir)
    {
        var point = LogInspector.Verify(dir).RecoveryPoint;
        Assert.True(point is not null, $"{dir} has no readable {SnapshotFileName}");
        return (point.Segment, point.Offset);
    }

    /// <summary>The file name of segment <paramref name="id"/> (docs/wal-format.md).</summary>
    public static string SegmentFileName(uint id) => $"{id:D10}.wal";

    /// <summary>The segment id of a segment file's path.</summary>
    public static uint SegmentId(string segmentPath) => uint.Parse(Path.GetFileName(segmentPath).AsSpan(0, 10), CultureInfo.InvariantCulture);

    public static ReadOnlyMemory<byte> Json(string text) => Encoding.UTF8.GetBytes(text);

    public static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }

    public static List<string> SegmentFiles(string dir) => Directory.GetFiles(dir, "*.wal").Order(StringComparer.Ordinal).ToList();

    /// <summary>The offsets and lengths of the valid stream records of a segment (seal excluded).</summary>
    public static List<(long Offset, int Length, InspectedRecordType Type)> Records(string segmentPath)
    {
        uint id = SegmentId(segmentPath);
        return LogInspector.ReadRecords(Path.GetDirectoryName(segmentPath)!).Where(r => r.SegmentId == id).Select(r => (r.Offset, r.Length, r.Type)).ToList();
    }

    /// <summary>Flips one bit at <paramref name="offset"/>.</summary>
    public static void FlipByte(string path, long offset)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = offset;
        int b = stream.ReadByte();
        stream.Position = offset;
        stream.WriteByte((byte)(b ^ 0x10));
    }

    /// <summary>Zeroes bytes [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="count"/>): a torn write.</summary>
    public static void Zero(string path, long offset, int count)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = offset;
        stream.Write(new byte[count]);
    }

    /// <summary>
    /// A fingerprint of every file in the directory: name, length and SHA-256 of the content (the LOCK file: name and
    /// length only, since a running log holds it exclusively).
    /// </summary>
    public static string Fingerprint(string dir)
    {
        var lines = Directory.GetFiles(dir).Order(StringComparer.Ordinal)
            .Select(f => Path.GetFileName(f) == WriteAheadLog.LockFileName
                ? $"{Path.GetFileName(f)} {new FileInfo(f).Length}"
                : $"{Path.GetFileName(f)} {new FileInfo(f).Length} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))}");
        return string.Join("\n", lines);
    }
}
