using Actors.Wal.IO;

namespace Actors.Wal.Files.Tests.IO;

/// <summary><see cref="DurableFile.CreateDirectory"/>: a new directory is a name in its parent, so each created one's parent is fsynced.</summary>
public sealed class DurableDirectoryTests
{
    [Fact]
    public void CreateDirectory_AncestorsMissing_CreatesThemThenSyncsTheParentOfEachTopDown()
    {
        var fileSystem = new RecordingFileSystem("/data");

        DurableFile.CreateDirectory(fileSystem, "/data/replicas/00003/entries");

        Assert.Equal(["mkdir /data/replicas/00003/entries", "dirsync /data", "dirsync /data/replicas", "dirsync /data/replicas/00003"], fileSystem.Operations);
    }

    [Fact]
    public void CreateDirectory_Exists_DoesNothing()
    {
        var fileSystem = new RecordingFileSystem("/data", "/data/journal");

        DurableFile.CreateDirectory(fileSystem, "/data/journal");

        Assert.Empty(fileSystem.Operations);
    }

    /// <summary>Directories and the calls that create or sync them; nothing else is used.</summary>
    private sealed class RecordingFileSystem(params string[] existing) : IFileSystem
    {
        private readonly HashSet<string> _directories = new(existing, StringComparer.Ordinal);

        public List<string> Operations { get; } = [];

        public bool DirectoryExists(string path) => _directories.Contains(path);

        public void CreateDirectory(string path)
        {
            Operations.Add($"mkdir {path}");
            for (string? directory = path; directory is not null; directory = Path.GetDirectoryName(directory))
            {
                _directories.Add(directory);
            }
        }

        public void SyncDirectory(string directory) => Operations.Add($"dirsync {directory}");

        public IReadOnlyList<string> ListFiles(string directory, string suffix) => throw new NotSupportedException();

        public bool FileExists(string path) => throw new NotSupportedException();

        public IWalFile OpenFile(string path, WalFileMode mode, long preallocationSize = 0) => throw new NotSupportedException();

        public void DeleteFile(string path) => throw new NotSupportedException();

        public void RenameFile(string source, string destination) => throw new NotSupportedException();

        public IDisposable LockFile(string lockFilePath) => throw new NotSupportedException();
    }
}
