using Actors.Wal.IO;
using Actors.Wal.Recovery;
using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>A manifest write the disk refuses is counted and shown in the statistics (and the meter), not only logged.</summary>
public sealed class ManifestFailureTests : LogTestBase
{
    [Fact]
    public async Task GetStatistics_ManifestWriteRefused_CountsTheFailure()
    {
        var fileSystem = new ManifestRefusingFileSystem();
        var log = await OpenAsync(fileSystem: fileSystem);
        try
        {
            await log.WhenSpareSettledAsync();
            Assert.Equal(0, log.GetStatistics().ManifestWriteFailures);
            fileSystem.Refuse = true;

            // The rotation takes the spare; preparing the next spare and listing the taken one as live (both in the
            // background) write the manifest and fail. Appends are acknowledged all the same: none of them waits for it
            // (recovery finds the spare taken into use without it); the failures are counted, the log keeps running.
            long version = 0;
            while (log.GetStatistics().SegmentCount < 2)
            {
                await log.AppendAsync("s", version++, [new byte[1000]]);
            }

            await log.AppendAsync("s", version++, [new byte[1000]]);
            await PollAsync(() => log.GetStatistics().ManifestWriteFailures >= 1, "no manifest write failure was counted");
            Assert.False(log.IsFailed);
            Assert.True(fileSystem.Refused >= log.GetStatistics().ManifestWriteFailures);
            Assert.Equal(version, (await log.ReadStreamAsync("s")).Version);
        }
        finally
        {
            await log.AbandonAsync();
        }
    }

    /// <summary>Refuses to open the manifest's temporary file once <see cref="Refuse"/> is set (a full or read-only disk).</summary>
    private sealed class ManifestRefusingFileSystem : IFileSystem
    {
        private readonly IFileSystem _inner = PhysicalFileSystem.Instance;
        private int _refused;

        public volatile bool Refuse;

        public int Refused => Volatile.Read(ref _refused);

        public bool DirectoryExists(string path) => _inner.DirectoryExists(path);

        public void CreateDirectory(string path) => _inner.CreateDirectory(path);

        public IReadOnlyList<string> ListFiles(string directory, string suffix) => _inner.ListFiles(directory, suffix);

        public bool FileExists(string path) => _inner.FileExists(path);

        public IWalFile OpenFile(string path, WalFileMode mode, long preallocationSize = 0)
        {
            if (Refuse && Path.GetFileName(path) == SegmentManifest.Envelope.TempFileName)
            {
                Interlocked.Increment(ref _refused);
                throw new IOException("No space left on device (injected for the manifest).", FaultInjectingFileSystem.EnospcErrno);
            }

            return _inner.OpenFile(path, mode, preallocationSize);
        }

        public void DeleteFile(string path) => _inner.DeleteFile(path);

        public void RenameFile(string source, string destination) => _inner.RenameFile(source, destination);

        public void SyncDirectory(string directory) => _inner.SyncDirectory(directory);

        public IDisposable LockFile(string lockFilePath) => _inner.LockFile(lockFilePath);
    }
}
