using Actors.Wal.IO;

namespace Actors.Wal.Tests.Support;

/// <summary>Shared helpers: a temp directory per test and small segments.</summary>
public abstract class LogTestBase : IDisposable
{
    private FaultInjectingFileSystem? _files;

    protected LogTestBase()
    {
        Dir = new TempDirectory();
    }

    protected TempDirectory Dir { get; }

    protected static ReadOnlyMemory<byte> Bytes(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    protected static string Text(ReadOnlyMemory<byte> bytes) => System.Text.Encoding.UTF8.GetString(bytes.Span);

    protected static IReadOnlyList<ReadOnlyMemory<byte>> Events(params string[] texts) => texts.Select(Bytes).ToArray();

    /// <summary>Options of a log that never syncs and commits each write on the calling thread (<see cref="WriteAheadLogOptions.CommitOnCallingThread"/>).</summary>
    protected static void CommitInline(WriteAheadLogOptions options)
    {
        options.SyncPolicy = SyncPolicy.None;
        options.CommitOnCallingThread = true;
    }

    protected WriteAheadLogOptions Options(Action<WriteAheadLogOptions>? configure = null)
    {
        var options = new WriteAheadLogOptions
        {
            Directory = Dir.Path,
            SegmentSizeBytes = 64 * 1024,
            MaxRecordSizeBytes = 16 * 1024,
            PreallocateSegments = false,
        };
        configure?.Invoke(options);
        return options;
    }

    internal ValueTask<WriteAheadLog> OpenAsync(Action<WriteAheadLogOptions>? configure = null, IFileSystem? fileSystem = null, TimeProvider? time = null)
        => WriteAheadLog.OpenAsync(Options(configure), fileSystem ?? PhysicalFileSystem.Instance, null, time);

    /// <summary>This test's fault-injecting file system (over the real one; created on first use).</summary>
    internal FaultInjectingFileSystem Files => _files ??= new FaultInjectingFileSystem(EventLogFaultLayout.Instance);

    /// <summary>Opens the log in <see cref="Dir"/> on <see cref="Files"/>.</summary>
    internal ValueTask<WriteAheadLog> OpenOnFilesAsync(Action<WriteAheadLogOptions>? configure = null) => OpenAsync(configure, Files);

    /// <summary>
    /// The idle-stream compaction scenario: stream "idle" (events i1, i2, a checkpoint at version 1) in the first segment,
    /// then 60 events of 3,000 B and a checkpoint of stream "busy" that leave that segment mostly dead; compacts and
    /// checks that "idle" was copied forward, by the compaction or a background pass before it (the first segment
    /// deleted, its checkpoint and later event intact).
    /// </summary>
    internal async Task CompactIdleStreamOutOfFirstSegmentAsync(WriteAheadLog log)
    {
        await log.AppendAsync("idle", 0, Events("i1", "i2"));
        await log.WriteCheckpointAsync("idle", 1, Bytes("idle-cp1"));
        for (int i = 0; i < 60; i++)
        {
            await log.AppendAsync("busy", i, [new byte[3000]]);
        }

        await log.WriteCheckpointAsync("busy", 60, Bytes("busy-cp"));
        string firstSegment = Dir.Segments()[0];

        await log.CompactAsync();

        // Copied by this compaction or already by a background pass (passes follow rotations): the log's count covers both.
        Assert.True(log.GetStatistics().StreamsRelocated >= 1, "the idle stream was not copied forward");
        Assert.False(File.Exists(firstSegment), "the idle stream still pins the first segment");
        var idle = await log.ReadStreamAsync("idle");
        Assert.Equal("idle-cp1", Text(idle.Checkpoint!.State));
        Assert.Equal(["i2"], idle.Events.Select(e => Text(e.Payload)));
        Assert.Equal(2, idle.Version);
    }

    /// <summary>How long <see cref="PollAsync"/> waits: generous, so that a loaded machine never fails a test.</summary>
    protected static readonly TimeSpan PollDeadline = TimeSpan.FromSeconds(120);

    /// <summary>Waits until <paramref name="condition"/> holds; fails with <paramref name="failure"/> after <see cref="PollDeadline"/>.</summary>
    protected static async Task PollAsync(Func<bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow + PollDeadline;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within {PollDeadline.TotalSeconds} s: {failure}");
            await Task.Delay(5);
        }
    }

    /// <summary>
    /// Appends events of <paramref name="eventBytes"/> to <paramref name="stream"/> from <paramref name="version"/> until
    /// the log has <paramref name="segments"/> segments; returns the stream's version then.
    /// </summary>
    internal static async Task<long> AppendUntilSegmentsAsync(WriteAheadLog log, string stream, long version, int segments, int eventBytes)
    {
        while (log.GetStatistics().SegmentCount < segments)
        {
            Assert.True(version < 100_000, $"the log did not reach {segments} segments");
            version = (await log.AppendAsync(stream, version, [new byte[eventBytes]])).LastVersion;
        }

        return version;
    }

    /// <summary>
    /// Appends "busy" events of 3,000 B (a checkpoint every 5, so its records die) until the log writes into segment
    /// <paramref name="segment"/>, letting the space pass of every rotation finish before the next append: each pass sees
    /// the log as the rotation left it. Returns busy's version.
    /// </summary>
    internal static async Task<long> RotateUntilSegmentAsync(WriteAheadLog log, long busy, uint segment)
    {
        uint current = log.GetSegmentSpace().Max(s => s.SegmentId);
        while (current < segment)
        {
            Assert.True(busy < 100_000, "the log did not rotate");
            await log.AppendAsync("busy", busy, [new byte[3000]]);
            busy++;
            if (busy % 5 == 0)
            {
                await log.WriteCheckpointAsync("busy", busy, Bytes("busy-cp"));
            }

            uint now = log.GetSegmentSpace().Max(s => s.SegmentId);
            if (now != current)
            {
                await log.WhenMaintenanceIdleAsync();
                current = now;
            }
        }

        return busy;
    }

    public void Dispose()
    {
        Dir.Dispose();
        GC.SuppressFinalize(this);
    }
}
