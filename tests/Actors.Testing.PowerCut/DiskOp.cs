namespace Actors.Testing.PowerCut;

/// <summary>The kinds of persistence boundary the simulated disk records.</summary>
public enum DiskOpKind
{
    Create,
    Write,
    SetLength,
    Fsync,
    Rename,
    Delete,
    DirSync,

    /// <summary>A directory created (<see cref="SimulatedDisk.CreateDirectory"/>): a name in its parent.</summary>
    CreateDirectory,
}

/// <summary>One recorded persistence boundary (replayable against a fresh <see cref="SimulatedDisk"/>).</summary>
public sealed record DiskOp(DiskOpKind Kind, string Path, string? Destination, int Inode, long Offset, byte[]? Data)
{
    public override string ToString() => Kind switch
    {
        DiskOpKind.Write => $"write {System.IO.Path.GetFileName(Path)} @{Offset} +{Data!.Length}",
        DiskOpKind.SetLength => $"setlength {System.IO.Path.GetFileName(Path)} {Offset}",
        DiskOpKind.Rename => $"rename {System.IO.Path.GetFileName(Path)} -> {System.IO.Path.GetFileName(Destination)}",
        DiskOpKind.DirSync => Path.Length == 0 ? "dirsync" : $"dirsync {Path}",
        DiskOpKind.CreateDirectory => $"mkdir {Path}",
        _ => $"{Kind.ToString().ToLowerInvariant()} {System.IO.Path.GetFileName(Path)}",
    };
}

/// <summary>How a crash image treats what was not made durable.</summary>
public enum CrashVariant
{
    /// <summary>Power loss: only fsynced bytes and directory-synced names survive.</summary>
    DurableOnly,

    /// <summary>Process kill: everything handed to the OS survives (page cache intact).</summary>
    ProcessCrash,

    /// <summary>Power loss where a random prefix of each file's unsynced writes (and of the unsynced directory operations) reached the disk.</summary>
    RandomPrefix,

    /// <summary>Power loss where every unsynced write but the last reached the disk and the last is torn at a random byte.</summary>
    TornLastWrite,
}
