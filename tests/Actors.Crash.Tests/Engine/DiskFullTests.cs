using Actors.Crash.Tests.Engine.Support;
using Actors.Wal;
using Actors.Wal.IO;
using Xunit.Abstractions;

namespace Actors.Crash.Tests.Engine;

/// <summary>
/// Item 5 (engine half): a full disk. On Linux as root the test mounts a real 2 MiB tmpfs and fills it; elsewhere it
/// falls back to an injected ENOSPC (and says so). Appends must fail cleanly: refused with LogDiskFullException when
/// the disk is full at a segment's creation (the log stays healthy), else with LogFailedException(IsDiskFull);
/// a restart on the still-full disk opens and serves every acknowledged read (writes fail as disk full); after
/// space returns and the log is reopened, every acknowledged event is there and nothing partial is visible.
/// </summary>
[Trait("Category", "Crash")]
public sealed class DiskFullTests(ITestOutputHelper output)
{
    [Fact]
    public Task AppendAsync_DiskFullDuringWrite_FailsCleanlyAndRecoversEverythingAcknowledgedAfterSpaceReturns()
        => RunAsync(preallocate: false);

    [Fact]
    public Task AppendAsync_DiskFullDuringSegmentPreallocation_FailsCleanlyAsDiskFullAndRecovers()
        => RunAsync(preallocate: true);

    private async Task RunAsync(bool preallocate)
    {
        using var mount = TryMount("2m", out string why);
        using var fallbackDir = mount is null ? new TempDirectory("actors-crash-tests", preferMemory: true) : null;
        string dir = mount?.Path ?? fallbackDir!.Path;
        IFileSystem fs = PhysicalFileSystem.Instance;
        CrashFileSystem? injected = null;
        if (mount is null)
        {
            output.WriteLine($"FALLBACK: no real small file system ({why}); using an injected ENOSPC after 600 KiB of writes.");
            injected = new CrashFileSystem(new SimulatedDisk { Recording = false });
            injected.CreateDirectory(Path.GetFullPath(dir));
            injected.FreeBytes = 600 * 1024;
            fs = injected;
        }
        else
        {
            output.WriteLine($"real tmpfs of 2 MiB mounted at {dir}");
        }

        // Leave roughly 600 KiB for the log.
        string filler = Path.Combine(dir, "filler.bin");
        if (mount is not null)
        {
            File.WriteAllBytes(filler, new byte[(2048 - 600) * 1024]);
        }

        var options = new WriteAheadLogOptions { Directory = dir, SegmentSizeBytes = 64 * 1024, MaxRecordSizeBytes = 16 * 1024, PreallocateSegments = preallocate };
        var workload = new Workload(() => 0);
        var log = await WriteAheadLog.OpenAsync(options, fs);
        try
        {
            var random = new Random(8);
            Exception? failure = null;
            for (int i = 0; i < 5000 && failure is null; i++)
            {
                byte[] payload = new byte[random.Next(500, 3000)];
                random.NextBytes(payload);
                await workload.AppendAsync(log, "s" + (i % 4), [payload]);
                failure = workload.AllItems[^1].Failure as WalException;
            }

            Assert.NotNull(failure);
            output.WriteLine($"acknowledged {workload.AllItems.Count(w => w.Acked)} appends before the disk filled; {failure.GetType().Name}: {failure.Message}");
            if (failure is LogDiskFullException)
            {
                // No room for a new segment: a refusal, the log stays healthy and refuses the next one that needs a segment too.
                Assert.False(log.IsFailed, "a refused segment creation must leave the log healthy");
                await Assert.ThrowsAsync<LogDiskFullException>(async () => await log.AppendAsync("s0", ExpectedVersion.Any, [new byte[15000]]));
            }
            else
            {
                var failed = Assert.IsType<LogFailedException>(failure);
                Assert.True(failed.IsDiskFull, $"expected ENOSPC, got HResult {failed.InnerException?.HResult} ({failed.InnerException?.Message})");
                await Assert.ThrowsAsync<LogFailedException>(async () => await log.AppendAsync("s0", ExpectedVersion.Any, [new byte[1]]));
            }

            Assert.Null(await workload.CheckAsync(log, item => item.Acked, []));
        }
        finally
        {
            await log.DisposeAsync();
        }

        // The process restarts while the disk is still full: it must open (read-only when it cannot write) and serve
        // every acknowledged read; writes fail as disk full once the space left is used up. How much is left depends on
        // what filled the disk: when it was a background write (the recovery snapshot's temporary file, say), the open
        // removes that file, and the open segment's preallocated room still takes appends. Those are checked at the end.
        await using (var stillFull = await WriteAheadLog.OpenAsync(options, fs))
        {
            Assert.Null(await workload.CheckAsync(stillFull, item => item.Acked, []));
            Exception? refusal = null;
            int accepted = 0;
            for (int i = 0; i < 200 && refusal is null; i++)
            {
                await workload.AppendAsync(stillFull, "after-full", [new byte[15000]]);
                refusal = workload.AllItems[^1].Failure;
                accepted += refusal is null ? 1 : 0;
            }

            Assert.True(
                refusal is LogDiskFullException or LogFailedException { IsDiskFull: true },
                $"expected a full disk (LogDiskFullException, or LogFailedException with ENOSPC), got {refusal?.GetType().Name}: {refusal?.Message}");
            output.WriteLine($"reopened on the full disk: {accepted} appends of 15,000 B accepted before the refusal; failed={stillFull.IsFailed}, notes: {string.Join(" | ", stillFull.GetStatistics().Recovery.Notes)}");
        }

        // Space returns (filler deleted), the process restarts.
        if (mount is not null)
        {
            File.Delete(filler);
        }
        else
        {
            injected!.FreeBytes = null;
        }

        await using var reopened = await WriteAheadLog.OpenAsync(options, fs);
        Assert.Null(await workload.CheckAsync(reopened, item => item.Acked, []));
        output.WriteLine($"after reopen: {reopened.GetStatistics().Recovery.Notes.Count} recovery note(s), {reopened.GetStatistics().Recovery.TruncatedBytes} torn bytes cut");
        await reopened.AppendAsync("after", ExpectedVersion.NoStream, [new byte[1000]]);
        Assert.Equal(1, (await reopened.ReadStreamAsync("after")).Version);
    }

    /// <summary>A real tmpfs of <paramref name="size"/>, or null with the reason when this machine cannot mount one.</summary>
    private static TmpfsMount? TryMount(string size, out string reason)
    {
        try
        {
            reason = "";
            return TmpfsMount.Create(size);
        }
        catch (InvalidOperationException ex)
        {
            reason = ex.Message;
            return null;
        }
    }
}
