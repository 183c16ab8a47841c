using System.Diagnostics.Metrics;
using Actors.Wal.Diagnostics;
using Actors.Wal.Format;
using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

public sealed class DiagnosticsAndEdgeTests : LogTestBase
{
    [Fact]
    public async Task ReadStreamAsync_RecordDamagedAfterOpen_ThrowsCorruptedNamingFileAndOffset()
    {
        await using var log = await OpenAsync();
        await log.AppendAsync("s", 0, Events("payload"));
        string segment = Dir.Segments()[^1];
        FaultInjectingFileSystem.FlipBit(segment, SegmentHeader.Size + RecordHeader.Size + 3);

        var ex = await Assert.ThrowsAsync<LogCorruptedException>(async () => await log.ReadStreamAsync("s"));

        Assert.Equal(segment, ex.FilePath);
        Assert.Equal(SegmentHeader.Size, ex.Offset);
    }

    [Fact]
    public async Task OpenAsync_ReadOnlyMissingDirectory_ThrowsDirectoryNotFound()
    {
        string missing = Dir.File("does-not-exist");
        await Assert.ThrowsAsync<DirectoryNotFoundException>(async () =>
            await WriteAheadLog.OpenAsync(new WriteAheadLogOptions { Directory = missing, ReadOnly = true }));
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public async Task OpenAsync_InvalidOptions_ThrowsNamingTheSetting()
    {
        var ex = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(async () =>
            await WriteAheadLog.OpenAsync(new WriteAheadLogOptions { Directory = Dir.Path, SegmentSizeBytes = 10 }));
        Assert.Contains(nameof(WriteAheadLogOptions.SegmentSizeBytes), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppendAsync_Commits_PublishMetrics()
    {
        var measurements = new List<(string Name, double Value)>();
        var units = new Dictionary<string, string?>(StringComparer.Ordinal);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == WalInstruments.MeterName)
            {
                lock (units)
                {
                    units[instrument.Name] = instrument.Unit;
                }

                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        listener.Start();

        LogStatistics statistics;
        await using (var log = await OpenAsync())
        {
            await log.AppendAsync("s", 0, Events("a", "b"));
            listener.RecordObservableInstruments();
            statistics = log.GetStatistics();
        }

        lock (measurements)
        {
            Assert.Contains(measurements, m => m.Name == "actors.wal.appends" && m.Value == 1);
            Assert.Contains(measurements, m => m.Name == "actors.wal.bytes" && m.Value > 0);
            Assert.Contains(measurements, m => m.Name == "actors.wal.fsync.duration");
            foreach (string duration in (string[])["actors.wal.fsync.duration", "actors.wal.commit.phase.duration", "actors.wal.recovery.duration", "actors.wal.space.pass_time"])
            {
                Assert.Equal("s", units[duration]); // OpenTelemetry's convention: durations in seconds
            }

            Assert.True(measurements.Where(m => m.Name == "actors.wal.recovery.duration").All(m => m.Value < 60), "recovery.duration is recorded in seconds");
            foreach (string phase in new[] { "wait", "linger", "write", "fsync", "publish" })
            {
                Assert.Contains(measurements, m => m.Name == "actors.wal.commit.phase.duration/" + phase && m.Value >= 0);
            }

            Assert.Contains(measurements, m => m.Name == "actors.wal.commit.phase.duration/fsync" && m.Value > 0);
            Assert.Contains(measurements, m => m.Name == "actors.wal.recovery.duration");
            Assert.Contains(measurements, m => m.Name == "actors.wal.segments" && m.Value == 1);
            Assert.True(statistics.LiveBytes > 0, "the appended events are live");
            Assert.Contains(measurements, m => m.Name == "actors.wal.live_bytes" && m.Value == statistics.LiveBytes);
            Assert.Contains(measurements, m => m.Name == "actors.wal.reclaimable_bytes" && m.Value == statistics.ReclaimableBytes);
            Assert.Contains(measurements, m => m.Name == "actors.wal.consolidations" && m.Value == statistics.ChainsConsolidated);
        }

        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            bool ours = false;
            string name = instrument.Name;
            foreach (var tag in tags)
            {
                ours |= tag.Key == "wal.directory" && Equals(tag.Value, Dir.Path);
                if (tag.Key == "commit.phase")
                {
                    name += "/" + tag.Value;
                }
            }

            if (ours)
            {
                lock (measurements)
                {
                    measurements.Add((name, value));
                }
            }
        }
    }

    [Fact]
    public async Task GetStatistics_AfterAppends_CountsRecordsCommitsAndFsyncs()
    {
        await using var log = await OpenAsync();
        await log.AppendAsync("s", 0, Events("a", "b"));
        await log.WriteCheckpointAsync("s", 2, Bytes("cp"));

        var stats = log.GetStatistics();

        Assert.Equal(3, stats.AppendedRecords);
        Assert.Equal(2, stats.Commits);
        Assert.True(stats.Fsyncs >= 2);
        Assert.Equal(1, stats.StreamCount);
        Assert.Equal(1, stats.SegmentCount);
        Assert.Equal(3, stats.WrittenLsn);
        Assert.Equal(3, stats.DurableLsn);
        Assert.False(stats.IsFailed);
    }

    [Fact]
    public async Task AppendAsync_CanceledWhileQueued_ThrowsOperationCanceled()
    {
        var fs = new FaultInjectingFileSystem(EventLogFaultLayout.Instance);
        await using var log = await OpenAsync(fileSystem: fs);
        using var gate = new ManualResetEventSlim(false);
        fs.FsyncGate = gate;
        var first = log.AppendAsync("a", 0, Events("1")).AsTask();
        Assert.True(await fs.FsyncEntered.WaitAsync(TimeSpan.FromSeconds(10)), "the writer never reached the first fsync");
        using var cts = new CancellationTokenSource();
        var queued = log.AppendAsync("b", 0, Events("1"), cts.Token).AsTask();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        fs.FsyncGate = null;
        gate.Set();
        await first;
    }
}
