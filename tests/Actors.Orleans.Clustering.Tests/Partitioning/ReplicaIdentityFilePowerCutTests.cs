using Actors.Orleans.Clustering.Partitioning;
using Actors.Testing.PowerCut;
using Actors.Wal.IO;

namespace Actors.Orleans.Clustering.Tests.Partitioning;

/// <summary>
/// Issue 61, power loss: the replica identity file (<see cref="ReplicaIdentityFile"/>) written on a simulated disk into a
/// directory it creates (a new directory is a name in its parent there), the power cut just before each of its fsyncs and
/// directory fsyncs and after its last operation, in every crash variant.
/// What survives must read as no file (the silo then joins as a new replica, and the number it was given is never used)
/// or as the whole identity, never as a damaged file; and once the write returned (the silo then serves as that replica),
/// the whole identity in every variant.
/// </summary>
[Trait("Category", "Crash")]
public sealed class ReplicaIdentityFilePowerCutTests
{
    private const string Directory = "/simulated/silo";

    [Fact]
    public void Write_PowerCutBeforeEveryFsync_LeavesNoFileOrTheWholeIdentity()
    {
        var failures = CutEverywhere(fs => fs);

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    /// <summary>The check can fail: without the directory fsyncs (from the first, the root's for the new directory) the file may be gone after the write returned; without the file fsync it may be empty.</summary>
    [Theory]
    [InlineData("directory")]
    [InlineData("file")]
    public void Write_FsyncDropped_PowerCutFindsTheIdentityLost(string dropped)
    {
        var failures = CutEverywhere(fs => new PowerCutFileSystem(fs)
        {
            DropDirectorySync = dropped == "directory" ? 1 : 0,
            DropLaterDirectorySyncsToo = true,
            DropFileFsync = dropped == "file" ? 1 : 0,
        });

        Assert.Contains(failures, f => f.Contains("after the write returned", StringComparison.Ordinal));
    }

    /// <summary>Writes the identity through <paramref name="wrap"/> of a simulated file system and checks every cut; returns the failures.</summary>
    private static List<string> CutEverywhere(Func<CrashFileSystem, IFileSystem> wrap)
    {
        var disk = new SimulatedDisk();
        var live = new CrashFileSystem(disk) { PerDirectorySync = true, TrackDirectories = true };
        ReplicaIdentityFile.Write(wrap(live), Directory, "cluster-a", 3); // creates the directory too

        var operations = disk.Log;
        var replay = new SimulatedDisk { Recording = false };
        var random = new Random(61);
        var failures = new List<string>();
        for (int k = 0; k <= operations.Count; k++)
        {
            if (k > 0)
            {
                replay.Replay(operations[k - 1]);
            }

            if (k < operations.Count && operations[k].Kind is not (DiskOpKind.Fsync or DiskOpKind.DirSync))
            {
                continue;
            }

            bool returned = k == operations.Count;
            foreach (var variant in Enum.GetValues<CrashVariant>())
            {
                var fileSystem = new CrashFileSystem(SimulatedDisk.FromImage(replay.CrashImage(variant, random)));
                string at = returned ? "after the write returned" : $"before op {k} ({operations[k]})";
                try
                {
                    var identity = ReplicaIdentityFile.Read(fileSystem, Directory);
                    if (identity is null ? returned : identity != ("cluster-a", 3))
                    {
                        failures.Add($"cut {at}, variant {variant}: read {(identity is null ? "no identity" : $"{identity.Value.ClusterId}/{identity.Value.Replica}")}");
                    }
                }
                catch (WriteAheadLogReplicationException exception)
                {
                    failures.Add($"cut {at}, variant {variant}: {exception.Message}");
                }
            }
        }

        return failures;
    }
}
