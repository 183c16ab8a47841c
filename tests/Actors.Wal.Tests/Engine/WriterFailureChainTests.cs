using Actors.Wal.IO;
using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// A write that fails while the committer writes the groups the writer framed meanwhile fails the log; every request of
/// those groups (the ones after the failed write too) must complete with <see cref="LogFailedException"/>, never hang.
/// </summary>
public sealed class WriterFailureChainTests : LogTestBase
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task AppendAsync_WriteFailsAmongWaitingGroups_EveryWaitingAppendFailsInsteadOfHanging()
    {
        var gated = new WriteGateFileSystem(PhysicalFileSystem.Instance);
        var fs = new FaultInjectingFileSystem(gated, EventLogFaultLayout.Instance);
        await using var log = await OpenAsync(o => o.MaxBatchBytes = 4096, fileSystem: fs);
        await log.AppendAsync("warm", 0, Events("up"));

        // Hold the committer inside the write of a first append, so the writer frames the next ones into groups that wait.
        gated.Hold();
        var first = log.AppendAsync("first", 0, Events("x")).AsTask();
        Assert.True(await gated.Entered.WaitAsync(Deadline), "the committer never reached the first write");
        var queued = Enumerable.Range(0, 8).Select(i => log.AppendAsync($"q{i}", 0, [new byte[3000]]).AsTask()).ToList();
        // Each append is its own group (3 KB, MaxBatchBytes 4 KiB): the writer hands a group on when the next one would not
        // fit, so seven wait for the committer and the eighth stays open until the committer asks for it.
        Assert.True(await PollAsync(() => log.PendingCommitGroups == 7), $"expected 7 framed groups waiting, saw {log.PendingCommitGroups}");

        // The next commit writes them one buffer after the other: the write of the second one fails half done.
        int writesBefore = gated.Writes;
        fs.TearNextWriteAfter = null;
        gated.FailAtWrite = writesBefore + 2;
        gated.Release();

        // The first append was written and synced before the failure: acknowledged. q0 was written in the failed commit
        // (acknowledged or failed are both allowed by the contract). Every append from q1 on was in the failed write or
        // after it: failed, never left waiting.
        var outcomes = await Task.WhenAll(queued.Prepend(first).Select(async t =>
        {
            try
            {
                await t.WaitAsync(Deadline);
                return "ok";
            }
            catch (LogFailedException)
            {
                return "failed";
            }
            catch (TimeoutException)
            {
                return "hung";
            }
        }));

        Assert.DoesNotContain("hung", outcomes);
        Assert.All(outcomes.Skip(2), o => Assert.Equal("failed", o));
        Assert.True(log.IsFailed);
    }

    private static async Task<bool> PollAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(1);
        }

        return true;
    }

    /// <summary>Passes everything through; can hold segment writes at a gate and fail the N-th one with EIO.</summary>
    private sealed class WriteGateFileSystem(IFileSystem inner) : IFileSystem
    {
        private readonly ManualResetEventSlim _gate = new(true);
        private int _writes;

        public SemaphoreSlim Entered { get; } = new(0);

        public int Writes => Volatile.Read(ref _writes);

        public int? FailAtWrite { get; set; }

        public void Hold() => _gate.Reset();

        public void Release() => _gate.Set();

        public bool DirectoryExists(string path) => inner.DirectoryExists(path);

        public void CreateDirectory(string path) => inner.CreateDirectory(path);

        public IReadOnlyList<string> ListFiles(string directory, string suffix) => inner.ListFiles(directory, suffix);

        public bool FileExists(string path) => inner.FileExists(path);

        public IWalFile OpenFile(string path, WalFileMode mode, long preallocationSize = 0)
        {
            var file = inner.OpenFile(path, mode, preallocationSize);
            return path.EndsWith(".wal", StringComparison.Ordinal) ? new GatedFile(this, file) : file;
        }

        public void DeleteFile(string path) => inner.DeleteFile(path);

        public void RenameFile(string source, string destination) => inner.RenameFile(source, destination);

        public void SyncDirectory(string directory) => inner.SyncDirectory(directory);

        public IDisposable LockFile(string lockFilePath) => inner.LockFile(lockFilePath);

        private sealed class GatedFile(WriteGateFileSystem owner, IWalFile inner) : IWalFile
        {
            public string Path => inner.Path;

            public long Length => inner.Length;

            public int Read(long offset, Span<byte> buffer) => inner.Read(offset, buffer);

            public void Write(long offset, ReadOnlySpan<byte> data)
            {
                int n = Interlocked.Increment(ref owner._writes);
                if (!owner._gate.IsSet)
                {
                    owner.Entered.Release();
                    if (!owner._gate.Wait(Deadline))
                    {
                        throw new TimeoutException("The test never released the write gate.");
                    }
                }

                if (n == owner.FailAtWrite)
                {
                    inner.Write(offset, data[..(data.Length / 2)]);
                    throw new IOException("Injected failed write (EIO).", FaultInjectingFileSystem.EioErrno);
                }

                inner.Write(offset, data);
            }

            public void Flush() => inner.Flush();

            public void FlushData() => inner.FlushData();

            public void SetLength(long length) => inner.SetLength(length);

            public void Dispose() => inner.Dispose();
        }
    }
}
