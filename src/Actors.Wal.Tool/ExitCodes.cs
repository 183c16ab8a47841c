namespace Actors.Wal.Tool;

/// <summary>The tool's process exit codes.</summary>
internal static class ExitCodes
{
    /// <summary>Success; for validate: no damage found.</summary>
    public const int Ok = 0;

    /// <summary>Usage error, I/O error, a locked directory (compact), or a file this version cannot read.</summary>
    public const int Error = 1;

    /// <summary>Damage found (validate), or a command stopped by a damaged log.</summary>
    public const int Damage = 2;
}
