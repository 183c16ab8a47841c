namespace Actors.Benchmarks.Infrastructure;

/// <summary>Where the data directory goes by default: on the repository's disk, never in memory.</summary>
internal static class DataDirectories
{
    public static string DefaultParent()
    {
        string temp = Path.GetTempPath();
        string? repo = FindRepositoryRoot();
        MountInfo? tempMount = MountInfo.Of(temp);
        MountInfo? repoMount = repo is null ? null : MountInfo.Of(repo);
        bool tempIsFine = tempMount is null || (!tempMount.IsMemoryBacked && (repoMount is null || repoMount.Device == tempMount.Device));
        if (tempIsFine || repo is null)
        {
            return temp;
        }

        string artifacts = Path.Combine(repo, "artifacts");
        Directory.CreateDirectory(artifacts);
        return artifacts;
    }

    private static string? FindRepositoryRoot()
    {
        foreach (string start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Actors.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }
}
