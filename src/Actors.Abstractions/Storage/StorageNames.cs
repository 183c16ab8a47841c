namespace Actors.Storage;

/// <summary>Well-known storage names.</summary>
public static class StorageNames
{
    /// <summary>The store used when a grain or a persistent state names none.</summary>
    public const string Default = "Default";
}
